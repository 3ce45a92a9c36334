"""Liveness and readiness: is the process up, and can it reach every upstream."""

from __future__ import annotations

import asyncio
import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bff.compose.health import Readiness, compose_readiness
from bff.http import api_route
from bff.services import Services, services
from bff.upstreams.registry import ProbeResult


async def health(request: Request) -> Response:
    """The process is alive; says nothing about upstreams."""
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


async def _journal(svc: Services) -> ProbeResult:
    started = time.perf_counter()
    try:
        await svc.registration_store.ping()
    except Exception as exc:  # any failure means: registrations cannot be taken now
        return ProbeResult(
            ok=False, detail=f"The registration journal is unavailable ({type(exc).__name__})."
        )
    return ProbeResult(ok=True, elapsed_ms=round((time.perf_counter() - started) * 1000, 1))


async def ready(request: Request) -> Response:
    """Each upstream answers, Klantinteracties speaks API version 0.9.0 or newer, and the
    registration journal (`journal`) takes writes."""
    svc = services(request)
    checks, journal = await asyncio.gather(svc.upstreams.probe_all(), _journal(svc))
    readiness = compose_readiness({**checks, "journal": journal})
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
