"""Prometheus metrics of one running BFF, exposed at `GET /metrics`.

`create_app` makes one `Metrics` with its own `CollectorRegistry` (no global state, so
two apps in one process, as in the tests, never share a counter). What it measures:

    bff_http_request_duration_seconds{method,route,status_class}    histogram
    bff_http_requests_in_flight                                      gauge
    bff_http_requests_rejected_total{reason}                         counter
    bff_upstream_request_duration_seconds{upstream,method,outcome}   histogram
    bff_upstream_errors_total{upstream,reason}                       counter
    bff_cache_hits_total{cache}, bff_cache_misses_total{cache}       counters
    bff_registrations{state}                                         gauge
    bff_registrations_oldest_unfinished_age_seconds                  gauge
    process_* (CPU, memory, open files)                              from prometheus-client

Every label value is a fixed word of the code (a route *template*, an upstream name, a
status class, a reason code), never a value from a request: no BSN, name or id can
reach a label. A method that is not a standard HTTP method is counted as `other`.

Admission control reports a request it turns away with `metrics.request_rejected(reason)`
(`request.app.state.metrics`, or `scope["app"].state.metrics` in ASGI middleware).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import get_args

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bff.cache_stats import CacheStats
from bff.registration.model import RegistrationStatus
from bff.registration.store import RegistrationStore

CONTENT_TYPE = CONTENT_TYPE_LATEST
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UPSTREAM_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
UNMATCHED = "unmatched"


def method_label(method: str) -> str:
    return method if method in METHODS else "other"


class Metrics:
    """The collectors of one app; also the upstream clients' `CallObserver`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Histogram(
            "bff_http_request_duration_seconds",
            "Time to answer a request, by route template and status class.",
            ["method", "route", "status_class"],
            buckets=REQUEST_BUCKETS,
            registry=r,
        )
        self.in_flight = Gauge(
            "bff_http_requests_in_flight", "Requests being handled now.", registry=r
        )
        self.rejected = Counter(
            "bff_http_requests_rejected",
            "Requests turned away by admission control before being handled.",
            ["reason"],
            registry=r,
        )
        self.upstream_calls = Histogram(
            "bff_upstream_request_duration_seconds",
            "Time of one upstream call, by upstream and outcome (status class or failure).",
            ["upstream", "method", "outcome"],
            buckets=UPSTREAM_BUCKETS,
            registry=r,
        )
        self.upstream_errors = Counter(
            "bff_upstream_errors",
            "Upstream calls that failed, by upstream and reason.",
            ["upstream", "reason"],
            registry=r,
        )
        self.registrations = Gauge(
            "bff_registrations", "Registrations in the journal, by state.", ["state"], registry=r
        )
        self.oldest_unfinished = Gauge(
            "bff_registrations_oldest_unfinished_age_seconds",
            "Age of the oldest pending or running registration; 0 when there is none.",
            registry=r,
        )
        self._caches: dict[str, CacheStats] = {}
        r.register(_CacheCollector(self._caches))
        ProcessCollector(registry=r)
        self._store: RegistrationStore | None = None

    # -- hooks ------------------------------------------------------------------------

    def request_rejected(self, reason: str) -> None:
        """Admission control turned a request away (`reason`: a fixed word, e.g. `overloaded`)."""
        self.rejected.labels(reason=reason).inc()

    def upstream_call(self, upstream: str, method: str, outcome: str, seconds: float) -> None:
        self.upstream_calls.labels(
            upstream=upstream, method=method_label(method), outcome=outcome
        ).observe(seconds)

    def upstream_error(self, upstream: str, reason: str) -> None:
        self.upstream_errors.labels(upstream=upstream, reason=reason).inc()

    def watch_caches(self, caches: Mapping[str, CacheStats]) -> None:
        self._caches.update(caches)

    def watch_registrations(self, store: RegistrationStore | None) -> None:
        self._store = store

    # -- exposition -------------------------------------------------------------------

    async def exposition(self, now: datetime | None = None) -> bytes:
        """The text format, with the journal's gauges read just now."""
        if self._store is not None:
            stats = await self._store.stats()
            for state in get_args(RegistrationStatus):
                self.registrations.labels(state=state).set(stats.by_status.get(state, 0))
            oldest = stats.oldest_unfinished_at
            age = ((now or datetime.now(UTC)) - oldest).total_seconds() if oldest else 0.0
            self.oldest_unfinished.set(max(age, 0.0))
        return generate_latest(self.registry)


class _CacheCollector(Collector):
    """Reads the caches' own hit/miss counts at scrape time."""

    def __init__(self, caches: Mapping[str, CacheStats]) -> None:
        self._caches = caches

    def collect(self) -> Iterable[Metric]:
        hits = CounterMetricFamily(
            "bff_cache_hits", "Lookups answered from an in-process cache.", labels=["cache"]
        )
        misses = CounterMetricFamily(
            "bff_cache_misses", "Lookups an in-process cache could not answer.", labels=["cache"]
        )
        for name, stats in sorted(self._caches.items()):
            hits.add_metric([name], stats.hits)
            misses.add_metric([name], stats.misses)
        return [hits, misses]


class MetricsMiddleware:
    """Pure ASGI: in-flight gauge and the latency histogram, labelled by route template."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self.metrics.in_flight.dec()
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            self.metrics.requests.labels(
                method=method_label(scope["method"]),
                route=route,
                status_class=f"{status // 100}xx",
            ).observe(time.perf_counter() - started)
