"""The reference for the HTTP benchmarks: a bare Flask app with one "hello" route."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
