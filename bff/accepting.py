"""Accepting connections in batches on uvloop, so that an overloaded BFF still sees them.

libuv (under uvloop) accepts one connection per event-loop iteration (libuv 1.45, "unix:
don't accept() connections in a loop"). While the loop is saturated an iteration takes
tens of milliseconds, so new connections are accepted at a few dozen a second, however
many arrive: the rest wait in the kernel's accept queue, unseen by admission control
(`bff.admission`), for seconds, until the client gives up. Measured at twice the
sustainable rate: 900 connections waiting, the 503s leaving after a median of 3.5 s.

`new_event_loop` makes a uvloop loop whose `create_server(sock=...)` accepts as
asyncio's own loop does: on each readiness of the listening socket, every waiting
connection (up to `backlog`), each then served by an ordinary uvloop transport
(`connect_accepted_socket`). Everything else is uvloop's. Without uvloop, uvicorn uses
asyncio's loop, which accepts in batches already.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from collections.abc import Callable
from typing import Any

import uvloop

RESOURCE_ERRORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
RETRY_AFTER_RESOURCE_ERROR_S = 1.0  # as asyncio: stop accepting for a second, then retry
ProtocolFactory = Callable[[], asyncio.BaseProtocol]

log = logging.getLogger("bff.accepting")


class BatchAcceptingServer(asyncio.AbstractServer):
    """A listening socket whose waiting connections are all accepted on each readiness."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        protocol_factory: ProtocolFactory,
        sock: socket.socket,
        backlog: int,
    ) -> None:
        self.loop = loop
        self.protocol_factory = protocol_factory
        self.sock = sock
        self.backlog = backlog
        self.serving = False
        self.closed = False
        self.accepting: set[asyncio.Task[Any]] = set()
        sock.setblocking(False)
        sock.listen(backlog)

    def start(self) -> None:
        if self.serving or self.closed:
            return
        self.loop.add_reader(self.sock.fileno(), self.accept_waiting)
        self.serving = True

    def accept_waiting(self) -> None:
        for _ in range(self.backlog):
            try:
                conn, _ = self.sock.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                return
            except OSError as exc:
                if exc.errno not in RESOURCE_ERRORS:
                    raise
                log.error("accept failed (%s); retrying in a second", exc.strerror)
                self.pause(RETRY_AFTER_RESOURCE_ERROR_S)
                return
            conn.setblocking(False)
            task = self.loop.create_task(self.connect(conn))
            self.accepting.add(task)
            task.add_done_callback(self.accepting.discard)

    async def connect(self, conn: socket.socket) -> None:
        try:
            await self.loop.connect_accepted_socket(self.protocol_factory, conn)
        except OSError:  # the client went away before its transport existed
            conn.close()

    def pause(self, seconds: float) -> None:
        self.loop.remove_reader(self.sock.fileno())
        self.serving = False
        self.loop.call_later(seconds, self.start)

    # asyncio.AbstractServer

    def close(self) -> None:
        if self.serving:
            self.loop.remove_reader(self.sock.fileno())
        self.serving = False
        self.closed = True

    async def wait_closed(self) -> None:
        if self.accepting:
            await asyncio.gather(*self.accepting, return_exceptions=True)

    def get_loop(self) -> asyncio.AbstractEventLoop:
        return self.loop

    def is_serving(self) -> bool:
        return self.serving

    async def start_serving(self) -> None:
        self.start()

    async def serve_forever(self) -> None:
        self.start()
        await asyncio.Future()

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        return () if self.closed else (self.sock,)


class BatchAcceptingLoop(uvloop.Loop):
    """uvloop, except that a server on a given plain TCP socket accepts in batches."""

    async def create_server(  # type: ignore[override]
        self, protocol_factory: ProtocolFactory, *args: Any, **kwargs: Any
    ) -> asyncio.AbstractServer:
        sock = kwargs.get("sock")
        plain = not args and kwargs.get("ssl") is None and kwargs.get("reuse_port") is None
        if not plain or not isinstance(sock, socket.socket) or sock.family == socket.AF_UNIX:
            server: asyncio.AbstractServer = await super().create_server(
                protocol_factory, *args, **kwargs
            )
            return server
        batch = BatchAcceptingServer(self, protocol_factory, sock, kwargs.get("backlog", 100))
        if kwargs.get("start_serving", True):
            batch.start()
        return batch


def new_event_loop() -> asyncio.AbstractEventLoop:
    """The loop factory for uvicorn (`loop="bff.accepting:new_event_loop"`)."""
    return BatchAcceptingLoop()
