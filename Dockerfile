# The OpenForWork API image: one uvicorn server, PostgreSQL and Redis outside it.
# compose.yaml runs it: `openforwork migrate` once, then `openforwork serve` per API container
# (README "Deployment"). Build: docker build -t openforwork .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ENVIRONMENT=production \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY models ./models
COPY resolvers ./resolvers
COPY subscriptions ./subscriptions
COPY migrations ./migrations
RUN pip install . \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent openforwork

# Not root: the process needs to write nothing (PostgreSQL holds the data).
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"]
CMD ["openforwork", "serve", "--workers", "1", "--host", "0.0.0.0", "--port", "8000"]
