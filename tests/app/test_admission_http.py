"""Admission in the HTTP protocol: the excess is answered 503 as its headers are read,
without a task; what is admitted is counted once; health is never refused."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httptools
import uvicorn
from uvicorn.server import ServerState

from bff.admission_http import GATE, AdmissionGate, AdmittingHttpToolsProtocol
from bff.serve import _config
from tests.helpers.harness import DEMO_BSN, Bff, start_bff

ORIGIN = "https://kcc.example.nl"


class Transport(asyncio.Transport):
    """Collects what the protocol writes."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 50000) if name in ("peername", "sockname") else default

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class Answers:
    """httptools callbacks: the responses in what was written."""

    def __init__(self) -> None:
        self.all: list[dict[str, Any]] = []
        self.parser = httptools.HttpResponseParser(self)

    def on_headers_complete(self) -> None:
        self.all[-1]["status"] = self.parser.get_status_code()

    def on_message_begin(self) -> None:
        self.all.append({"headers": {}, "body": b""})

    def on_header(self, name: bytes, value: bytes) -> None:
        self.all[-1]["headers"][name.decode().lower()] = value.decode()

    def on_body(self, body: bytes) -> None:
        self.all[-1]["body"] += body


def answers(written: bytes) -> list[dict[str, Any]]:
    found = Answers()
    found.parser.feed_data(written)
    return found.all


def request(method: str, path: str, body: Any = None, **headers: str) -> bytes:
    data = b"" if body is None else json.dumps(body).encode()
    lines = [f"{method} {path} HTTP/1.1", "Host: bff", f"Content-Length: {len(data)}"]
    if body is not None:
        lines.append("Content-Type: application/json")
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


def connect(bff: Bff) -> tuple[AdmittingHttpToolsProtocol, Transport]:
    """A connection to the app as `bff serve` would serve it, with its lifespan state."""
    state = bff.client._transport.app.state  # type: ignore[attr-defined]  # the harness's
    assert isinstance(state[GATE], AdmissionGate)
    config = uvicorn.Config(bff.app, log_config=None, lifespan="off")
    protocol = AdmittingHttpToolsProtocol(config, ServerState(), state)
    transport = Transport()
    protocol.connection_made(transport)
    return protocol, transport


async def finished(protocol: AdmittingHttpToolsProtocol) -> None:
    while protocol.server_state.tasks:
        await asyncio.gather(*protocol.server_state.tasks)


def test_bff_serve_uses_the_admitting_protocol() -> None:
    config = _config("bff.serve:worker_app", "127.0.0.1", 8000, 1)
    assert config.http == "bff.admission_http:AdmittingHttpToolsProtocol"


async def test_the_excess_is_answered_as_its_headers_are_read_and_the_connection_goes_on() -> None:
    async with start_bff() as bff:
        read = bff.app.state.admission.classes["read"]
        read.in_flight = read.limit  # full
        protocol, transport = connect(bff)
        protocol.data_received(request("POST", "/api/v1/klantbeeld", {"bsn": DEMO_BSN}))
        assert not protocol.server_state.tasks, "no task for a refused request"
        [answer] = answers(bytes(transport.written))
        assert answer["status"] == 503
        assert answer["headers"]["retry-after"] == "1"
        assert answer["headers"]["content-type"] == "application/problem+json"
        assert answer["headers"]["cache-control"] == "no-store"
        problem = json.loads(answer["body"])
        assert problem["type"] == "urn:kcc-bff:problem:overloaded"
        assert problem["status"] == 503
        assert problem["instance"] == answer["headers"]["x-request-id"]
        assert (read.rejected, read.admitted) == (1, 0)
        assert not transport.closed

        protocol.data_received(request("GET", "/health"))  # same connection, never refused
        await finished(protocol)
        assert [a["status"] for a in answers(bytes(transport.written))] == [503, 200]
        protocol.data_received(request("GET", "/metrics"))
        await finished(protocol)
        scrape = answers(bytes(transport.written))[-1]["body"].decode()
        assert 'bff_http_requests_rejected_total{route_class="read"} 1.0' in scrape
        read.in_flight = 0


async def test_a_refused_request_keeps_its_request_id_and_gets_the_cors_headers() -> None:
    async with start_bff(cors_origins=[ORIGIN]) as bff:
        read = bff.app.state.admission.classes["read"]
        read.in_flight = read.limit
        rid = "0b7c7e58-3f7a-4a55-9d55-1f0c2a7b9e01"
        headers = {"Origin": ORIGIN, "X-Request-ID": rid}
        # the same refusal through the middleware chain, for comparison
        read.limit = 0
        chain = await bff.client.post("/api/v1/klantbeeld", json={"bsn": DEMO_BSN}, headers=headers)
        read.limit = read.ceiling
        assert chain.status_code == 503
        protocol, transport = connect(bff)
        protocol.data_received(request("POST", "/api/v1/klantbeeld", {"bsn": DEMO_BSN}, **headers))
        [answer] = answers(bytes(transport.written))
        assert answer["headers"]["x-request-id"] == rid
        for name in ("access-control-allow-origin", "access-control-expose-headers", "vary"):
            assert answer["headers"][name] == chain.headers[name], name
        assert json.loads(answer["body"]) == chain.json()
        read.in_flight = 0


async def test_an_admitted_request_is_counted_once_and_gives_its_place_back() -> None:
    async with start_bff() as bff:
        read = bff.app.state.admission.classes["read"]
        protocol, transport = connect(bff)
        auth = bff.auth()["Authorization"]
        protocol.data_received(
            request("POST", "/api/v1/klantbeeld", {"bsn": DEMO_BSN}, Authorization=auth)
        )
        assert len(protocol.server_state.tasks) == 1
        assert read.in_flight == 1, "its place is taken on arrival"
        await finished(protocol)
        [answer] = answers(bytes(transport.written))
        assert answer["status"] == 200
        assert (read.admitted, read.rejected, read.in_flight) == (1, 0, 0)


async def test_a_client_waiting_for_100_continue_gets_the_503_and_the_connection_closes() -> None:
    async with start_bff() as bff:
        read = bff.app.state.admission.classes["read"]
        read.in_flight = read.limit
        protocol, transport = connect(bff)
        head = request("POST", "/api/v1/klantbeeld", {"bsn": DEMO_BSN}, Expect="100-continue")
        protocol.data_received(head.split(b"\r\n\r\n")[0] + b"\r\n\r\n")
        [answer] = answers(bytes(transport.written))
        assert answer["status"] == 503
        assert answer["headers"]["connection"] == "close"
        assert transport.closed
        read.in_flight = 0
