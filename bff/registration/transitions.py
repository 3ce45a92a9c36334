"""The registration state machine as pure functions: which steps may start, how an outcome
changes a step, and how a pass ends (completed, failed, or retried later).

The runner owns concurrency, persistence and logging; these functions only change the
`Registration` they are given, so the rules can be read (and tested) in one place.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from bff.registration.model import Registration, Step, StepError, transitive_dependents
from bff.registration.plan import UNEXPECTED, Outcome, StepContext, backoff_s, classify
from bff.settings import RegistrationSettings


def ready_steps(reg: Registration, *, exclude: Collection[str]) -> list[str]:
    """Pending steps, not excluded, whose dependencies are all done."""
    return [
        s.name
        for s in reg.steps
        if s.status == "pending"
        and s.name not in exclude
        and all(reg.step(d).status == "done" for d in s.depends_on)
    ]


def step_context(reg: Registration, name: str) -> StepContext:
    return StepContext(
        registration_id=reg.id,
        kind=reg.kind,
        owner=reg.owner,
        referentienummer=reg.referentienummer,
        payload=reg.payload,
        results=reg.results(),
        step=name,
        attempt=reg.step(name).attempts,
        unknown_outcome_at=max(
            (s.unknown_outcome_at for s in reg.steps if s.unknown_outcome_at), default=None
        ),
    )


def mark_unplannable(reg: Registration, name: str) -> None:
    """This process has no callable for the step: a transient failure (another may have)."""
    step = reg.step(name)
    step.attempts += 1
    step.last_error = StepError(
        upstream="bff", reason="no-plan", message="This BFF cannot run this step."
    )


def record_result(reg: Registration, name: str, result: dict[str, Any]) -> None:
    step = reg.step(name)
    step.status, step.result, step.last_error = "done", result, None


def record_failure(
    reg: Registration, name: str, exc: Exception, now: datetime | None = None
) -> Outcome:
    """Keep the reason; a permanent failure fails the step and skips what depends on it.
    A write with an unknown outcome is remembered (`unknown_outcome_at`): its retry waits
    until the upstream can no longer be working on it (see `conclude`)."""
    step = reg.step(name)
    outcome, step.last_error = classify(exc)
    if step.last_error.unknown_outcome and now is not None:
        step.unknown_outcome_at = now
    if outcome == "permanent":
        _fail(reg, name)
    return outcome


def conclude(
    reg: Registration,
    *,
    blocked: Collection[str],
    now: datetime,
    policy: RegistrationSettings,
    jitter: float,
) -> float | None:
    """End a pass. `blocked` steps failed transiently in it: they are failed for good when
    out of attempts or when the registration is too old, else retried after a backoff.
    Returns the backoff in seconds when a retry is scheduled, else None."""
    too_old = now - reg.created_at >= timedelta(seconds=policy.max_age_s)
    for step in reg.steps:
        if step.status != "pending" or step.name not in blocked:
            continue
        if too_old or step.attempts >= _attempt_limit(step, policy):
            if step.last_error is not None:
                step.last_error.message += f" Gave up after {step.attempts} attempts."
            _fail(reg, step.name)
    reg.lease_until = None
    if any(s.status == "pending" for s in reg.steps):
        reg.status = "pending"
        reg.attempts += 1
        delay = backoff_s(
            reg.attempts, base_s=policy.backoff_base_s, cap_s=policy.backoff_cap_s, jitter=jitter
        )
        unsettled = [
            s.unknown_outcome_at + timedelta(seconds=policy.settle_s)
            for s in reg.steps
            if s.status == "pending" and s.name in blocked and s.unknown_outcome_at
        ]
        if unsettled:  # look again only when the upstream can no longer be working on it
            delay = max(delay, (max(unsettled) - now).total_seconds())
        reg.next_attempt_at = now + timedelta(seconds=delay)
        return delay
    reg.next_attempt_at = None
    reg.status = "failed" if any(s.status == "failed" for s in reg.steps) else "completed"
    return None


def _attempt_limit(step: Step, policy: RegistrationSettings) -> int:
    """A step whose last attempt raised something unexpected gets fewer attempts."""
    if step.last_error is not None and step.last_error.reason == UNEXPECTED:
        return min(policy.max_attempts, policy.max_unexpected_attempts)
    return policy.max_attempts


def unplannable(reg: Registration) -> None:
    """No plan can be built from this registration's payload: fail every pending step."""
    for step in reg.steps:
        if step.status == "pending":
            step.attempts += 1
            step.last_error = StepError(
                upstream="bff", reason=UNEXPECTED, message="This registration cannot be planned."
            )
            step.status = "failed"
    reg.status, reg.lease_until, reg.next_attempt_at = "failed", None, None


def _fail(reg: Registration, name: str) -> None:
    reg.step(name).status = "failed"
    for dependent in transitive_dependents(reg.steps, name):
        if reg.step(dependent).status == "pending":
            reg.step(dependent).status = "skipped"
