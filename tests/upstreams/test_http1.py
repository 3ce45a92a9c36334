"""The HTTP/1.1 transport over a loopback server that writes each answer byte for byte:
framing, what reaches the server, and which httpx error each failure becomes."""

from __future__ import annotations

import asyncio
import gzip
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bff.errors import UpstreamUnavailable
from bff.settings import UpstreamSettings
from bff.upstreams.base import UpstreamClient, make_http_client, make_transport
from bff.upstreams.http1 import Http1Transport
from bff.upstreams.transport import ReadingAiohttpTransport
from tests.upstreams.http1_server import (
    Answer,
    Request,
    answering,
    ok,
    reset,
    scripted,
    silent_first,
    tls_pair,
)

TIMEOUTS = httpx.Timeout(5.0).as_dict()


def get(url: str, **extensions: object) -> httpx.Request:
    return httpx.Request("GET", url, extensions={"timeout": TIMEOUTS, **extensions})


async def send(transport: Http1Transport, request: httpx.Request) -> httpx.Response:
    response = await transport.handle_async_request(request)
    await response.aread()
    return response


async def test_sequential_calls_share_one_kept_alive_connection() -> None:
    async with scripted(answering(ok(b"one"), ok(b"two"), ok(b"three"))) as server:
        transport = Http1Transport()
        bodies = [(await send(transport, get(server.url + "/"))).content for _ in range(3)]
        await transport.aclose()
    assert bodies == [b"one", b"two", b"three"]
    assert [r.connection for r in server.requests] == [1, 1, 1]


async def test_a_content_length_body_arrives_whole_with_status_reason_and_raw_headers() -> None:
    answer = b"HTTP/1.1 201 Created\r\nContent-Length: 5\r\nAPI-version: 1.2.3\r\n\r\nhello"
    async with scripted(answering(answer)) as server:
        transport = Http1Transport()
        response = await send(transport, get(server.url + "/"))
        await transport.aclose()
    assert (response.status_code, response.reason_phrase, response.content) == (
        201,
        "Created",
        b"hello",
    )
    assert response.headers.raw == [(b"Content-Length", b"5"), (b"API-version", b"1.2.3")]
    assert response.http_version == "HTTP/1.1"


async def test_a_chunked_body_is_joined_and_the_connection_kept() -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4\r\nwiki\r\n6\r\npedia \r\n0\r\n\r\n"
    )
    async with scripted(answering(chunked, ok())) as server:
        transport = Http1Transport()
        first = await send(transport, get(server.url + "/"))
        await send(transport, get(server.url + "/"))
        await transport.aclose()
    assert first.content == b"wikipedia "
    assert [r.connection for r in server.requests] == [1, 1]


