# QAF image: one image for the web server, the Celery worker and Celery beat (see docker-compose.yml).

# --- Front-end assets: GOV.UK Frontend, MOJ Frontend, accessible-autocomplete, our Sass ----------------
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
COPY frontend/ frontend/
COPY scripts/build-assets.mjs scripts/
RUN npm run build

# --- The application ----------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=false \
    QAF_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    GUNICORN_BIND=0.0.0.0:8000

# WeasyPrint (PDF reports) needs Pango and HarfBuzz; Liberation Sans stands in for Arial in the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The runtime dependencies from pyproject.toml, at the versions pinned in requirements.lock (which also pins
# the test tools: pytest, Playwright, ruff, which the image does not need).
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > /tmp/runtime-requirements.txt \
    && pip install -r /tmp/runtime-requirements.txt -c requirements.lock \
    && rm /tmp/runtime-requirements.txt

COPY . .
COPY --from=assets /app/build/static build/static

# Static files are collected into the image (outside the var/ volume, so a new image brings new files).
# The key below only lets settings load for this step; the real SECRET_KEY comes from .env at run time.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0

RUN useradd --system --uid 10001 --home-dir /app --no-create-home qaf \
    && mkdir -p /app/var \
    && chown qaf /app/var
USER qaf

# var/ holds uploaded files and generated reports (shared by web and worker) and beat's schedule.
VOLUME ["/app/var"]
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
