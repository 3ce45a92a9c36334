"""The status of a registration as the frontend shows it: per step, what was made, what failed.

Pure functions over `bff.registration.model.Registration`; no I/O. `lastError` carries
only the upstream name, a reason code, the BFF's own message and field names/codes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from bff.compose.base import OutModel
from bff.registration.model import Registration, RegistrationStatus, Step, StepError, StepStatus


class RejectedField(OutModel):
    name: str
    code: str


class StepFailure(OutModel):
    upstream: str
    reason: str
    message: str
    invalid_params: list[RejectedField] = Field(default_factory=list)


class RegistratieStep(OutModel):
    name: str
    status: StepStatus
    attempts: int
    depends_on: list[str]
    last_error: StepFailure | None = None


class RegistratieStatus(OutModel):
    """`created` maps each done step to the ids/urls it made upstream."""

    id: str
    kind: str
    referentienummer: str
    status: RegistrationStatus
    steps: list[RegistratieStep]
    created: dict[str, dict[str, Any]]
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime | None = None


def compose_step_failure(error: StepError) -> StepFailure:
    return StepFailure(
        upstream=error.upstream,
        reason=error.reason,
        message=error.message,
        invalid_params=[
            RejectedField(name=p.get("name", ""), code=p.get("code", ""))
            for p in error.invalid_params
        ],
    )


def compose_step(step: Step) -> RegistratieStep:
    return RegistratieStep(
        name=step.name,
        status=step.status,
        attempts=step.attempts,
        depends_on=list(step.depends_on),
        last_error=compose_step_failure(step.last_error) if step.last_error else None,
    )


def compose_registratie_status(reg: Registration) -> RegistratieStatus:
    """The frontend's view; `nextAttemptAt` only while a retry is actually scheduled."""
    return RegistratieStatus(
        id=reg.id,
        kind=reg.kind,
        referentienummer=reg.referentienummer,
        status=reg.status,
        steps=[compose_step(s) for s in reg.steps],
        created=reg.results(),
        created_at=reg.created_at,
        updated_at=reg.updated_at,
        next_attempt_at=reg.next_attempt_at if reg.status == "pending" else None,
    )
