"""Gunicorn settings for production: `make serve`, or `gunicorn -c gunicorn.conf.py run:app`.

Several app servers can run this against one PostgreSQL database (DATABASE_URL) and one Redis
(RATELIMIT_STORAGE_URI), sharing SECRET_KEY and ENCRYPTION_KEYS; see README.md.
"""

import multiprocessing
import os

# Gunicorn serves production: a forgotten SCREENING_ENV never serves debug mode and plain
# cookies. (Read by the app when run.py imports it, after this file.)
os.environ.setdefault("SCREENING_ENV", "production")

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# The app writes one structured line per request (screening/logs.py); gunicorn's access log
# would add the path and query string, so it stays off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only the proxy in front may say which address and scheme a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Import the app once in the master: workers fork ready, and a replaced worker starts at once.
preload_app = True
max_requests = 20000
max_requests_jitter = 2000


def on_starting(server):
    """Refuse to start several workers that would each count sign-in attempts on their own
    (the worker count here includes `-w` given on the command line)."""
    from screening import refuse_per_worker_limits

    if os.environ["SCREENING_ENV"] != "production":
        return
    try:
        refuse_per_worker_limits(
            os.environ.get("RATELIMIT_STORAGE_URI", "memory://"), server.cfg.workers
        )
    except RuntimeError as error:
        server.log.error("Refusing to start: %s", error)
        raise SystemExit(1) from None
