"""The runner: concurrency, persistence after each step, retries, permanent failures, resume."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from bff.registration.plan import StepSpec
from bff.registration.store import RegistrationStore
from tests.registration.fakes import (
    PAYLOAD,
    SETTINGS,
    Calls,
    FakeClock,
    Flaky,
    Meet,
    Ok,
    Rejected,
    chain,
    make_runner,
)


async def test_happy_path_completes_every_step_once_with_results(
    store: RegistrationStore,
) -> None:
    calls = Calls()
    runner = make_runner(store, FakeClock())
    runner.register_kind("klantcontact", lambda payload: chain(calls))

    sub = await runner.register(kind="klantcontact", owner="mdw-1", payload=PAYLOAD)

    reg = sub.registration
    assert reg.status == "completed"
    assert [s.status for s in reg.steps] == ["done"] * 4
    assert sorted(calls.log) == sorted(
        ["klantcontact", "betrokkene", "onderwerpobject", "interne_taak"]
    )
    assert calls.log[0] == "klantcontact"
    assert reg.results()["betrokkene"] == {"uuid": "betrokkene-uuid"}
    assert reg.referentienummer.isdigit()
    assert reg.lease_until is None
    assert await store.get(reg.id) == reg


async def test_independent_steps_are_in_flight_together(store: RegistrationStore) -> None:
    calls = Calls()
    betrokkene_started, onderwerpobject_started = asyncio.Event(), asyncio.Event()
    plan = chain(
        calls,
        betrokkene=Meet(calls, betrokkene_started, onderwerpobject_started),
        onderwerpobject=Meet(calls, onderwerpobject_started, betrokkene_started),
    )
    runner = make_runner(store, FakeClock())
    sub = await runner.submit(kind="klantcontact", owner="mdw-1", payload=PAYLOAD, plan=plan)

    reg = await runner.run_now(sub.registration, plan)

    assert reg.status == "completed"


async def test_steps_see_results_of_their_dependencies(store: RegistrationStore) -> None:
    seen: dict[str, Any] = {}

    class Reader:
        async def __call__(self, ctx: Any) -> dict[str, Any]:
            seen.update(ctx.results)
            seen["referentienummer"] = ctx.referentienummer
            return {}

    plan = {
        "klantcontact": StepSpec(Ok(Calls(), {"uuid": "kc-1"})),
        "betrokkene": StepSpec(Reader(), ("klantcontact",)),
    }
    runner = make_runner(store, FakeClock())
    sub = await runner.submit(kind="klantcontact", owner="mdw-1", payload=PAYLOAD, plan=plan)
    await runner.run_now(sub.registration, plan)

    assert seen == {
        "klantcontact": {"uuid": "kc-1"},
        "referentienummer": sub.registration.referentienummer,
    }


async def test_transient_failure_is_retried_later_without_rerunning_done_steps(
    store: RegistrationStore,
) -> None:
    calls, clock = Calls(), FakeClock()
    flaky = Flaky(calls, failures=1)
    runner = make_runner(store, clock)
    runner.register_kind("klantcontact", lambda payload: chain(calls, betrokkene=flaky))

    reg = (await runner.register(kind="klantcontact", owner="mdw-1", payload=PAYLOAD)).registration

    assert reg.status == "pending"
    error = reg.step("betrokkene").last_error
    assert error is not None
    assert (error.upstream, error.reason) == ("klantinteracties", "timeout")
    assert reg.step("interne_taak").status == "pending"
    assert reg.next_attempt_at == clock.now + timedelta(seconds=0.5)  # base 1 s, no jitter
    assert await runner.run_due() == 0  # not due yet
    clock.advance(1)
    assert await runner.run_due() == 1

    done = await store.get(reg.id)
    assert done is not None
    assert done.status == "completed"
    assert done.step("betrokkene").attempts == 2
    assert done.step("betrokkene").last_error is None
    assert calls.count("klantcontact") == calls.count("onderwerpobject") == 1
    assert calls.count("interne_taak") == 1


async def test_rejected_step_fails_for_good_and_skips_its_dependents(
    store: RegistrationStore,
) -> None:
    calls, clock = Calls(), FakeClock()
    runner = make_runner(store, clock)
    runner.register_kind("klantcontact", lambda payload: chain(calls, betrokkene=Rejected()))

    reg = (await runner.register(kind="klantcontact", owner="mdw-1", payload=PAYLOAD)).registration

    assert reg.status == "failed"
    statuses = {s.name: s.status for s in reg.steps}
    assert statuses == {
        "klantcontact": "done",
        "betrokkene": "failed",
        "onderwerpobject": "done",
        "interne_taak": "skipped",
    }
    error = reg.step("betrokkene").last_error
    assert error is not None
    assert error.upstream == "klantinteracties"
    assert error.reason == "rejected"
    assert error.invalid_params == [{"name": "referentienummer", "code": "unique"}]
    assert "interne_taak" not in calls.log
    clock.advance(3600)
    assert await runner.run_due() == 0


async def test_step_failing_max_attempts_times_ends_failed(store: RegistrationStore) -> None:
    calls, clock = Calls(), FakeClock()
    runner = make_runner(store, clock)
    runner.register_kind(
        "klantcontact", lambda payload: chain(calls, onderwerpobject=Flaky(calls, failures=99))
    )
    reg = (await runner.register(kind="klantcontact", owner="mdw-1", payload=PAYLOAD)).registration
    for _ in range(5):
        clock.advance(60)
        await runner.run_due()

    final = await store.get(reg.id)
    assert final is not None
    assert final.status == "failed"
    step = final.step("onderwerpobject")
    assert step.status == "failed"
    assert step.attempts == SETTINGS.max_attempts
    assert step.last_error is not None
    assert step.last_error.message.endswith("Gave up after 3 attempts.")
    assert final.step("interne_taak").status == "done"  # independent work still finished


async def test_registration_older_than_max_age_fails_after_its_last_try(
    store: RegistrationStore,
) -> None:
    calls, clock = Calls(), FakeClock()
    runner = make_runner(store, clock)
    runner.register_kind(
        "klantcontact", lambda payload: chain(calls, klantcontact=Flaky(calls, failures=99))
    )
    reg = (await runner.register(kind="klantcontact", owner="mdw-1", payload=PAYLOAD)).registration
    clock.advance(SETTINGS.max_age_s + 1)
    await runner.run_due()

    final = await store.get(reg.id)
    assert final is not None
    assert final.status == "failed"
    assert final.step("klantcontact").attempts == 2 < SETTINGS.max_attempts
    assert final.step("klantcontact").status == "failed"
    assert {s.status for s in final.steps[1:]} == {"skipped"}
    assert calls.log == ["klantcontact", "klantcontact"]
