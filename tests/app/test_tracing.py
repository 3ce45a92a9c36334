"""OpenTelemetry: one server span per request, a client span per upstream call, one trace id.

Spans go to an in-memory exporter through a provider handed to `create_app`; tracing from
the `OTEL_*` variables is checked by which middleware the app gets.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, format_span_id, format_trace_id

from bff.app import create_app
from bff.settings import ConfigurationError
from tests.helpers.auth import make_issuer
from tests.helpers.harness import DEMO_BSN, UPSTREAM_URL, bff_settings, demo_sandbox, start_bff
from tests.helpers.personal_data import demo_personal_values

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


class HeaderRecorder(httpx.AsyncBaseTransport):
    """Keeps the `traceparent` of every upstream request, then passes it on.

    The sign-in's key set is fetched over the same transport; it is no upstream call.
    """

    def __init__(self) -> None:
        self.inner: httpx.AsyncBaseTransport | None = None
        self.traceparents: list[str] = []

    def wrap(self, inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        self.inner = inner
        return self

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert self.inner is not None
        if request.url.host == httpx.URL(UPSTREAM_URL).host:
            self.traceparents.append(request.headers.get("traceparent", ""))
        return await self.inner.handle_async_request(request)


def in_memory() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def of_trace(exporter: InMemorySpanExporter, trace_id: str) -> list[ReadableSpan]:
    return [
        s
        for s in exporter.get_finished_spans()
        if s.context is not None and format_trace_id(s.context.trace_id) == trace_id
    ]


def span_id(span: ReadableSpan | Any) -> str:
    return format_span_id(span.span_id)


async def test_a_klantbeeld_is_one_server_span_with_a_child_span_per_upstream_call() -> None:
    provider, exporter = in_memory()
    recorder = HeaderRecorder()
    incoming = f"00-{TRACE_ID}-{CALLER_SPAN}-01"
    async with start_bff(tracer_provider=provider, wrap_transport=recorder.wrap) as bff:
        await bff.services.codes.tables()  # reference lists loaded: not part of the request
        recorder.traceparents.clear()
        r = await bff.client.post(
            "/api/v1/klantbeeld",
            json={"bsn": DEMO_BSN},
            headers={**bff.auth(), "traceparent": incoming},
        )
        records = bff.processing_records()
    assert r.status_code == 200, r.text
    spans = of_trace(exporter, TRACE_ID)
    [server] = [s for s in spans if s.kind is SpanKind.SERVER]
    clients = [s for s in spans if s.kind is SpanKind.CLIENT]
    assert server.name == "POST /api/v1/klantbeeld"
    assert server.parent is not None
    assert span_id(server.parent) == CALLER_SPAN
    assert len(spans) == 1 + len(clients)  # nothing else: no per-ASGI-message spans
    assert len(clients) == len(recorder.traceparents) >= 4  # partij, contacts, brp, zaken
    assert all(
        c.parent is not None and span_id(c.parent) == span_id(server.context) for c in clients
    )
    # what each upstream received names that call's client span, in the caller's trace
    sent = sorted(recorder.traceparents)
    assert sent == sorted(f"00-{TRACE_ID}-{span_id(c.context)}-01" for c in clients)
    # the log lines and the processing record of the request carry the same trace id
    request_lines = [e for e in bff.logs.events if e.get("event") == "request"]
    assert request_lines[-1]["trace_id"] == TRACE_ID
    assert records[-1].trace_id == TRACE_ID


async def test_spans_hold_no_query_string_and_no_personal_data() -> None:
    provider, exporter = in_memory()
    async with start_bff(tracer_provider=provider) as bff:
        await bff.client.post("/api/v1/klantbeeld", json={"bsn": DEMO_BSN}, headers=bff.auth())
        await bff.client.get(f"/api/v1/interne-taken?bsn={DEMO_BSN}", headers=bff.auth())
    spans = exporter.get_finished_spans()
    assert any(s.kind is SpanKind.CLIENT for s in spans)
    attributes = [dict(s.attributes or {}) for s in spans]
    for values in attributes:
        for key in ("http.url", "url.full", "http.target"):
            assert "?" not in str(values.get(key, "")), (key, values)
    dumped = json.dumps(attributes, default=str)
    assert demo_personal_values().find(dumped) == []


def _has_tracing(app: Any) -> bool:
    return any(m.cls is OpenTelemetryMiddleware for m in app.user_middleware)


def _app() -> Any:
    issuer = make_issuer()
    return create_app(bff_settings(demo_sandbox(), issuer))


def test_tracing_is_off_unless_an_exporter_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_TRACES_EXPORTER", raising=False)
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)
    assert not _has_tracing(_app())
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    assert not _has_tracing(_app())
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "otlp")
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert not _has_tracing(_app())


@pytest.mark.parametrize("exporter", ["console", "otlp"])
def test_the_standard_variables_turn_tracing_on(
    monkeypatch: pytest.MonkeyPatch, exporter: str
) -> None:
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", exporter)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    assert _has_tracing(_app())


@pytest.mark.parametrize(
    ("variable", "value"),
    [("OTEL_TRACES_EXPORTER", "zipkin-ish"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")],
)
def test_an_unknown_exporter_or_protocol_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "otlp")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=variable):
        _app()
