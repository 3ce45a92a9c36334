"""One HTTP/1.1 client connection: an asyncio protocol whose answers httptools parses.

`Http1Connection` carries one exchange at a time (no pipelining). `exchange` writes the
request head and body, then waits until httptools has parsed the whole answer (a body
framed by Content-Length, chunked, or ending at close) and returns it. Failures are
httpx's exceptions, chosen by how far the exchange got:

    nothing of the answer, then the server closed    -> RemoteProtocolError
    the connection reset (by the server or the OS)   -> ReadError
    part of the answer, then close (length known)    -> RemoteProtocolError
    an answer httptools cannot parse                 -> RemoteProtocolError
    no byte for `read` seconds / the write stalled   -> ReadTimeout / WriteTimeout

None of these is a ConnectError: by then the request may have reached the server.
A connection is `reusable` only after a complete answer the server lets us keep alive;
the pool (`bff.upstreams.http1`) closes any other.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Callable
from typing import Any

import httptools
import httpx

Origin = tuple[bytes, str, int, str | None]
"""Scheme, host, port and TLS server name: what a connection may be reused for."""

Answer = tuple[int, list[tuple[bytes, bytes]], bytes, dict[str, Any]]
"""Status, raw headers, body and the httpx response extensions of one answer."""


class Http1Connection(asyncio.Protocol):
    def __init__(self, origin: Origin, on_idle_lost: Callable[[Http1Connection], None]) -> None:
        self.origin = origin
        self.on_idle_lost = on_idle_lost  # the pool forgets an idle connection the server closed
        self.loop = asyncio.get_running_loop()
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.idle = False
        self.idle_since = 0.0
        self.expiry: asyncio.TimerHandle | None = None
        self.reusable = False
        self._answer: asyncio.Future[Answer] | None = None
        self._reason = b""
        self._headers: list[tuple[bytes, bytes]] = []
        self._body: list[bytes] = []
        self._started = False  # a byte of the answer arrived
        self.answered = 0  # complete answers read on this connection
        self._headers_done = False
        self._head_only = False
        self._last_data = 0.0
        self._read_timeout: float | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0
        self._writable: asyncio.Future[None] | None = None
        self._paused = False

    # -- asyncio.Protocol ---------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # a stream transport

    def data_received(self, data: bytes) -> None:
        answer = self._answer
        if answer is None or answer.done():  # bytes nobody asked for: never reuse this one
            self.close()
            return
        self._started = True
        self._last_data = self.loop.time()
        try:
            self.parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            self._fail(httpx.RemoteProtocolError(f"unreadable HTTP answer: {exc}"))
            self.close()

    def eof_received(self) -> bool:
        self.closed = True  # never handed out again, though connection_lost is yet to come
        return False  # the transport closes itself; connection_lost decides what EOF meant

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.reusable = False
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)
        answer = self._answer
        if answer is not None and not answer.done():
            if self._headers_done and self._ends_at_close():
                self._complete(keep_alive=False)  # a body delimited by the end of the connection
            elif exc is not None:
                self._fail(httpx.ReadError(str(exc) or type(exc).__name__))
            elif not self._started:
                self._fail(httpx.RemoteProtocolError("Server disconnected without an answer."))
            else:
                self._fail(httpx.RemoteProtocolError("Server disconnected mid-answer."))
        if self.idle:
            self.on_idle_lost(self)

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    # -- httptools callbacks ------------------------------------------------------------

    def on_message_begin(self) -> None:
        answer = self._answer
        if answer is None or answer.done():  # a second answer to one request
            self.reusable = False

    def on_status(self, status: bytes) -> None:
        self._reason += status

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name, value))

    def on_headers_complete(self) -> None:
        self._headers_done = True
        if self._head_only:  # the parser would wait for a body a HEAD answer never has
            self._complete(keep_alive=False)

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        if 100 <= self.parser.get_status_code() < 200:  # informational: the answer follows
            self._reason, self._headers, self._headers_done = b"", [], False
            return
        self._complete(keep_alive=self.parser.should_keep_alive())

    # -- the exchange ---------------------------------------------------------------------

    async def exchange(
        self,
        head: bytes,
        body: bytes | AsyncIterable[bytes],
        timeouts: dict[str, float | None],
        *,
        head_only: bool,
        chunked: bool,
    ) -> Answer:
        """Write one request, wait for its whole answer (see the module docstring)."""
        transport = self.transport
        if transport is None or self.closed:  # the pool hands out open ones only
            raise httpx.ConnectError("the connection is closed; nothing was sent")
        self.reusable = False
        answer: asyncio.Future[Answer] = self.loop.create_future()
        self._answer = answer
        self._reason, self._headers, self._body = b"", [], []
        self._started = self._headers_done = False
        self._head_only = head_only
        if isinstance(body, bytes):
            transport.write(head + body if body else head)
        else:
            transport.write(head)
            await self._write_stream(transport, body, chunked, timeouts.get("write"))
        if self._paused:
            await self._drain(timeouts.get("write"))
        self._arm_read_timer(timeouts.get("read"))
        try:
            return await answer
        finally:
            self._answer = None

    @property
    def answer_started(self) -> bool:
        """Whether a byte of the answer to the last request arrived."""
        return self._started

    def close(self) -> None:
        """Close at once; whatever was under way on it fails (`connection_lost`)."""
        self.reusable = False
        if self.transport is not None and not self.closed:
            self.transport.abort()

    def _complete(self, *, keep_alive: bool) -> None:
        answer = self._answer
        if answer is None or answer.done():
            return
        version = self.parser.get_http_version()
        extensions: dict[str, Any] = {
            "http_version": b"HTTP/1.1" if version == "1.1" else f"HTTP/{version}".encode()
        }
        if self._reason:
            extensions["reason_phrase"] = self._reason
        parts = self._body
        content = parts[0] if len(parts) == 1 else b"".join(parts)
        result = (self.parser.get_status_code(), self._headers, content, extensions)
        self._headers, self._body = [], []  # whatever follows cannot change this answer
        self.reusable = keep_alive and not self.closed
        self.answered += 1
        answer.set_result(result)

    def _fail(self, exc: Exception) -> None:
        answer = self._answer
        if answer is not None and not answer.done():
            answer.set_exception(exc)

    def _ends_at_close(self) -> bool:
        """Whether the answer has no length of its own, so the end of the connection ends it."""
        for name, value in self._headers:
            lower = name.lower()
            if lower == b"content-length":
                return False
            if lower == b"transfer-encoding" and b"chunked" in value.lower():
                return False
        return True

    async def _write_stream(
        self,
        transport: asyncio.Transport,
        stream: AsyncIterable[bytes],
        chunked: bool,
        limit_s: float | None,
    ) -> None:
        async for part in stream:
            if self.closed:
                return  # the answer (or its failure) says what happened
            if chunked and part:
                transport.write(b"%x\r\n%b\r\n" % (len(part), part))
            elif part:
                transport.write(part)
            if self._paused:
                await self._drain(limit_s)
        if chunked and not self.closed:
            transport.write(b"0\r\n\r\n")

    async def _drain(self, limit_s: float | None) -> None:
        while self._paused and not self.closed:
            self._writable = self.loop.create_future()
            try:
                async with asyncio.timeout(limit_s):
                    await self._writable
            except TimeoutError as exc:
                raise httpx.WriteTimeout("the request could not be written in time") from exc
            finally:
                self._writable = None

    def _arm_read_timer(self, limit_s: float | None) -> None:
        """Fail the answer once no byte of it arrived for `limit_s` seconds.

        The timer outlives the exchange (arming and cancelling one per exchange is a
        measurable share of its cost): when it fires it looks at the exchange then under
        way, if any.
        """
        self._read_timeout = limit_s
        if limit_s is None:
            return
        self._last_data = now = self.loop.time()
        due = now + limit_s
        if self._timer is None or self._timer_at > due:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self.loop.call_at(due, self._read_timer_fired)
            self._timer_at = due

    def _read_timer_fired(self) -> None:
        self._timer = None
        answer, limit_s = self._answer, self._read_timeout
        if answer is None or answer.done() or limit_s is None:
            return  # between exchanges: the next one arms it again
        due = self._last_data + limit_s
        if due > self.loop.time():  # bytes arrived meanwhile: wait from the last of them
            self._timer = self.loop.call_at(due, self._read_timer_fired)
            self._timer_at = due
        else:
            self._fail(httpx.ReadTimeout("the answer did not arrive in time"))
