"""W3C Trace Context: one trace per request, propagated to every upstream call.

`TraceMiddleware` continues the trace of an incoming valid `traceparent` header (or
starts a new one) with a fresh span id for the BFF's handling of the request, keeps
it in a context variable and binds `trace_id` to the log context. Upstream clients
add `add_traceparent` as an httpx request event hook, so each outgoing call carries
`traceparent: 00-<trace id>-<new child span id>-<flags>`. The processing and audit
records carry the same trace id, so a Logboek entry can be followed across services.

With OpenTelemetry on (`bff.tracing`), its server span has already continued the incoming
`traceparent`: `span_ids` hands its ids to this middleware, so logs, records and spans
share one trace id, and the httpx instrumentation's `traceparent` (set after this hook
runs) names the client span of each call.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

import httpx
import structlog
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")
_ZERO_TRACE = "0" * 32
_ZERO_SPAN = "0" * 16


@dataclass(frozen=True)
class TraceContext:
    trace_id: str
    span_id: str
    parent_span_id: str | None = None
    flags: str = "01"

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{self.flags}"

    def child(self) -> TraceContext:
        return TraceContext(self.trace_id, new_span_id(), self.span_id, self.flags)


_current: ContextVar[TraceContext | None] = ContextVar("bff_trace", default=None)


def new_span_id() -> str:
    return secrets.token_hex(8)


def new_trace() -> TraceContext:
    return TraceContext(secrets.token_hex(16), new_span_id())


def parse_traceparent(value: str | None) -> TraceContext | None:
    """The caller's context (its span id as `span_id`), or None when absent or invalid."""
    match = _TRACEPARENT.match((value or "").strip())
    if match is None:
        return None
    version, trace_id, span_id, flags, rest = match.groups()
    if version == "ff" or (version == "00" and rest):
        return None
    if trace_id == _ZERO_TRACE or span_id == _ZERO_SPAN:
        return None
    return TraceContext(trace_id, span_id, None, flags)


def start_trace(incoming: str | None) -> TraceContext:
    """The BFF's span for one request: a child of a valid incoming context, else a new trace."""
    parent = parse_traceparent(incoming)
    return parent.child() if parent else new_trace()


def current_trace() -> TraceContext:
    """The trace of the running request; outside one, a new trace for this context."""
    found = _current.get()
    if found is None:
        found = new_trace()
        _current.set(found)
    return found


def outgoing_traceparent() -> str:
    """A `traceparent` value for one upstream call: same trace, a new child span id."""
    return current_trace().child().traceparent


async def add_traceparent(request: httpx.Request) -> None:
    """httpx request event hook: `event_hooks={"request": [add_traceparent]}`."""
    request.headers["traceparent"] = outgoing_traceparent()


SpanIds = Callable[[], tuple[str, str, str] | None]  # (trace id, span id, flags) or None


class TraceMiddleware:
    """Pure ASGI, so the context variable is visible to the endpoint and its upstream calls."""

    def __init__(self, app: ASGIApp, *, span_ids: SpanIds | None = None) -> None:
        self.app = app
        self.span_ids = span_ids

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ids = self.span_ids() if self.span_ids else None
        trace = TraceContext(*ids[:2], None, ids[2]) if ids else None
        trace = trace or start_trace(Headers(scope=scope).get("traceparent"))
        scope.setdefault("state", {})["trace"] = trace
        token = _current.set(trace)
        try:
            with structlog.contextvars.bound_contextvars(trace_id=trace.trace_id):
                await self.app(scope, receive, send)
        finally:
            _current.reset(token)
