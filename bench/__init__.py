"""Benchmarks of the screening app, run by `make bench` (`python -m bench`), never by the tests.

Each benchmark prints its figures and the ratio to a reference measured in the same run.
The HTTP benchmarks serve the app with gunicorn (2 workers) and load it from separate
processes (bench/load.py); see bench/README.md.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
