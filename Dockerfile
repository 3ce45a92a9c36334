FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md constraints.txt ./
COPY bff ./bff
COPY config ./config
# Pinned by constraints.txt, as in CI; with uvloop/httptools, the PostgreSQL journal for
# replicas and OpenTelemetry (off unless OTEL_TRACES_EXPORTER is set).
RUN pip install -c constraints.txt '.[fast,postgresql,otel]' \
    && useradd --system --uid 10001 --home-dir /app bff \
    && mkdir -p /app/var/log && chown -R bff /app/var

USER bff
ENV BFF_HOST=0.0.0.0 BFF_CONFIG_FILE=/app/config/bff.toml
# The processing and audit logs (var/log/) and, with the default SQLite store, the
# registration journal (var/registrations.sqlite3) must outlive the container: mount a
# volume here. With registration.store = "postgresql" the journal lives in the database.
VOLUME ["/app/var"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('BFF_PORT', '8080'), timeout=2)"]
CMD ["bff", "serve"]
