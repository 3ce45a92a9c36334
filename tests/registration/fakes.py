"""Readable fakes for registration tests: a settable clock, and step callables."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from bff.errors import InvalidParam, UpstreamRejected, UpstreamUnavailable
from bff.registration.model import Registration, new_registration
from bff.registration.plan import Plan, StepContext, StepSpec
from bff.registration.runner import RegistrationRunner
from bff.registration.store import RegistrationStore
from bff.settings import RegistrationSettings

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class ProcessCrash(BaseException):
    """Stands in for the process dying mid-plan: not an Exception, so nothing catches it."""


class Calls:
    """Which steps ran, in order, across all fakes sharing this log."""

    def __init__(self) -> None:
        self.log: list[str] = []

    def count(self, name: str) -> int:
        return self.log.count(name)


class Ok:
    def __init__(self, calls: Calls, result: dict[str, Any] | None = None) -> None:
        self.calls = calls
        self.result = result

    async def __call__(self, ctx: StepContext) -> dict[str, Any]:
        self.calls.log.append(ctx.step)
        return self.result if self.result is not None else {"uuid": f"{ctx.step}-uuid"}


class Flaky:
    """Unavailable for the first `failures` calls, then succeeds."""

    def __init__(self, calls: Calls, failures: int) -> None:
        self.calls = calls
        self.failures = failures

    async def __call__(self, ctx: StepContext) -> dict[str, Any]:
        self.calls.log.append(ctx.step)
        if self.failures > 0:
            self.failures -= 1
            raise UpstreamUnavailable("klantinteracties", "Did not answer.", reason="timeout")
        return {"uuid": f"{ctx.step}-uuid"}


class Rejected:
    async def __call__(self, ctx: StepContext) -> dict[str, Any]:
        raise UpstreamRejected(
            "klantinteracties",
            "klantinteracties refused the request as built.",
            invalid_params=[InvalidParam("referentienummer", "Moet uniek zijn.", "unique")],
        )


class Crash:
    async def __call__(self, ctx: StepContext) -> dict[str, Any]:
        raise ProcessCrash


class Meet:
    """Two steps that only finish if both are in flight at once (no timing involved)."""

    def __init__(self, calls: Calls, mine: asyncio.Event, other: asyncio.Event) -> None:
        self.calls = calls
        self.mine = mine
        self.other = other

    async def __call__(self, ctx: StepContext) -> dict[str, Any]:
        self.calls.log.append(ctx.step)
        self.mine.set()
        async with asyncio.timeout(10):  # a hang guard only: a sequential runner would block
            await self.other.wait()
        return {"uuid": f"{ctx.step}-uuid"}


class Gate:
    """Blocks until `release` is set."""

    def __init__(self, calls: Calls, release: asyncio.Event) -> None:
        self.calls = calls
        self.release = release

    async def __call__(self, ctx: StepContext) -> dict[str, Any]:
        self.calls.log.append(ctx.step)
        await self.release.wait()
        return {"uuid": f"{ctx.step}-uuid"}


def pending_registration(
    *, owner: str = "mdw-1", key: str | None = None, now: datetime = T0, number: str = "1"
) -> Registration:
    return new_registration(
        kind="test",
        owner=owner,
        payload={"onderwerp": "Vraag over afval", "n": number},
        referentienummer=number.zfill(10),
        steps=[("klantcontact", ()), ("betrokkene", ("klantcontact",))],
        now=now,
        idempotency_key=key,
    )


SETTINGS = RegistrationSettings(
    store="memory",
    inline_budget_s=60,
    backoff_base_s=1,
    backoff_cap_s=8,
    max_attempts=3,
    max_age_s=3600,
    lease_s=30,
)
PAYLOAD: dict[str, Any] = {"onderwerp": "Vraag over afval", "kanaal": "telefoon"}


def make_runner(store: RegistrationStore, clock: FakeClock) -> RegistrationRunner:
    return RegistrationRunner(store, SETTINGS, clock=clock, jitter=lambda: 0.0)


def chain(calls: Calls, **overrides: Any) -> Plan:
    """klantcontact -> (betrokkene, onderwerpobject) -> interne_taak (needs betrokkene)."""
    steps = {
        "klantcontact": StepSpec(overrides.get("klantcontact", Ok(calls))),
        "betrokkene": StepSpec(overrides.get("betrokkene", Ok(calls)), ("klantcontact",)),
        "onderwerpobject": StepSpec(overrides.get("onderwerpobject", Ok(calls)), ("klantcontact",)),
        "interne_taak": StepSpec(overrides.get("interne_taak", Ok(calls)), ("betrokkene",)),
    }
    return steps
