FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bff ./bff
COPY config ./config
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app bff \
    && mkdir -p /app/var && chown bff /app/var

USER bff
ENV BFF_HOST=0.0.0.0 BFF_CONFIG_FILE=/app/config/bff.toml
EXPOSE 8080
CMD ["bff", "serve"]
