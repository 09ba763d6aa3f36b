"""Request dependencies: the shared service, the caller's tenant, its `Memory`.

They are coroutines although nothing in them waits: FastAPI runs a plain function dependency
in its thread pool, and the three hand-offs cost a search over HTTP more than a millisecond."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from longmem.memory import Memory
from longmem.service.app import Service
from longmem.service.errors import ApiError

DEFAULT_TENANT = "default"


async def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


# Declared as security schemes, so the OpenAPI document says how a key is sent (and, when no
# keys are configured, `complete_openapi` says none is needed).
_API_KEY = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKey",
    auto_error=False,
    description="An API key of API_KEYS (KEY:TENANT).",
)
_BEARER = HTTPBearer(
    scheme_name="Bearer",
    auto_error=False,
    description="The same key as `Authorization: Bearer KEY`.",
)
# The security of an operation that answers callers without a key too (with less).
KEY_OPTIONAL: dict[str, Any] = {"security": [{"ApiKey": []}, {"Bearer": []}, {}]}
KeyHeaderDep = Annotated[str | None, Security(_API_KEY)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Security(_BEARER)]


def _key(bearer: HTTPAuthorizationCredentials | None, x_api_key: str | None) -> str | None:
    key = x_api_key
    if key is None and bearer is not None:
        key = bearer.credentials.strip()
    return key or None


async def known_caller(
    svc: Annotated[Service, Depends(service)], x_api_key: KeyHeaderDep, bearer: BearerDep
) -> bool:
    """Whether the caller may see the service's details: the service is open, or the caller
    holds a key. Never refuses: for endpoints that answer everyone, with less."""
    key = _key(bearer, x_api_key)
    return not svc.keys or (key is not None and svc.tenant_for(key) is not None)


async def tenant(
    svc: Annotated[Service, Depends(service)], x_api_key: KeyHeaderDep, bearer: BearerDep
) -> str:
    if not svc.keys:
        return DEFAULT_TENANT
    key = _key(bearer, x_api_key)
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


async def memory(
    svc: Annotated[Service, Depends(service)], tenant_id: Annotated[str, Depends(tenant)]
) -> Memory:
    return svc.memory(tenant_id)


ServiceDep = Annotated[Service, Depends(service)]
KnownCallerDep = Annotated[bool, Depends(known_caller)]
TenantDep = Annotated[str, Depends(tenant)]
MemoryDep = Annotated[Memory, Depends(memory)]
