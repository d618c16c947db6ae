"""Gunicorn settings for the web process, read from the environment (docs/deployment.md).

Gunicorn loads this file from the working directory by itself: `gunicorn config.wsgi` is the
whole command, in the Docker image, in compose and in bin/docker-smoke.
"""

import os


def env_int(name: str, default: int) -> int:
    """A whole number from the environment; anything else stops the server at start-up."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{env_int('PORT', 8000)}"
# Processes times threads is how many requests run at once. Threads suit this app: most of a
# request's time is spent waiting for PostgreSQL, and each thread keeps its own connection.
workers = env_int("WEB_CONCURRENCY", 2)
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 4)
# An upload reads and checks the whole file (up to IMPORT_MAX_UPLOAD_MB) before it is queued.
timeout = env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10

# Access and error logs to stdout/stderr, for the container runtime or process manager.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The request line without the query string (it can carry a search for a phone number).
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

# Workers' heartbeat files in memory: a container's /tmp may be on a slow overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Gunicorn's control socket (in the home folder) is not used; the app user may not own a home.
control_socket_disable = True
