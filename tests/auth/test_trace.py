"""W3C trace context: parsed or started per request, propagated to every upstream call."""

from __future__ import annotations

import contextvars

import httpx
import pytest
import respx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bff.privacy.trace import (
    TraceMiddleware,
    current_trace,
    outgoing_traceparent,
    parse_traceparent,
)
from bff.settings import UpstreamSettings
from bff.upstreams.base import make_http_client

INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "garbage",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
    ],
)
def test_invalid_traceparent_is_ignored(value: str | None) -> None:
    assert parse_traceparent(value) is None


def test_future_version_with_extra_fields_is_accepted() -> None:
    parsed = parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what")
    assert parsed is not None
    assert parsed.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"


def test_outgoing_traceparent_is_a_child_of_the_current_span() -> None:
    def outside_a_request() -> None:
        trace = current_trace()
        out = parse_traceparent(outgoing_traceparent())
        assert out is not None
        assert out.trace_id == trace.trace_id
        assert out.span_id != trace.span_id

    contextvars.copy_context().run(outside_a_request)  # leave no trace for other tests


def echo_app(client: httpx.AsyncClient) -> Starlette:
    async def endpoint(request: Request) -> Response:
        await client.get("zaken")
        await client.get("zaken")
        return JSONResponse({"trace_id": current_trace().trace_id})

    return Starlette(routes=[Route("/", endpoint)], middleware=[Middleware(TraceMiddleware)])


async def call(app: Starlette, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bff.test") as client:
        return await client.get("/", headers=headers)


async def test_upstream_calls_continue_the_incoming_trace() -> None:
    router = respx.MockRouter(assert_all_called=True)
    route = router.get("http://zaken.test/api/v1/zaken").respond(json={})
    settings = UpstreamSettings(base_url="http://zaken.test/api/v1")
    async with make_http_client(
        settings, transport=httpx.MockTransport(router.async_handler)
    ) as upstream:
        response = await call(echo_app(upstream), {"traceparent": INCOMING})
    router.assert_all_called()
    assert response.json() == {"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}
    sent = [parse_traceparent(c.request.headers["traceparent"]) for c in route.calls]
    assert all(s is not None and s.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736" for s in sent)
    span_ids = {s.span_id for s in sent if s}
    assert len(span_ids) == 2
    assert "00f067aa0ba902b7" not in span_ids


async def test_a_request_without_traceparent_starts_a_new_trace() -> None:
    router = respx.MockRouter()
    route = router.get("http://zaken.test/api/v1/zaken").respond(json={})
    settings = UpstreamSettings(base_url="http://zaken.test/api/v1")
    async with make_http_client(
        settings, transport=httpx.MockTransport(router.async_handler)
    ) as upstream:
        first = await call(echo_app(upstream), {"traceparent": "bogus"})
        second = await call(echo_app(upstream), {})
    assert first.json()["trace_id"] != second.json()["trace_id"]
    sent = parse_traceparent(route.calls[0].request.headers["traceparent"])
    assert sent is not None
    assert sent.trace_id == first.json()["trace_id"]
