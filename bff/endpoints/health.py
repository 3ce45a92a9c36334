"""Liveness and readiness: is the process up, and can it reach every upstream."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bff.compose.health import Readiness, compose_readiness
from bff.http import api_route
from bff.services import services


async def health(request: Request) -> Response:
    """The process is alive; says nothing about upstreams."""
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


async def ready(request: Request) -> Response:
    """Each upstream answers, and Klantinteracties speaks API version 0.9.0 or newer."""
    checks = await services(request).upstreams.probe_all()
    readiness = compose_readiness(checks)
    return JSONResponse(
        readiness.model_dump(mode="json", by_alias=True),
        status_code=200 if readiness.status == "ok" else 503,
        headers={"Cache-Control": "no-store"},
    )


routes = [
    api_route("GET", "/health", health, summary="Liveness", tag="operations", public=True),
    api_route(
        "GET",
        "/ready",
        ready,
        summary="Readiness of every upstream",
        tag="operations",
        responses={200: Readiness, 503: Readiness},
        public=True,
    ),
]
