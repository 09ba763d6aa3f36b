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


def tenant(
    svc: Annotated[Service, Depends(service)],
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> str:
    if not svc.keys:
        return DEFAULT_TENANT
    key = x_api_key
    if key is None and authorization and authorization.lower().startswith("bearer "):
        key = authorization[7:].strip()
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
TenantDep = Annotated[str, Depends(tenant)]
MemoryDep = Annotated[Memory, Depends(memory)]
