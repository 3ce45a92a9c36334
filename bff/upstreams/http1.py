"""The production transport: HTTP/1.1 on asyncio connections, each answer read whole.

`Http1Transport` is an `httpx.AsyncBaseTransport` that does per call only what an upstream
call needs: the request head built as bytes from the `httpx.Request` (its method, raw
path and headers exactly as given; httpx has set Host and Content-Length), one write, the
answer parsed by httptools (`bff.upstreams.http1_connection`), one future. It answers
with the status, raw headers and whole body, as `ReadingAiohttpTransport` does; httpx
then decodes any content-encoding.

The pool, per origin (scheme, host, port, TLS server name), honours `httpx.Limits`:
at most `max_connections` open in all (a caller beyond it waits, up to the `pool`
timeout, then `PoolTimeout`); at most `max_keepalive_connections` kept idle; an idle
connection is closed after `keepalive_expiry` seconds, and one the server closed is
never handed out. A connection goes back to the pool only after a complete answer the
server lets us keep alive; a failure, a timeout or a cancellation closes it.

Nothing is retried, with one exception: a GET or HEAD on a kept-alive connection that
the server closed or reset before a byte of its answer (its keep-alive timeout crossing
our request) is sent once more on another connection, as browsers and urllib3 do; a read
changes nothing. Any other request that may have reached the server fails, and the caller
(`UpstreamClient`, the registration journal) decides. Only a failure to connect is a
`ConnectError` (nothing was sent); the other failures are listed in
`bff.upstreams.http1_connection`. https uses httpx's default TLS context (certifi) or the
`verify` given, with the `sni_hostname` request extension as server name when set.
There is no proxy support (no upstream setting asks for one); `ReadingAiohttpTransport`
has it.
"""

from __future__ import annotations

import asyncio
import ssl
import sys
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

import httpx

from bff.upstreams.http1_connection import Http1Connection, Origin

DEFAULT_PORTS = {b"http": 80, b"https": 443}
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
RETRIED_READS = frozenset({b"GET", b"HEAD"})


class _Read(httpx.AsyncByteStream):
    """A body already read whole."""

    def __init__(self, content: bytes) -> None:
        self.content = content

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.content


def whole_response(
    request: httpx.Request,
    status: int,
    headers: list[tuple[bytes, bytes]],
    content: bytes,
    extensions: dict[str, Any],
) -> httpx.Response:
    """The answer as `httpx.Response(content=...)` would make it, without its read pass.

    Given `content`, httpx runs the body through its decoders and chunker at once, which
    cost more than the whole exchange; a body without a content-encoding needs none of
    that, so it is stored as read (httpx's own attributes; httpx is pinned below 0.29).
    An encoded body takes httpx's path, which decodes it.
    """
    response = httpx.Response(
        status, headers=headers, stream=_Read(content), request=request, extensions=extensions
    )
    if "content-encoding" in response.headers:
        response.stream = httpx.ByteStream(content)
        response.read()
    else:
        response._content = content
        response._num_bytes_downloaded = len(content)
        response.is_stream_consumed = response.is_closed = True
    return response


