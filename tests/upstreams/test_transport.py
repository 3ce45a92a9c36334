"""The production transport over a real loopback server: whole answers, httpx's errors."""

from __future__ import annotations

import gzip
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from bff.upstreams.transport import ReadingAiohttpTransport


async def _echo(request: web.Request) -> web.Response:
    body = await request.read()
    return web.json_response(
        {"method": request.method, "query": request.query_string, "body": body.decode()},
        headers={"API-version": "1.2.3"},
    )


async def _gzipped(request: web.Request) -> web.Response:
    payload = gzip.compress(b'{"zipped": true}')
    return web.Response(
        body=payload, headers={"Content-Encoding": "gzip"}, content_type="application/json"
    )


async def _big(request: web.Request) -> web.Response:
    return web.Response(body=b"x" * 200_000)


@pytest.fixture
async def base_url() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/echo", _echo)
    app.router.add_get("/gzipped", _gzipped)
    app.router.add_get("/big", _big)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_an_answer_arrives_whole_with_status_headers_and_body(base_url: str) -> None:
    async with httpx.AsyncClient(transport=ReadingAiohttpTransport(trust_env=False)) as client:
        r = await client.post(f"{base_url}/echo?a=1", json={"naam": "ü"})
        big = await client.get(f"{base_url}/big")
    assert r.status_code == 200
    assert r.headers["API-version"] == "1.2.3"
    assert r.json() == {"method": "POST", "query": "a=1", "body": '{"naam":"ü"}'}
    assert big.content == b"x" * 200_000


async def test_a_compressed_answer_is_decoded_by_httpx(base_url: str) -> None:
    async with httpx.AsyncClient(transport=ReadingAiohttpTransport(trust_env=False)) as client:
        r = await client.get(f"{base_url}/gzipped")
    assert r.json() == {"zipped": True}


async def test_a_closed_port_is_an_httpx_transport_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with httpx.AsyncClient(transport=ReadingAiohttpTransport(trust_env=False)) as client:
        with pytest.raises(httpx.TransportError):  # what UpstreamClient translates
            await client.get(f"http://127.0.0.1:{port}/")
