"""OpenTelemetry tracing: off unless the standard `OTEL_*` variables turn it on.

Tracing is on when `OTEL_TRACES_EXPORTER` names an exporter (`otlp`, `console`) and
`OTEL_SDK_DISABLED` is not `true`; it needs the `otel` extra (`pip install
'kcc-bff[otel]'`). Everything else is the SDK's own reading of the environment:
`OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` (resource), `OTEL_TRACES_SAMPLER` (and
`_ARG`), `OTEL_EXPORTER_OTLP_ENDPOINT` / `_TRACES_ENDPOINT`, `_HEADERS`, `_TIMEOUT`, and
`OTEL_PYTHON_EXCLUDED_URLS` (or `OTEL_PYTHON_ASGI_EXCLUDED_URLS`) for paths not traced.
`otlp` speaks `http/protobuf`; `grpc` needs `opentelemetry-exporter-otlp-proto-grpc`.

Each app gets its own `TracerProvider` (none is installed globally):

- the ASGI instrumentation opens one server span per request, named by route template
  (`POST /api/v1/klantbeeld`), continuing an incoming W3C `traceparent`;
- the httpx instrumentation opens a client span per upstream call and sends its context
  as `traceparent`;
- `TraceMiddleware` takes the server span's ids as the request's trace, so the log lines,
  processing records and spans of one request carry one trace id.

A span never holds a query string or a user agent: the URL attributes are cut to the
path (a query may carry a BSN), like the BFF's own logs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import httpx
from opentelemetry import trace
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.httpx import AsyncOpenTelemetryTransport, RequestInfo
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.util.http import get_excluded_urls
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from bff.settings import ConfigurationError

URL_ATTRIBUTES = ("http.url", "url.full")
TARGET_ATTRIBUTES = ("http.target", "url.path")
DROPPED = ("url.query", "http.user_agent", "user_agent.original")


def provider_from_env(environ: Mapping[str, str]) -> TracerProvider:
    """A provider exporting to what `OTEL_TRACES_EXPORTER` names, batched."""
    provider = TracerProvider()  # resource and sampler from OTEL_* by the SDK
    names = [n.strip().lower() for n in environ.get("OTEL_TRACES_EXPORTER", "").split(",")]
    for name in filter(None, names):
        if name != "none":
            provider.add_span_processor(BatchSpanProcessor(_exporter(name, environ)))
    return provider


def _exporter(name: str, environ: Mapping[str, str]) -> SpanExporter:
    if name == "console":
        return ConsoleSpanExporter()
    if name != "otlp":
        raise ConfigurationError(
            f"OTEL_TRACES_EXPORTER: unknown exporter {name!r}; use otlp, console or none."
        )
    protocol = (
        environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        or environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
        or "http/protobuf"
    )
    if protocol == "http/protobuf":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    if protocol == "grpc":
        try:
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (  # type: ignore[import-not-found,unused-ignore]  # optional
                OTLPSpanExporter as GrpcExporter,
            )
        except ImportError:
            raise ConfigurationError(
                "OTEL_EXPORTER_OTLP_PROTOCOL=grpc needs opentelemetry-exporter-otlp-proto-grpc;"
                " install it or use http/protobuf."
            ) from None
        exporter: SpanExporter = GrpcExporter()
        return exporter
    raise ConfigurationError(
        f"OTEL_EXPORTER_OTLP_PROTOCOL: {protocol!r} is not supported; use http/protobuf or grpc."
    )


class Tracing:
    """The tracing of one app: its provider, the server middleware, the client hooks."""

    def __init__(self, provider: trace.TracerProvider, *, owned: bool) -> None:
        self.provider = provider
        self._owned = owned  # made here from the environment: shut down with the app

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Tracing:
        return cls(provider_from_env(environ), owned=True)

    def middleware(self, routes: Iterable[BaseRoute]) -> Middleware:
        """The ASGI server-span middleware; it must be the outermost one."""
        known = list(routes)

        def span_details(scope: Scope) -> tuple[str, dict[str, Any]]:
            method = str(scope.get("method", "HTTP"))
            for route in known:
                match, _ = route.matches(scope)
                if match is Match.FULL:
                    template = str(getattr(route, "path", ""))
                    return f"{method} {template}", {"http.route": template}
            return method, {}

        return Middleware(
            OpenTelemetryMiddleware,
            excluded_urls=get_excluded_urls("ASGI"),
            default_span_details=span_details,
            server_request_hook=_scrub_server_span,
            tracer_provider=self.provider,
            exclude_spans=["receive", "send"],  # one span per request, not per ASGI message
        )

    def wrap_transport(self, transport: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        """An upstream client's transport, opening a client span per call."""
        traced: httpx.AsyncBaseTransport = AsyncOpenTelemetryTransport(
            transport, tracer_provider=self.provider, request_hook=_scrub_client_span
        )
        return traced

    def shutdown(self) -> None:
        if self._owned and isinstance(self.provider, TracerProvider):
            self.provider.shutdown()  # flushes what is still batched

    @staticmethod
    def span_ids() -> tuple[str, str, str] | None:
        """(trace id, span id, flags) of the active span, as W3C hex, or None outside one."""
        return _current_span_ids()


def _current_span_ids() -> tuple[str, str, str] | None:
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return (
        trace.format_trace_id(context.trace_id),
        trace.format_span_id(context.span_id),
        f"{int(context.trace_flags):02x}",
    )


def _scrub_server_span(span: trace.Span, scope: Scope) -> None:
    if span.is_recording():
        path = str(scope.get("path", ""))
        for key in TARGET_ATTRIBUTES:
            span.set_attribute(key, path)
        _scrub(span)


async def _scrub_client_span(span: trace.Span, request: RequestInfo) -> None:
    if span.is_recording():
        _scrub(span)


def _scrub(span: trace.Span) -> None:
    attributes = getattr(span, "attributes", None) or {}
    for key in URL_ATTRIBUTES:
        value = attributes.get(key)
        if isinstance(value, str):
            span.set_attribute(key, value.split("?", 1)[0])
    for key in DROPPED:
        if key in attributes:
            span.set_attribute(key, "")
