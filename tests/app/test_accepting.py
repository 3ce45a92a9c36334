"""`bff serve` on uvloop accepts every waiting connection at once, as asyncio's loop does."""

from __future__ import annotations

import asyncio
import socket

import httpx
from starlette.types import Receive, Scope, Send

from bff.accepting import BatchAcceptingLoop, BatchAcceptingServer
from bff.serve import _config
from tests.helpers.serving import serving


class Recorded(asyncio.Protocol):
    made: list[asyncio.BaseTransport]

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.made.append(transport)


def test_one_readiness_accepts_every_waiting_connection() -> None:
    made: list[asyncio.BaseTransport] = []

    def protocol() -> Recorded:
        p = Recorded()
        p.made = made
        return p

    async def scenario() -> None:
        listening = socket.create_server(("127.0.0.1", 0))
        loop = asyncio.get_running_loop()
        server = await loop.create_server(protocol, sock=listening, start_serving=False)
        assert isinstance(server, BatchAcceptingServer)
        clients = [socket.create_connection(listening.getsockname()) for _ in range(20)]
        server.accept_waiting()  # one readiness of the listening socket
        assert len(server.accepting) == 20, "all waiting connections, not one per round"
        await asyncio.gather(*server.accepting)
        assert len(made) == 20
        peers = {t.get_extra_info("peername") for t in made}
        assert peers == {c.getsockname() for c in clients}
        for transport in made:
            transport.close()
        for client in clients:
            client.close()
        server.close()
        await server.wait_closed()
        assert not server.is_serving()
        listening.close()

    loop = BatchAcceptingLoop()
    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()


def test_other_servers_are_uvloops_own() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(asyncio.Protocol, host="127.0.0.1", port=0)
        assert not isinstance(server, BatchAcceptingServer)
        server.close()
        await server.wait_closed()

    loop = BatchAcceptingLoop()
    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


def test_uvicorn_serves_over_the_batch_accepting_loop() -> None:
    loop = _config(hello, "127.0.0.1", 0, 1).loop
    assert loop == "bff.accepting:new_event_loop"  # uvloop is installed with the dev extras
    with serving(hello, loop=loop) as base:
        for _ in range(3):
            r = httpx.get(base + "/")
            assert (r.status_code, r.text) == (200, "hello")
