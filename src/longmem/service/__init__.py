"""The HTTP service: FastAPI under /api/v1, a thin shell over `longmem.Memory`."""

from longmem.service.app import create_app

__all__ = ["create_app"]
