"""A transport wrapper that records every outgoing request and may rewrite JSON answers.

    recorder = RecordingTransport.wrapping(rewrite=point_zaaktype_elsewhere)
    async with start_bff(wrap_transport=recorder) as bff: ...
    recorder.hosts()            # every host the BFF sent a request to

`rewrite(request, body)` gets each JSON answer of the sandbox and returns the body to
hand to the BFF instead (the sandbox builds its URLs from the request's host, so a
link to another host has to be put in on the way back).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

Rewrite = Callable[[httpx.Request, Any], Any]


class RecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, rewrite: Rewrite | None = None) -> None:
        self.inner = inner
        self.rewrite = rewrite
        self.requests: list[httpx.Request] = []

    @classmethod
    def wrapping(cls, rewrite: Rewrite | None = None) -> _Factory:
        return _Factory(rewrite)

    def hosts(self) -> set[str]:
        return {r.url.host for r in self.requests}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = await self.inner.handle_async_request(request)
        if self.rewrite is None or "json" not in response.headers.get("content-type", ""):
            return response
        content = await response.aread()
        body = self.rewrite(request, json.loads(content)) if content else None
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-length", "content-encoding")
        ]
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=json.dumps(body).encode() if content else b"",
            request=request,
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


class _Factory:
    """`wrap_transport=` for `start_bff`; keeps the transport it made as `.transport`."""

    def __init__(self, rewrite: Rewrite | None) -> None:
        self.rewrite = rewrite
        self.transport: RecordingTransport | None = None

    def __call__(self, inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        self.transport = RecordingTransport(inner, self.rewrite)
        return self.transport

    def hosts(self) -> set[str]:
        assert self.transport is not None, "start_bff has not used this wrapper"
        return self.transport.hosts()

    @property
    def requests(self) -> list[httpx.Request]:
        assert self.transport is not None, "start_bff has not used this wrapper"
        return self.transport.requests
