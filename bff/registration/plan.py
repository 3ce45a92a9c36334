"""A registration *plan*: the named steps a feature supplies, and how their failures count.

A plan maps a step name to a `StepSpec`: an async callable `(StepContext) -> dict` plus
the names of the steps it depends on. The returned dict is the step's result (created
uuids/urls, JSON only) and is persisted at once; dependents read it from
`ctx.results[<step name>]`.

Failures are classified with the error tree of `bff.errors`:

    UpstreamUnavailable, UpstreamError  transient: retry later with backoff
    any other Exception (a bug)         `UNEXPECTED`: retried a few times (a race may
                                        pass), then failed for good
                                        (`max_unexpected_attempts`)
    a BffError with status 503          transient: part of the BFF itself is paused or busy
                                        (the PostgreSQL journal or its advisory locks)
    UpstreamRejected, InvalidInput,     permanent: the step fails with the reason,
    any other BffError                  its dependents are skipped

`ReferentienummerTaken` is none of these: another klantcontact carries the registration's
referentienummer, so the runner mints the next one from the store and runs the step again
(not counted as an attempt).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bff.errors import (
    BffError,
    InvalidInput,
    UpstreamError,
    UpstreamFailure,
    UpstreamRejected,
    UpstreamUnavailable,
)
from bff.registration.model import StepError


class ReferentienummerTaken(Exception):
    """Another klantcontact carries this registration's referentienummer: take the next."""


def referentienummer_taken(exc: UpstreamRejected) -> bool:
    """Klantinteracties refused a klantcontact for a duplicate referentienummer (400
    `referentienummer` / `unique`; nested under `klantcontact.` in `/maak-klantcontact`)."""
    return any(
        p.code == "unique" and p.name.rsplit(".", 1)[-1] == "referentienummer"
        for p in exc.invalid_params
    )


@dataclass(frozen=True)
class StepContext:
    """What a step may read: the registration's journalled input and earlier results."""

    registration_id: str
    kind: str
    owner: str
    referentienummer: str
    payload: Mapping[str, Any]
    results: Mapping[str, Mapping[str, Any]]
    step: str
    attempt: int
    unknown_outcome_at: datetime | None = None  # the last write of this registration that
    # timed out or lost its connection (any step): the upstream may have committed it


StepCall = Callable[[StepContext], Coroutine[Any, Any, dict[str, Any]]]


@dataclass(frozen=True)
class StepSpec:
    run: StepCall
    depends_on: tuple[str, ...] = field(default_factory=tuple)


Plan = Mapping[str, StepSpec]
PlanFactory = Callable[[Mapping[str, Any]], Plan]  # payload -> plan


def plan_steps(plan: Plan) -> list[tuple[str, tuple[str, ...]]]:
    """(name, depends_on) in plan order, after checking the plan is a DAG of known steps."""
    for name, spec in plan.items():
        unknown = [d for d in spec.depends_on if d not in plan]
        if unknown:
            raise ValueError(f"Step {name!r} depends on unknown steps {unknown}.")
    visiting: set[str] = set()
    settled: set[str] = set()

    def visit(name: str) -> None:
        if name in settled:
            return
        if name in visiting:
            raise ValueError(f"The plan has a dependency cycle through {name!r}.")
        visiting.add(name)
        for dep in plan[name].depends_on:
            visit(dep)
        visiting.discard(name)
        settled.add(name)

    for name in plan:
        visit(name)
    return [(name, tuple(spec.depends_on)) for name, spec in plan.items()]


Outcome = Literal["transient", "permanent"]
UNEXPECTED = "internal-error"  # the StepError reason of an exception nobody classified


def classify(exc: Exception) -> tuple[Outcome, StepError]:
    """Is this failure worth retrying, and what may the status page say about it."""
    if isinstance(exc, ReferentienummerTaken):  # the runner renumbers; past its limit, wait
        return "transient", StepError(
            upstream="klantinteracties",
            reason="referentienummer-taken",
            message="Other klantcontacten carry the next referentienummers; will try more later.",
        )
    if isinstance(exc, UpstreamUnavailable | UpstreamError):
        return "transient", StepError(
            upstream=exc.upstream,
            reason=exc.reason,
            message=exc.detail,
            unknown_outcome=exc.unknown_outcome,
        )
    if isinstance(exc, UpstreamFailure):  # UpstreamRejected: the upstream said 400
        params = getattr(exc, "invalid_params", [])
        return "permanent", StepError(
            upstream=exc.upstream,
            reason=exc.reason,
            message=exc.detail,
            invalid_params=[{"name": p.name, "code": p.code} for p in params],
        )
    if isinstance(exc, InvalidInput):
        return "permanent", StepError(
            upstream="bff",
            reason=exc.slug,
            message=exc.detail,
            invalid_params=[{"name": p.name, "code": p.code} for p in exc.params],
        )
    if isinstance(exc, BffError):
        outcome: Outcome = "transient" if exc.status == 503 else "permanent"
        return outcome, StepError(upstream="bff", reason=exc.slug, message=exc.detail)
    return "transient", StepError(
        upstream="bff",
        reason=UNEXPECTED,
        message=f"Unexpected {type(exc).__name__} in the BFF.",
    )


def backoff_s(attempt: int, *, base_s: float, cap_s: float, jitter: float) -> float:
    """Exponential backoff with equal jitter: half fixed, half random (`jitter` in [0, 1))."""
    ceiling = min(cap_s, base_s * 2.0 ** max(attempt - 1, 0))
    return ceiling / 2 + ceiling / 2 * jitter
