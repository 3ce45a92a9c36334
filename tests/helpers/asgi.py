"""Run an ASGI app in-process the way a server would: lifespan first, state in every scope."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send


class _WithState:
    def __init__(self, app: ASGIApp, state: dict[str, Any]) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["state"] = dict(self.state)
        await self.app(scope, receive, send)


@asynccontextmanager
async def running(
    app: Starlette, base_url: str = "http://bff.test"
) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to `app` after its lifespan started; lifespan ends on exit."""
    async with app.router.lifespan_context(app) as state:
        transport = httpx.ASGITransport(app=_WithState(app, dict(state or {})))
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client
