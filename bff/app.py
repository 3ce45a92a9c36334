"""The composition root: `create_app` wires routes, middleware, error handlers and lifespan.

Run it with `uvicorn --factory bff.app:create_app`, or through `bff serve`.
Tests pass `transport=` (an ASGI transport over the sandbox, or respx) and every
upstream client uses it; otherwise each upstream gets its own pooled transport.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from bff.endpoints import docs, health
from bff.errors import BffError, MethodNotAllowed, NotFound, render
from bff.logs import configure_logging
from bff.middleware import RequestContextMiddleware
from bff.openapi import build_openapi
from bff.services import Services
from bff.settings import Settings, load_settings
from bff.upstreams.registry import build_upstreams


def _routes() -> list[BaseRoute]:
    return [*health.routes, *docs.routes]


async def _bff_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BffError)
    return render(exc, instance=getattr(request.state, "request_id", None))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    mapped: BffError
    if exc.status_code == 404:
        mapped = NotFound("There is no such endpoint. See /docs for the API.")
    elif exc.status_code == 405:
        mapped = MethodNotAllowed("This endpoint does not support that method.")
        mapped.headers.update(exc.headers or {})
    else:
        mapped = BffError(str(exc.detail))
        mapped.status = exc.status_code  # type: ignore[misc]  # per-instance status for rare codes
    return render(mapped, instance=getattr(request.state, "request_id", None))


def create_app(
    settings: Settings | None = None, *, transport: httpx.AsyncBaseTransport | None = None
) -> Starlette:
    settings = settings or load_settings()
    configure_logging(settings.log_level, settings.log_format)
    routes = _routes()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        upstreams = build_upstreams(settings, transport=transport)
        try:
            yield {"services": Services(settings=settings, upstreams=upstreams)}
        finally:
            await upstreams.aclose()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(RequestContextMiddleware)],
        exception_handlers={BffError: _bff_error, HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.openapi = build_openapi(routes)
    return app
