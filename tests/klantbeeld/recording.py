"""A transport wrapper that records every upstream call and how deep in the call chain it is.

A call's depth is 1 + the greatest depth among the calls that had completed when it
started (0 when none had). That bounds the true dependency depth from above: a call can
only depend on answers that arrived before it was sent. Each call stays "in flight" for a
few event-loop turns before it is passed on, as a network would keep it, so calls sent
together really start together. No clocks are involved.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from bff.sandbox.app import BASE_PATHS

IN_FLIGHT_TURNS = 5


@dataclass
class Call:
    upstream: str
    method: str
    path: str
    depth: int
    completed: bool = False


class RecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner: httpx.AsyncBaseTransport | None = None
        self.calls: list[Call] = []

    def wrap(self, inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        self.inner = inner
        return self

    def reset(self) -> None:
        self.calls = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert self.inner is not None
        upstream = _upstream(request.url.path)
        if upstream is None:  # the OIDC issuer, not an upstream
            return await self.inner.handle_async_request(request)
        depth = 1 + max((c.depth for c in self.calls if c.completed), default=0)
        call = Call(upstream, request.method, request.url.path, depth)
        self.calls.append(call)
        for _ in range(IN_FLIGHT_TURNS):
            await asyncio.sleep(0)
        try:
            return await self.inner.handle_async_request(request)
        finally:
            call.completed = True

    def to(self, upstream: str) -> list[Call]:
        return [c for c in self.calls if c.upstream == upstream]

    @property
    def depth(self) -> int:
        return max((c.depth for c in self.calls), default=0)


def _upstream(path: str) -> str | None:
    return next((name for name, base in BASE_PATHS.items() if path.startswith(base)), None)
