"""One JSON error shape, `{"error": {"code", "message"}}`, mapped in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from longmem import errors

STATUS = [
    (errors.ContentTooLargeError, 413),
    (errors.ValidationError, 422),
    (errors.NotFoundError, 404),
    (errors.ConflictError, 409),
    (errors.StoreError, 503),
    (errors.EmbedderError, 503),
]


_METHODS = {"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status)

    @app.exception_handler(errors.LongmemError)
    async def _longmem(_: Request, exc: errors.LongmemError) -> JSONResponse:
        status = next((s for cls, s in STATUS if isinstance(exc, cls)), 500)
        return JSONResponse(error_body(exc.code, str(exc)), status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body') or 'body'}: {e.get('msg')}"
            for e in exc.errors()
        ]
        return JSONResponse(error_body("invalid_input", "; ".join(problems)), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        allowed = allowed_methods(request) if exc.status_code == 405 else []
        if allowed:
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        code = {
            401: "unauthorized",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
        }.get(exc.status_code, "http_error")
        return JSONResponse(
            error_body(code, str(exc.detail)),
            status_code=exc.status_code,
            headers=headers,
        )


def allowed_methods(request: Request) -> list[str]:
    """Every method of the path a 405 refused, as the OpenAPI document lists them: Starlette
    names those of one route only, and FastAPI makes a route of each operation (DELETE, GET
    and PATCH of one memory are three). Empty for a path the document leaves out."""
    template = getattr(request.scope.get("route"), "path_format", None)
    documented = request.app.openapi().get("paths", {}).get(template, {})
    return sorted(method.upper() for method in documented if method.upper() in _METHODS)