class Http1Transport(httpx.AsyncBaseTransport):
    def __init__(
        self,
        *,
        verify: ssl.SSLContext | bool = True,
        trust_env: bool = True,
        limits: httpx.Limits = DEFAULT_LIMITS,
    ) -> None:
        self._verify = verify
        self._trust_env = trust_env
        self._ssl: ssl.SSLContext | None = None
        self._max = limits.max_connections or sys.maxsize
        self._max_idle = min(
            self._max,
            sys.maxsize
            if limits.max_keepalive_connections is None
            else limits.max_keepalive_connections,
        )
        self._expiry = limits.keepalive_expiry
        self._idle: dict[Origin, list[Http1Connection]] = {}
        self._idle_count = 0
        self._open: set[Http1Connection] = set()
        self._opening = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.raw_scheme
        if scheme not in DEFAULT_PORTS:
            raise httpx.UnsupportedProtocol(f"{url.scheme!r} is not http or https")
        method = request.method.encode("ascii")
        lines = [b"%b %b HTTP/1.1" % (method, url.raw_path)]
        lines += [name + b": " + value for name, value in request.headers.raw]
        lines.append(b"\r\n")
        head = b"\r\n".join(lines)
        if head.count(b"\n") != len(lines) or head.count(b"\r") != len(lines):
            raise httpx.LocalProtocolError("a line break inside the request line or a header")
        body: bytes | httpx.AsyncByteStream
        chunked = False
        try:
            body = request.content
        except httpx.RequestNotRead:
            body = request.stream  # type: ignore[assignment]  # read while writing
            chunked = "chunked" in request.headers.get("transfer-encoding", "").lower()
        timeouts = request.extensions.get("timeout") or {}
        origin = (
            scheme,
            url.raw_host.decode("ascii"),
            url.port or DEFAULT_PORTS[scheme],
            request.extensions.get("sni_hostname"),
        )
        head_only = method == b"HEAD"
        for retry in (method in RETRIED_READS, False):
            connection = await self._acquire(origin, timeouts)
            try:
                status, headers, content, extensions = await connection.exchange(
                    head, body, timeouts, head_only=head_only, chunked=chunked
                )
            except (httpx.ReadError, httpx.RemoteProtocolError):
                self._discard(connection)
                if retry and connection.answered and not connection.answer_started:
                    continue  # a stale kept-alive connection: the read never reached the app
                raise
            except BaseException:  # failed, timed out or cancelled: never reused half-used
                self._discard(connection)
                raise
            self._release(connection)
            return whole_response(request, status, headers, content, extensions)
        raise AssertionError("unreachable: the last attempt returns or raises")

    @property
    def idle_connections(self) -> int:
        """How many open connections wait in the pool for a next request."""
        return self._idle_count

    async def aclose(self) -> None:
        self._closed = True
        for connection in list(self._open):
            self._discard(connection)
        self._idle.clear()
        self._idle_count = 0
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
        await asyncio.sleep(0)  # let the closed transports release their sockets

    # -- the pool -----------------------------------------------------------------------

    async def _acquire(self, origin: Origin, timeouts: dict[str, float | None]) -> Http1Connection:
        while True:
            if self._closed:
                raise httpx.ConnectError("the transport is closed")
            idle = self._idle.get(origin)
            while idle:
                connection = idle.pop()
                self._idle_count -= 1
                connection.idle = False
                if connection.closed or self._expired(connection):
                    self._discard(connection)
                    continue
                return connection
            if len(self._open) + self._opening < self._max:
                return await self._connect(origin, timeouts)
            oldest = self._oldest_idle()
            if oldest is not None:  # at the limit: close an idle one of another origin
                self._discard(oldest)
                continue
            await self._wait(timeouts.get("pool"))

    def _release(self, connection: Http1Connection) -> None:
        if connection.reusable and self._idle_count < self._max_idle and not self._closed:
            connection.idle = True
            connection.idle_since = connection.loop.time()
            self._idle.setdefault(connection.origin, []).append(connection)
            self._idle_count += 1
            if self._expiry is not None and connection.expiry is None:
                connection.expiry = connection.loop.call_at(
                    connection.idle_since + self._expiry, self._expire, connection
                )
            self._wake()
        else:
            self._discard(connection)

    def _discard(self, connection: Http1Connection) -> None:
        """Close `connection` and free its place (once, however often it is called)."""
        connection.close()
        if connection.idle:
            connection.idle = False
            self._idle[connection.origin].remove(connection)
            self._idle_count -= 1
        if connection.expiry is not None:
            connection.expiry.cancel()
            connection.expiry = None
        if connection in self._open:
            self._open.discard(connection)
            self._wake()

    def _idle_lost(self, connection: Http1Connection) -> None:
        self._discard(connection)  # the server closed it while it waited in the pool

    def _expired(self, connection: Http1Connection) -> bool:
        expiry = self._expiry
        return expiry is not None and connection.loop.time() - connection.idle_since >= expiry

    def _expire(self, connection: Http1Connection) -> None:
        """The keep-alive timer: close `connection` if it has been idle for too long."""
        connection.expiry = None
        if not connection.idle or self._expiry is None:
            return  # in use; its next release arms the timer again
        if self._expired(connection):
            self._discard(connection)
        else:  # used and released since the timer was armed
            connection.expiry = connection.loop.call_at(
                connection.idle_since + self._expiry, self._expire, connection
            )

    def _oldest_idle(self) -> Http1Connection | None:
        oldest: Http1Connection | None = None
        for connections in self._idle.values():
            if connections and (oldest is None or connections[0].idle_since < oldest.idle_since):
                oldest = connections[0]
        return oldest

    async def _wait(self, limit_s: float | None) -> None:
        """Wait until a connection is released or closed, at most `limit_s` seconds."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(limit_s):
                await waiter
        except TimeoutError as exc:
            raise httpx.PoolTimeout("no connection came free in time") from exc
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._wake()  # woken and cancelled at once: pass the turn on
            raise
        finally:
            if not waiter.done():
                waiter.cancel()

    def _wake(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    async def _connect(self, origin: Origin, timeouts: dict[str, float | None]) -> Http1Connection:
        scheme, host, port, server_name = origin
        context = self._ssl_context() if scheme == b"https" else None
        loop = asyncio.get_running_loop()
        self._opening += 1
        try:
            async with asyncio.timeout(timeouts.get("connect")):
                _, connection = await loop.create_connection(
                    lambda: Http1Connection(origin, self._idle_lost),
                    host,
                    port,
                    ssl=context,
                    server_hostname=(server_name or host) if context else None,
                )
        except BaseException as exc:
            self._opening -= 1
            self._wake()  # the place it held is free again
            if isinstance(exc, TimeoutError):
                raise httpx.ConnectTimeout(f"no connection to {host}:{port} in time") from exc
            if isinstance(exc, OSError):  # refused, unreachable, unknown host, TLS handshake
                raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
            raise
        self._opening -= 1
        if self._closed:
            connection.close()
            raise httpx.ConnectError("the transport is closed")
        self._open.add(connection)
        return connection

    def _ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context(verify=self._verify, trust_env=self._trust_env)
        return self._ssl
