"""Request dependencies: the shared service, the caller's tenant, its `Memory`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from longmem.memory import Memory
from longmem.service.app import Service
from longmem.service.errors import ApiError

DEFAULT_TENANT = "default"


def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def _key(authorization: str | None, x_api_key: str | None) -> str | None:
    key = x_api_key
    if key is None and authorization and authorization.lower().startswith("bearer "):
        key = authorization[7:].strip()
    return key or None


def known_caller(
    svc: Annotated[Service, Depends(service)],
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> bool:
    """Whether the caller may see the service's details: the service is open, or the caller
    holds a key. Never refuses: for endpoints that answer everyone, with less."""
    key = _key(authorization, x_api_key)
    return not svc.keys or (key is not None and svc.tenant_for(key) is not None)


def tenant(
    svc: Annotated[Service, Depends(service)],
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> str:
    if not svc.keys:
        return DEFAULT_TENANT
    key = _key(authorization, x_api_key)
    if not key:
        raise ApiError(
            401,
            "unauthorized",
            "missing API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
        )
    found = svc.tenant_for(key)
    if found is None:
        raise ApiError(403, "forbidden", "unknown API key")
    return found


def memory(
    svc: Annotated[Service, Depends(service)], tenant_id: Annotated[str, Depends(tenant)]
) -> Memory:
    return svc.memory(tenant_id)


ServiceDep = Annotated[Service, Depends(service)]
KnownCallerDep = Annotated[bool, Depends(known_caller)]
TenantDep = Annotated[str, Depends(tenant)]
MemoryDep = Annotated[Memory, Depends(memory)]
