"""Admission control: every API request is admitted at arrival, or answered 503 at once.

Each route class has an in-flight limit per worker process:

    read    GET/HEAD, and the POSTs that only read (klantbeeld, partijen zoeken)
    write   every other POST, PUT, PATCH, DELETE (registrations, changes)

A request beyond its class's limit gets a 503 problem (`urn:kcc-bff:problem:overloaded`)
with `Retry-After`, before any work is done for it: no token check, no body read, no
upstream call. An overloaded BFF so answers the excess in microseconds and serves what it
admitted within its budget, instead of queueing everything until all of it is late.
Paths outside `/api/` (health, readiness, metrics, docs, the demo issuer) are never limited.

The configured limits are ceilings: with `loop_delay_target_s` set, a class whose limit
is reached while the event loop runs late is allowed fewer, until the loop keeps up
(`bff.admission_limit`; the probe runs from lifespan start-up to shutdown).

Under `bff serve` the same decision is taken earlier, in the HTTP protocol, as soon as a
request's headers are parsed (`bff.admission_http`): a refused request is answered there and
never becomes a task; an admitted one carries `ADMITTED` in its scope state, and this
middleware lets it through without counting it again.

The arrival time goes into scope state (`arrived`, `time.monotonic()`), so deadlines such
as the klantbeeld budget count from arrival (`remaining_s`), not from when a handler runs.
`AdmissionStats` (on `app.state.admission`) counts admitted and rejected requests and
those in flight per class: plain integers that `/metrics` reads
(`bff_http_requests_rejected_total{route_class}` and the in-flight gauges).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bff.admission_limit import LimitGovernor, LoopDelayProbe
from bff.errors import Overloaded, render

API_PREFIX = "/api/"
ADMITTED = "admitted_at_arrival"  # scope state: the server admitted (and counts) this request
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READING_POSTS = frozenset({"/api/v1/klantbeeld", "/api/v1/partijen/zoeken"})
OVERLOADED = (
    "The BFF is busy with other requests right now. Try again in a moment; nothing was "
    "read or changed."
)


def route_class(method: str, path: str) -> str | None:
    """`read`, `write`, or None for a path that is never limited."""
    if not path.startswith(API_PREFIX):
        return None
    if method in READ_METHODS or (method == "POST" and path in READING_POSTS):
        return "read"
    return "write"


@dataclass
class ClassStats:
    ceiling: int  # the configured limit
    limit: int  # the limit now: the ceiling, or less while the loop runs late
    in_flight: int = 0
    peak: int = 0  # most in flight since the limit was last adjusted
    admitted: int = 0
    rejected: int = 0


def admit(counts: ClassStats) -> bool:
    """Take a place in the class, or count a refusal: False when its limit is reached."""
    if counts.in_flight >= counts.limit:
        counts.rejected += 1
        return False
    counts.admitted += 1
    counts.in_flight += 1
    counts.peak = max(counts.peak, counts.in_flight)
    return True


@dataclass
class AdmissionStats:
    """Per route class: the limit, in flight now, admitted and rejected since start."""

    classes: dict[str, ClassStats] = field(default_factory=dict)

    @classmethod
    def with_limits(cls, limits: dict[str, int]) -> AdmissionStats:
        return cls({name: ClassStats(ceiling=limit, limit=limit) for name, limit in limits.items()})


class AdmissionControl:
    """Pure ASGI middleware; see the module docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        stats: AdmissionStats,
        retry_after_s: int,
        loop_delay_target_s: float | None = None,
    ) -> None:
        self.app = app
        self.stats = stats
        self.retry_after = str(retry_after_s)
        self.probe: LoopDelayProbe | None = None
        if loop_delay_target_s is not None:
            governor = LimitGovernor(stats.classes.values(), target_s=loop_delay_target_s)
            self.probe = LoopDelayProbe(governor)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan" and self.probe is not None:
            await self.app(scope, receive, self.probing(self.probe, send))
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state.setdefault("arrived", time.monotonic())
        name = route_class(scope["method"], scope["path"])
        counts = self.stats.classes.get(name) if name else None
        if counts is None or state.get(ADMITTED):
            await self.app(scope, receive, send)
            return
        if not admit(counts):
            problem = Overloaded(OVERLOADED, headers={"Retry-After": self.retry_after})
            await render(problem, instance=state.get("request_id"))(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            counts.in_flight -= 1

    @staticmethod
    def probing(probe: LoopDelayProbe, send: Send) -> Send:
        """The lifespan's `send`: the loop-delay probe runs from start-up to shutdown."""

        async def sending(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                probe.start()
            elif message["type"].startswith("lifespan.shutdown"):
                probe.stop()
            await send(message)

        return sending


def remaining_s(request: Request, budget_s: float) -> float:
    """What is left of `budget_s` counted from the request's arrival (never below zero)."""
    arrived = request.scope.get("state", {}).get("arrived")
    if not isinstance(arrived, float):
        return budget_s
    return max(0.0, budget_s - (time.monotonic() - arrived))
