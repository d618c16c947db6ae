# syntax=docker/dockerfile:1
# One image for the web process (the default command) and the import worker:
#   docker run IMAGE                                      gunicorn, gunicorn.conf.py
#   docker run IMAGE python manage.py db_worker --no-reload
#   docker run IMAGE python manage.py migrate --noinput   the release step, before new code serves
# bin/docker-smoke runs these same build and start steps outside Docker; docs/deployment.md.

# --- Stage 1: the Tailwind CSS and Chart.js, built with npm ------------------------------------
FROM node:20-slim AS assets
WORKDIR /app/theme/static_src
COPY theme/static_src/package.json theme/static_src/package-lock.json ./
# `npm install` rather than `npm ci`, as in the Makefile: npm 11 leaves other platforms' optional
# Tailwind binaries out of the lock file and `npm ci` then refuses it. The lock is still honoured.
RUN npm install --no-audit --no-fund --loglevel=error
WORKDIR /app
# Tailwind scans the templates, the Python files and the scripts for class names.
COPY . .
RUN npm --prefix theme/static_src run build

# --- Stage 2: the application ------------------------------------------------------------------
FROM python:3.12-slim AS app
# ENV_FILE: manage.py reads a development .env when there is one; the image is configured by
# its environment alone.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000 \
    MEDIA_ROOT=/var/lib/cms/media \
    ENV_FILE=/dev/null
WORKDIR /app
# The pinned runtime requirements only (no test tools).
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /app/theme/static/css/dist theme/static/css/dist
COPY --from=assets /app/theme/static/vendor theme/static/vendor
# collectstatic needs settings that load, not real ones: a throwaway key, no database.
RUN DEBUG=false SECRET_KEY=collectstatic-only-never-used-at-runtime \
    python manage.py collectstatic --noinput \
    && python -m compileall -q -j 0 .
# An unprivileged user that owns only the media folder; the code stays read-only to it.
RUN useradd --system --user-group --no-create-home --home-dir /nonexistent cms \
    && mkdir -p /var/lib/cms/media \
    && chown cms:cms /var/lib/cms/media
USER cms
VOLUME ["/var/lib/cms/media"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["python", "bin/healthcheck"]
CMD ["gunicorn", "config.wsgi"]
