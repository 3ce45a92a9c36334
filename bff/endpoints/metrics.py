"""`GET /metrics`: the Prometheus exposition of this process (see `bff.metrics`).

Open like `/health` (Prometheus scrapes without a bearer token): publish it on the
internal network only. It holds counts and durations, never personal data.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bff.http import api_route
from bff.metrics import CONTENT_TYPE, Metrics


async def metrics(request: Request) -> Response:
    """Request, upstream, cache and registration metrics in the Prometheus text format."""
    found: Metrics = request.app.state.metrics
    return Response(
        await found.exposition(),
        media_type=CONTENT_TYPE,
        headers={"Cache-Control": "no-store"},
    )


routes = [
    api_route("GET", "/metrics", metrics, summary="Metrics", tag="operations", public=True),
]
