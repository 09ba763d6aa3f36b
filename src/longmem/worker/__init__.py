"""Celery workers and beat for production: `celery -A longmem.worker.celery_app worker`."""
