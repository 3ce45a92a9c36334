"""A step that raises something nobody classified (a bug) is not retried forever.

It gets `max_unexpected_attempts` attempts (a race may pass), then fails for good: the
registration ends `failed`, `GET /api/v1/registraties/{id}` shows it, and the log has an
error event naming the exception type and code location, never its message.
"""

from __future__ import annotations

import asyncio
from typing import Any

from structlog.testing import capture_logs

from bff.registration.plan import StepContext
from bff.registration.runner import RegistrationRunner
from bff.registration.store import RegistrationStore
from tests.helpers.harness import start_bff
from tests.registration.fakes import PAYLOAD, SETTINGS, Calls, FakeClock, chain

SECRET = "999993653"
POLICY = SETTINGS.model_copy(update={"max_attempts": 20, "max_unexpected_attempts": 3})


class Buggy:
    """Raises a ValueError quoting personal data, as `int()` on odd input would."""

    def __init__(self, calls: Calls) -> None:
        self.calls = calls

    async def __call__(self, ctx: StepContext) -> dict[str, Any]:
        self.calls.log.append(ctx.step)
        raise ValueError(f"invalid literal for int() with base 10: '{SECRET}'")


async def test_an_unexpected_exception_fails_the_step_after_a_few_attempts(
    store: RegistrationStore,
) -> None:
    calls, clock = Calls(), FakeClock()
    runner = RegistrationRunner(store, POLICY, clock=clock, jitter=lambda: 0.0)
    runner.register_kind("klantcontact", lambda payload: chain(calls, betrokkene=Buggy(calls)))
    with capture_logs() as logs:
        reg = (
            await runner.register(kind="klantcontact", owner="mdw-1", payload=PAYLOAD)
        ).registration
        for _ in range(10):
            clock.advance(600)
            await runner.run_due()

    final = await store.get(reg.id)
    assert final is not None
    assert final.status == "failed"
    step = final.step("betrokkene")
    assert (step.status, step.attempts) == ("failed", 3)
    assert step.last_error is not None
    assert step.last_error.reason == "internal-error"
    assert final.step("interne_taak").status == "skipped"
    assert calls.count("betrokkene") == 3
    errors = [e for e in logs if e["log_level"] == "error"]
    assert [e["event"] for e in errors] == ["registration_step_error"] * 3 + ["registration_failed"]
    assert errors[0]["error"] == "ValueError"
    assert SECRET not in repr(logs)


async def test_a_payload_no_plan_can_be_built_from_fails_on_its_first_claim(
    store: RegistrationStore,
) -> None:
    calls, clock = Calls(), FakeClock()
    runner = RegistrationRunner(store, POLICY, clock=clock, jitter=lambda: 0.0)
    runner.register_kind("klantcontact", lambda payload: chain(calls))
    reg = (await runner.submit(kind="klantcontact", owner="mdw-1", payload=PAYLOAD)).registration

    def broken(payload: Any) -> Any:
        raise KeyError(SECRET)

    runner.register_kind("klantcontact", broken)  # e.g. a payload an older version wrote
    clock.advance(POLICY.lease_s + 1)
    with capture_logs() as logs:
        await runner.run_due()
        await runner.drain()
        clock.advance(600)
        assert await runner.run_due() == 0  # not claimed again

    final = await store.get(reg.id)
    assert final is not None
    assert final.status == "failed"
    assert {s.status for s in final.steps} == {"failed"}
    assert [e["event"] for e in logs if e["log_level"] == "error"] == ["registration_failed"]
    assert SECRET not in repr(logs)


async def test_the_status_page_shows_a_registration_a_bug_failed() -> None:
    async with start_bff() as bff:
        calls = Calls()
        runner = bff.services.registrations
        runner.register_kind("test-bug", lambda payload: chain(calls, klantcontact=Buggy(calls)))
        sub = await runner.register(kind="test-bug", owner="mdw-anna", payload=PAYLOAD)
        for _ in range(200):
            found = await bff.services.registration_store.get(sub.registration.id)
            if found is not None and found.finished:
                break
            await runner.run_due()
            await runner.drain()
            await asyncio.sleep(0.02)
        r = await bff.client.get(f"/api/v1/registraties/{sub.registration.id}", headers=bff.auth())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "failed"
    step = next(s for s in body["steps"] if s["name"] == "klantcontact")
    assert step["status"] == "failed"
    assert step["lastError"]["reason"] == "internal-error"
    assert calls.count("klantcontact") == 3
