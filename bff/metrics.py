"""Prometheus metrics of one running BFF, exposed at `GET /metrics`.

`create_app` makes one `Metrics` with its own `CollectorRegistry` (no global state, so
two apps in one process, as in the tests, never share a counter). What it measures:

    bff_http_request_duration_seconds{method,route,status_class}    histogram
    bff_http_requests_in_flight                                      gauge
    bff_http_requests_rejected_total{route_class}                    counter
    bff_admission_in_flight{route_class}, bff_admission_limit{...}   gauges
    bff_upstream_request_duration_seconds{upstream,method,outcome}   histogram
    bff_upstream_errors_total{upstream,reason}                       counter
    bff_cache_hits_total{cache}, bff_cache_misses_total{cache}       counters
    bff_registrations{state}                                         gauge
    bff_registrations_oldest_unfinished_age_seconds                  gauge
    process_* (CPU, memory, open files)                              from prometheus-client

Every label value is a fixed word of the code (a route *template*, an upstream name, a
status class, a reason code), never a value from a request: no BSN, name or id can
reach a label. A method that is not a standard HTTP method is counted as `other`.

Admission control (`bff.admission`) keeps its own counts per route class; they are read
at scrape time, like the caches' hit and miss counts.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Protocol, get_args

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.routing import BaseRoute, Match
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
        self._admission = _AdmissionCollector()
        r.register(self._admission)
        ProcessCollector(registry=r)
        self._store: RegistrationStore | None = None

    # -- hooks ------------------------------------------------------------------------

    def upstream_call(self, upstream: str, method: str, outcome: str, seconds: float) -> None:
        self.upstream_calls.labels(
            upstream=upstream, method=method_label(method), outcome=outcome
        ).observe(seconds)

    def upstream_error(self, upstream: str, reason: str) -> None:
        self.upstream_errors.labels(upstream=upstream, reason=reason).inc()

    def watch_caches(self, caches: Mapping[str, CacheStats]) -> None:
        self._caches.update(caches)

    def watch_admission(self, stats: AdmissionCounts) -> None:
        self._admission.stats = stats

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


class ClassCounts(Protocol):
    limit: int
    in_flight: int
    rejected: int


class AdmissionCounts(Protocol):
    """What `bff.admission.AdmissionStats` offers: counts per route class."""

    @property
    def classes(self) -> Mapping[str, ClassCounts]: ...


class _AdmissionCollector(Collector):
    """Reads admission control's counts per route class at scrape time."""

    def __init__(self) -> None:
        self.stats: AdmissionCounts | None = None

    def collect(self) -> Iterable[Metric]:
        rejected = CounterMetricFamily(
            "bff_http_requests_rejected",
            "Requests answered 503 by admission control before any work, per route class.",
            labels=["route_class"],
        )
        in_flight = GaugeMetricFamily(
            "bff_admission_in_flight", "Admitted requests in flight.", labels=["route_class"]
        )
        limit = GaugeMetricFamily(
            "bff_admission_limit",
            "In-flight limit per worker process now (below the configured one while the "
            "event loop runs late).",
            labels=["route_class"],
        )
        classes = self.stats.classes if self.stats is not None else {}
        for name, counts in sorted(classes.items()):
            rejected.add_metric([name], counts.rejected)
            in_flight.add_metric([name], counts.in_flight)
            limit.add_metric([name], counts.limit)
        return [rejected, in_flight, limit]


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
            route = getattr(scope.get("route") or _matching(scope), "path", None) or UNMATCHED
            self.metrics.requests.labels(
                method=method_label(scope["method"]),
                route=route,
                status_class=f"{status // 100}xx",
            ).observe(time.perf_counter() - started)


def _matching(scope: Scope) -> BaseRoute | None:
    """The route a request answered before routing (admission control's 503) would take."""
    app = scope.get("app")
    for route in getattr(app, "routes", ()):
        if route.matches(scope)[0] is Match.FULL:
            found: BaseRoute = route
            return found
    return None
