"""Admission control: the excess is answered 503 with Retry-After at once; budgets count
from arrival."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from bff.admission import AdmissionControl, AdmissionStats, remaining_s, route_class
from tests.helpers.harness import DEMO_BSN, start_bff


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/api/v1/partijen/x/klantbeeld", "read"),
        ("POST", "/api/v1/klantbeeld", "read"),
        ("POST", "/api/v1/partijen/zoeken", "read"),
        ("POST", "/api/v1/klantcontacten", "write"),
        ("PATCH", "/api/v1/interne-taken/x", "write"),
        ("POST", "/api/v1/partijen", "write"),
        ("GET", "/health", None),
        ("GET", "/ready", None),
        ("GET", "/metrics", None),
        ("POST", "/oidc/token", None),
    ],
)
def test_route_classes(method: str, path: str, expected: str | None) -> None:
    assert route_class(method, path) == expected


def scope(method: str, path: str) -> Scope:
    return {"type": "http", "method": method, "path": path, "headers": [], "state": {}}


class Held:
    """An app that holds each request until released."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.entered = 0
        self.running = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.entered += 1
        self.running.set()
        await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


async def call(app: Any, s: Scope) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(s, receive, send)
    return sent


async def test_beyond_the_limit_a_request_gets_503_with_retry_after_without_being_run() -> None:
    inner, stats = Held(), AdmissionStats.with_limits({"read": 1, "write": 1})
    app = AdmissionControl(inner, stats=stats, retry_after_s=2)
    first = asyncio.create_task(call(app, scope("POST", "/api/v1/klantbeeld")))
    await inner.running.wait()
    answer = await call(app, scope("POST", "/api/v1/klantbeeld"))
    assert inner.entered == 1, "the excess request never reaches the app"
    start = answer[0]
    assert start["status"] == 503
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    assert headers["retry-after"] == "2"
    assert headers["content-type"] == "application/problem+json"
    assert b"urn:kcc-bff:problem:overloaded" in answer[1]["body"]
    inner.running.clear()
    write = asyncio.create_task(call(app, scope("POST", "/api/v1/klantcontacten")))
    await inner.running.wait()  # another class has its own limit
    assert inner.entered == 2
    inner.release.set()
    assert (await first)[0]["status"] == 200
    assert (await write)[0]["status"] == 200
    read = stats.classes["read"]
    assert (read.admitted, read.rejected, read.in_flight) == (1, 1, 0)


async def test_unlimited_paths_are_never_refused() -> None:
    inner = Held()
    inner.release.set()
    app = AdmissionControl(inner, stats=AdmissionStats.with_limits({"read": 1}), retry_after_s=1)
    app.stats.classes["read"].in_flight = 1  # full
    assert (await call(app, scope("GET", "/health")))[0]["status"] == 200


async def test_arrival_is_kept_and_the_budget_counts_from_it() -> None:
    seen: list[float] = []

    async def app(s: Scope, receive: Receive, send: Send) -> None:
        seen.append(remaining_s(Request(s), 2.5))

    s = scope("POST", "/api/v1/klantbeeld")
    s["state"]["arrived"] = time.monotonic() - 1.0  # arrived a second before it ran
    stats = AdmissionStats.with_limits({"read": 5})
    await call(AdmissionControl(app, stats=stats, retry_after_s=1), s)
    assert len(seen) == 1
    assert seen[0] <= 1.5
    assert remaining_s(Request(scope("GET", "/api/v1/x")), 2.5) == 2.5  # no arrival known


async def test_a_full_bff_answers_the_excess_before_checking_the_token() -> None:
    async with start_bff() as bff:
        bff.app.state.admission.classes["read"].in_flight = 10_000  # as if all were busy
        r = await bff.client.post("/api/v1/klantbeeld", json={"bsn": DEMO_BSN})
        assert r.status_code == 503
        assert r.headers["Retry-After"] == "1"
        assert r.headers["Cache-Control"] == "no-store"
        assert r.headers["X-Request-ID"]
        assert r.json()["type"] == "urn:kcc-bff:problem:overloaded"
        scrape = await bff.client.get("/metrics")
        assert 'bff_http_requests_rejected_total{route_class="read"} 1.0' in scrape.text
        bff.app.state.admission.classes["read"].in_flight = 0
        ok = await bff.client.post("/api/v1/klantbeeld", json={"bsn": DEMO_BSN}, headers=bff.auth())
        assert ok.status_code == 200
