"""The HTTP/1.1 transport's pool: reuse, limits, expiry, and connections that end early
(closed by the server, timed out, cancelled) never handed out again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from bff.upstreams.http1 import Http1Transport
from tests.upstreams.http1_server import Request, answering, ok, scripted, silent_first

TIMEOUTS = httpx.Timeout(5.0).as_dict()


def get(url: str, **timeouts: float) -> httpx.Request:
    return httpx.Request("GET", url, extensions={"timeout": {**TIMEOUTS, **timeouts}})


async def send(transport: Http1Transport, request: httpx.Request) -> bytes:
    response = await transport.handle_async_request(request)
    return await response.aread()


async def until(condition: Callable[[], bool]) -> None:
    """Let the event loop run until `condition()` holds (at most a few seconds)."""
    async with asyncio.timeout(5):
        while not condition():  # noqa: ASYNC110  # the pool's state has no event to wait on
            await asyncio.sleep(0.005)


async def test_a_connection_the_server_closed_while_idle_is_never_reused() -> None:
    async def answer_then_close(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(ok())  # no "Connection: close": the client keeps it, then sees it end
        return False

    async with scripted(answer_then_close) as server:
        transport = Http1Transport()
        await send(transport, get(server.url + "/"))
        await until(lambda: transport.idle_connections == 0)
        assert await send(transport, get(server.url + "/")) == b"ok"
        await transport.aclose()
    assert [r.connection for r in server.requests] == [1, 2]


async def test_a_connection_marked_close_is_not_kept() -> None:
    async with scripted(answering(ok(b"ok", b"Connection: close"))) as server:
        transport = Http1Transport()
        await send(transport, get(server.url + "/"))
        assert transport.idle_connections == 0
        await send(transport, get(server.url + "/"))
        await transport.aclose()
    assert [r.connection for r in server.requests] == [1, 2]


async def test_a_cancelled_call_closes_its_connection() -> None:
    async with scripted(silent_first()) as server:
        transport = Http1Transport()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):  # as UpstreamClient and the klantbeeld budget do
                await send(transport, get(server.url + "/"))
        async with asyncio.timeout(5):
            await server.client_closed.wait()
        assert await send(transport, get(server.url + "/")) == b"ok"
        await transport.aclose()
    assert [r.connection for r in server.requests] == [1, 2]


async def test_at_the_connection_limit_a_call_waits_for_a_free_one_then_times_out() -> None:
    release = asyncio.Event()

    async def held(request: Request, writer: asyncio.StreamWriter) -> bool:
        if len(server.requests) == 1:
            await release.wait()
        writer.write(ok())
        return True

    async with scripted(held) as server:
        transport = Http1Transport(limits=httpx.Limits(max_connections=1))
        first = asyncio.create_task(send(transport, get(server.url + "/")))
        await until(lambda: len(server.requests) == 1)
        with pytest.raises(httpx.PoolTimeout):
            await send(transport, get(server.url + "/", pool=0.02))
        waiting = asyncio.create_task(send(transport, get(server.url + "/")))
        await asyncio.sleep(0)
        release.set()
        assert await first == await waiting == b"ok"
        await transport.aclose()
    assert [r.connection for r in server.requests] == [1, 1]


async def test_at_the_limit_an_idle_connection_to_another_origin_makes_way() -> None:
    async with scripted(answering(ok(b"a"))) as a, scripted(answering(ok(b"b"))) as b:
        transport = Http1Transport(limits=httpx.Limits(max_connections=1))
        assert await send(transport, get(a.url + "/")) == b"a"
        assert await send(transport, get(b.url + "/")) == b"b"
        async with asyncio.timeout(5):
            await a.client_closed.wait()
        await transport.aclose()


async def test_an_idle_connection_is_closed_after_the_keepalive_expiry() -> None:
    async with scripted(answering(ok())) as server:
        limits = httpx.Limits(max_connections=5, keepalive_expiry=0.02)
        transport = Http1Transport(limits=limits)
        await send(transport, get(server.url + "/"))
        async with asyncio.timeout(5):
            await server.client_closed.wait()
        assert transport.idle_connections == 0
        await send(transport, get(server.url + "/"))
        await transport.aclose()
    assert [r.connection for r in server.requests] == [1, 2]


async def test_no_connection_is_kept_when_keepalive_is_zero() -> None:
    async with scripted(answering(ok())) as server:
        transport = Http1Transport(limits=httpx.Limits(max_keepalive_connections=0))
        await send(transport, get(server.url + "/"))
        await send(transport, get(server.url + "/"))
        await until(lambda: server.closed == 2)
        await transport.aclose()
    assert [r.connection for r in server.requests] == [1, 2]


async def test_concurrent_calls_open_connections_up_to_the_limit_and_reuse_them() -> None:
    async with scripted(answering(ok())) as server:
        transport = Http1Transport(limits=httpx.Limits(max_connections=3))
        bodies = await asyncio.gather(*(send(transport, get(server.url + "/")) for _ in range(12)))
        await transport.aclose()
    assert bodies == [b"ok"] * 12
    assert server.connections <= 3


async def test_aclose_closes_the_idle_connections_and_refuses_more_calls() -> None:
    async with scripted(answering(ok())) as server:
        transport = Http1Transport()
        await send(transport, get(server.url + "/"))
        await transport.aclose()
        async with asyncio.timeout(5):
            await server.client_closed.wait()
        with pytest.raises(httpx.ConnectError):
            await send(transport, get(server.url + "/"))
