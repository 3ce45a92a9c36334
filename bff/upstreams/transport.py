"""The production transport: httpx requests over aiohttp, each answer read whole.

`httpx_aiohttp.AiohttpTransport` hands an answer to httpx as a stream of 16 KB chunks,
each through two async generators; the upstream clients always read the whole answer, so
`ReadingAiohttpTransport` reads it inside the aiohttp call and gives httpx the bytes.
The connection pool, TLS context, timeouts and the mapping of aiohttp's errors onto
httpx's stay `AiohttpTransport`'s own; a request through a proxy takes its path unchanged.
"""

from __future__ import annotations

import httpx
from aiohttp import ClientSession, ClientTimeout
from httpx_aiohttp import AiohttpTransport
from httpx_aiohttp.transport import map_aiohttp_exceptions


class ReadingAiohttpTransport(AiohttpTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.proxy is not None:
            return await super().handle_async_request(request)
        if not isinstance(self.client, ClientSession):
            self.client = self.get_client()
        timeout = request.extensions.get("timeout", {})
        data: bytes | httpx.AsyncByteStream | None
        try:
            data = request.content or None
        except httpx.RequestNotRead:
            data = request.stream  # type: ignore[assignment]  # aiohttp reads it
            request.headers.pop("transfer-encoding", None)  # aiohttp sets its own
        with map_aiohttp_exceptions():
            async with self.client.request(
                method=request.method,
                url=str(request.url),
                headers=request.headers,
                data=data,
                allow_redirects=False,
                auto_decompress=False,  # httpx decodes, as it would for its own transport
                compress=False,
                timeout=ClientTimeout(
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                    connect=timeout.get("pool"),
                ),
                server_hostname=request.extensions.get("sni_hostname"),
            ) as answer:
                content = await answer.read()
        extensions: dict[str, object] = {"http_version": b"HTTP/1.1"}
        if answer.reason:
            extensions["reason_phrase"] = answer.reason.encode()
        return httpx.Response(
            status_code=answer.status,
            headers=answer.raw_headers,
            content=content,
            request=request,
            extensions=extensions,
        )
