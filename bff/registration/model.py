"""The registration journal record: a write to the upstreams as a small state machine of steps.

A `Registration` is persisted before the first upstream call and updated after every
step, so a failure halfway is resumed rather than lost. Its lifecycle:

    pending  --claim-->  running  --all steps done-->            completed
       ^                    |     --a step failed, none pending-->  failed
       +----retry later-----+     (transient failure: back off, next_attempt_at)

A `Step` is `pending`, then `done` (its `result` holds the created ids/urls), `failed`
(permanently, with `last_error`) or `skipped` (a step it depends on failed).

`last_error` never holds personal data: the upstream name, a reason code, the BFF's own
human message and the names/codes (never values) of rejected fields.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from bff.errors import InvalidInput

RegistrationStatus = Literal["pending", "running", "completed", "failed"]
StepStatus = Literal["pending", "done", "failed", "skipped"]

IDEMPOTENCY_KEY_MAX = 200

RETAINED_PAYLOAD_KEYS = ("partij", "klantcontact", "verificatie")
"""What of a payload outlives its retention, and only as a plain string: the uuid of a
partij or klantcontact and the verificatie outcome, which the answer to a finished
registration still shows. Everything else the medewerker typed (BSN, names, addresses,
phone, e-mail, inhoud, toelichting, a klantcontact's fields) is erased."""


class StepError(BaseModel):
    """Why a step did not succeed (yet). No personal data."""

    upstream: str
    reason: str
    message: str
    invalid_params: list[dict[str, str]] = Field(default_factory=list)
    unknown_outcome: bool = False  # a write whose result is unknown: it may still land


class Step(BaseModel):
    name: str
    depends_on: list[str] = Field(default_factory=list)
    status: StepStatus = "pending"
    attempts: int = 0
    result: dict[str, Any] = Field(default_factory=dict)
    last_error: StepError | None = None
    unknown_outcome_at: AwareDatetime | None = None  # the last attempt whose write may land


class Registration(BaseModel):
    """One journalled write. `version` guards `save` (compare-and-set)."""

    id: str
    kind: str
    owner: str
    idempotency_key: str | None = None
    fingerprint: str
    payload: dict[str, Any]
    referentienummer: str
    status: RegistrationStatus = "pending"
    created_at: AwareDatetime
    updated_at: AwareDatetime
    attempts: int = 0
    next_attempt_at: AwareDatetime | None = None
    lease_until: AwareDatetime | None = None
    version: int = 0
    steps: list[Step] = Field(default_factory=list)
    payload_erased_at: AwareDatetime | None = None

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def copied(self, **update: Any) -> Registration:
        """An independent copy with `update` applied: no list, dict or model is shared with
        this one, so changing either never changes the other. Dumped and validated again by
        pydantic's compiled code: several times cheaper than `model_copy(deep=True)`."""
        return Registration.model_validate({**self.model_dump(), **update})

    def results(self) -> dict[str, dict[str, Any]]:
        """The result of every done step, by step name."""
        return {s.name: dict(s.result) for s in self.steps if s.status == "done"}

    @property
    def finished(self) -> bool:
        return self.status in ("completed", "failed")

    def erased(self, at: datetime) -> Registration:
        """A copy without the personal data of its payload; status, steps and ids stay."""
        kept = {
            k: v
            for k, v in self.payload.items()
            if k in RETAINED_PAYLOAD_KEYS and (v is None or isinstance(v, str))
        }
        return self.copied(payload=kept, payload_erased_at=at)

    def retention_over(self, completed_before: datetime, failed_before: datetime) -> bool:
        """Finished before the cut-off of its status, and not erased yet."""
        if self.payload_erased_at is not None:
            return False
        if self.status == "completed":
            return self.updated_at <= completed_before
        return self.status == "failed" and self.updated_at <= failed_before


def fingerprint(kind: str, owner: str, payload: Mapping[str, Any]) -> str:
    """sha256 over the canonical JSON of the request: same body, same medewerker, same hash."""
    canonical = json.dumps(
        {"kind": kind, "owner": owner, "payload": payload},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def new_registration(
    *,
    kind: str,
    owner: str,
    payload: Mapping[str, Any],
    referentienummer: str,
    steps: Sequence[tuple[str, Sequence[str]]],
    now: datetime,
    idempotency_key: str | None = None,
) -> Registration:
    """A fresh registration, every step pending. `steps` is (name, depends_on) in plan order."""
    return Registration(
        id=str(uuid.uuid4()),
        kind=kind,
        owner=owner,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint(kind, owner, payload),
        payload=dict(payload),
        referentienummer=referentienummer,
        created_at=now,
        updated_at=now,
        next_attempt_at=now,
        steps=[Step(name=name, depends_on=list(deps)) for name, deps in steps],
    )


def parse_idempotency_key(value: str | None) -> str | None:
    """Validate an `Idempotency-Key` header value: 1-200 printable ASCII characters."""
    if value is None:
        return None
    key = value.strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX or not key.isascii() or not key.isprintable():
        raise InvalidInput.one(
            "Idempotency-Key",
            f"Use 1 to {IDEMPOTENCY_KEY_MAX} printable ASCII characters, e.g. a UUID.",
            "invalid-idempotency-key",
        )
    return key


def transitive_dependents(steps: Sequence[Step], name: str) -> set[str]:
    """Every step that (directly or indirectly) depends on `name`."""
    found: set[str] = set()
    frontier = [name]
    while frontier:
        current = frontier.pop()
        for step in steps:
            if current in step.depends_on and step.name not in found:
                found.add(step.name)
                frontier.append(step.name)
    return found