async def test_a_body_without_length_ends_at_close_and_the_next_call_connects_anew() -> None:
    async def until_close(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it")
        await writer.drain()
        return False  # the server closes: that ends the body

    async with scripted(until_close) as server:
        transport = Http1Transport()
        first = await send(transport, get(server.url + "/"))
        second = await send(transport, get(server.url + "/"))
        await transport.aclose()
    assert first.content == second.content == b"all of it"
    assert [r.connection for r in server.requests] == [1, 2]


async def test_an_informational_answer_is_skipped() -> None:
    async with scripted(answering(b"HTTP/1.1 100 Continue\r\n\r\n" + ok(b"then"))) as server:
        transport = Http1Transport()
        response = await send(transport, get(server.url + "/"))
        await transport.aclose()
    assert (response.status_code, response.content) == (200, b"then")


async def test_bytes_after_the_answer_leave_it_intact_and_the_connection_unused() -> None:
    extra = ok(b"mine") + b"HTTP/1.1 200 OK\r\nX-Stray: 1\r\nContent-Length: 5\r\n\r\nstray"
    async with scripted(answering(extra, ok())) as server:
        transport = Http1Transport()
        response = await send(transport, get(server.url + "/"))
        await send(transport, get(server.url + "/"))
        await transport.aclose()
    assert (response.content, response.headers.raw) == (b"mine", [(b"Content-Length", b"4")])
    assert [r.connection for r in server.requests] == [1, 2]


async def test_a_head_answer_has_no_body_though_it_names_a_length() -> None:
    async with scripted(answering(b"HTTP/1.1 200 OK\r\nContent-Length: 120\r\n\r\n")) as server:
        transport = Http1Transport()
        head = httpx.Request("HEAD", server.url + "/", extensions={"timeout": TIMEOUTS})
        response = await send(transport, head)
        await transport.aclose()
    assert (response.status_code, response.content) == (200, b"")


async def test_a_gzipped_answer_is_decoded_by_httpx() -> None:
    payload = gzip.compress(b'{"zipped": true}')
    async with (
        scripted(answering(ok(payload, b"Content-Encoding: gzip"))) as server,
        httpx.AsyncClient(transport=Http1Transport()) as client,
    ):
        response = await client.get(server.url + "/")
    assert response.json() == {"zipped": True}


async def test_a_post_reaches_the_server_byte_for_byte() -> None:
    async with scripted(answering(ok())) as server:
        transport = Http1Transport()
        request = httpx.Request(
            "POST",
            server.url + "/klantcontacten?a=1&b=%C3%BC",
            headers=[("Authorization", "Token t"), ("X-Twice", "1"), ("x-twice", "2")],
            json={"naam": "ü"},
            extensions={"timeout": TIMEOUTS},
        )
        await send(transport, request)
        await transport.aclose()
    host = server.url.removeprefix("http://").encode()
    assert server.requests[0].raw == (
        b"POST /klantcontacten?a=1&b=%C3%BC HTTP/1.1\r\n"
        b"Host: " + host + b"\r\n"
        b"Authorization: Token t\r\nX-Twice: 1\r\nx-twice: 2\r\n"
        b"Content-Length: 13\r\nContent-Type: application/json\r\n\r\n"
        b'{"naam":"\xc3\xbc"}'
    )


async def test_a_streamed_body_is_sent_chunked() -> None:
    async def parts() -> AsyncIterator[bytes]:
        yield b"abc"
        yield b"defgh"

    async with scripted(answering(ok())) as server:
        transport = Http1Transport()
        request = httpx.Request("PUT", server.url + "/", content=parts())
        await send(transport, request)
        await transport.aclose()
    assert server.requests[0].raw.endswith(
        b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n5\r\ndefgh\r\n0\r\n\r\n"
    )


async def test_a_line_break_inside_a_header_value_is_refused_before_sending() -> None:
    transport = Http1Transport()
    request = get("http://127.0.0.1:9/")
    request.headers["X-Bad"] = "a\r\nInjected: yes"
    with pytest.raises(httpx.LocalProtocolError):
        await transport.handle_async_request(request)


async def test_a_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    transport = Http1Transport()
    with pytest.raises(httpx.ConnectError):
        await transport.handle_async_request(get(f"http://127.0.0.1:{port}/"))


async def test_a_reset_mid_answer_is_a_read_error() -> None:
    async def half_then_reset(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart")
        await writer.drain()
        reset(writer)
        return False

    async with scripted(half_then_reset) as server:
        transport = Http1Transport()
        with pytest.raises(httpx.ReadError):
            await transport.handle_async_request(get(server.url + "/"))
        await transport.aclose()


async def test_a_close_mid_answer_or_before_any_is_a_remote_protocol_error() -> None:
    async def half_then_close(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart")
        return False

    async def close_at_once(request: Request, writer: asyncio.StreamWriter) -> bool:
        return False

    for answer in (half_then_close, close_at_once):
        async with scripted(answer) as server:
            transport = Http1Transport()
            with pytest.raises(httpx.RemoteProtocolError):
                await transport.handle_async_request(get(server.url + "/"))
            await transport.aclose()


async def test_an_unreadable_answer_is_a_remote_protocol_error() -> None:
    async with scripted(answering(b"SMTP ready\r\n\r\n")) as server:
        transport = Http1Transport()
        with pytest.raises(httpx.RemoteProtocolError):
            await transport.handle_async_request(get(server.url + "/"))
        await transport.aclose()


async def test_a_silent_server_is_a_read_timeout_and_its_connection_is_not_reused() -> None:
    async with scripted(silent_first()) as server:
        transport = Http1Transport()
        short = {**TIMEOUTS, "read": 0.05}
        with pytest.raises(httpx.ReadTimeout):
            await transport.handle_async_request(get(server.url + "/", timeout=short))
        await send(transport, get(server.url + "/"))
        await transport.aclose()
    assert [r.connection for r in server.requests] == [1, 2]


async def test_https_verifies_the_certificate_and_sends_the_sni_hostname(tmp_path: Path) -> None:
    server_tls, client_tls = tls_pair(tmp_path)
    async with scripted(answering(ok(b"secret")), tls=server_tls) as server:
        transport = Http1Transport(verify=client_tls)
        by_ip = await send(transport, get(server.url + "/"))
        by_name = await send(transport, get(server.url + "/", sni_hostname="upstream.test"))
        await transport.aclose()
        with pytest.raises(httpx.ConnectError):  # the default trust store does not know it
            await Http1Transport().handle_async_request(get(server.url + "/"))
    assert by_ip.content == by_name.content == b"secret"


async def test_make_transport_picks_the_http1_transport() -> None:
    settings = UpstreamSettings(base_url="http://upstream.test/")
    assert isinstance(make_transport(settings), Http1Transport)


async def test_make_transport_falls_back_to_aiohttp_without_httptools(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "httptools", None)  # as if not installed
    for module in ("bff.upstreams.http1", "bff.upstreams.http1_connection"):
        monkeypatch.delitem(sys.modules, module)
    settings = UpstreamSettings(base_url="http://upstream.test/")
    assert isinstance(make_transport(settings), ReadingAiohttpTransport)


async def test_through_upstream_client_a_reset_write_has_an_unknown_outcome() -> None:
    async def reset_at_once(request: Request, writer: asyncio.StreamWriter) -> bool:
        reset(writer)
        return False

    async with scripted(reset_at_once) as server:
        settings = UpstreamSettings(base_url=server.url + "/api/")
        client = UpstreamClient(make_http_client(settings), timeout_s=5.0)
        with pytest.raises(UpstreamUnavailable) as written:
            await client.request("POST", "klantcontacten", json={})
        await client.aclose()
    assert written.value.unknown_outcome


async def test_through_upstream_client_a_refused_write_surely_did_not_happen() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = UpstreamSettings(base_url=f"http://127.0.0.1:{port}/api/")
    client = UpstreamClient(make_http_client(settings), timeout_s=5.0)
    with pytest.raises(UpstreamUnavailable) as refused:
        await client.request("POST", "klantcontacten", json={})
    await client.aclose()
    assert not refused.value.unknown_outcome


def _answer_once_then_drop(*, drop: str) -> Answer:
    """Answers the first request on each connection; drops the connection (`close` or
    `reset`) at the second, as a server whose keep-alive timeout just passed."""
    served: list[int] = []

    async def answer(request: Request, writer: asyncio.StreamWriter) -> bool:
        if served.count(request.connection):
            if drop == "reset":
                reset(writer)
            return False
        served.append(request.connection)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        return True

    return answer


@pytest.mark.parametrize("drop", ["close", "reset"])
async def test_a_read_on_a_kept_alive_connection_the_server_dropped_is_sent_again(
    drop: str,
) -> None:
    async with scripted(_answer_once_then_drop(drop=drop)) as server:
        transport = Http1Transport()
        first = await send(transport, get(server.url + "/"))
        again = await send(transport, get(server.url + "/"))
        await transport.aclose()
    assert (first.content, again.content) == (b"ok", b"ok")
    assert [r.connection for r in server.requests] == [1, 1, 2]  # the retry on a new one


async def test_a_write_on_a_kept_alive_connection_the_server_dropped_is_not_sent_again() -> None:
    async with scripted(_answer_once_then_drop(drop="close")) as server:
        transport = Http1Transport()
        await send(transport, get(server.url + "/"))
        post = httpx.Request(
            "POST", server.url + "/", content=b"{}", extensions={"timeout": TIMEOUTS}
        )
        with pytest.raises(httpx.RemoteProtocolError):
            await transport.handle_async_request(post)
        await transport.aclose()
    assert len(server.requests) == 2  # once, never twice


async def test_a_read_whose_answer_had_begun_is_not_sent_again() -> None:
    calls: list[int] = []

    async def answer(request: Request, writer: asyncio.StreamWriter) -> bool:
        calls.append(request.connection)
        if len(calls) == 1:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
            return True
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart")
        await writer.drain()
        return False

    async with scripted(answer) as server:
        transport = Http1Transport()
        await send(transport, get(server.url + "/"))
        with pytest.raises(httpx.RemoteProtocolError):
            await transport.handle_async_request(get(server.url + "/"))
        await transport.aclose()
    assert calls == [1, 1]


async def test_a_read_on_a_new_connection_the_server_dropped_is_not_sent_again() -> None:
    async def close_at_once(request: Request, writer: asyncio.StreamWriter) -> bool:
        return False

    async with scripted(close_at_once) as server:
        transport = Http1Transport()
        with pytest.raises(httpx.RemoteProtocolError):
            await transport.handle_async_request(get(server.url + "/"))
        await transport.aclose()
    assert len(server.requests) == 1
