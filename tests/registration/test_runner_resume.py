"""Resuming: after a crash, after a restart, out of the inline budget, and idempotent requests."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bff.errors import InvalidInput
from bff.registration.model import new_registration
from bff.registration.runner import RegistrationRunner
from bff.registration.sqlite import SqliteRegistrationStore
from bff.registration.store import RegistrationStore
from tests.registration.fakes import (
    PAYLOAD,
    SETTINGS,
    Calls,
    Crash,
    FakeClock,
    Gate,
    ProcessCrash,
    chain,
    make_runner,
)


async def test_crash_mid_plan_resumes_in_a_new_process_without_rerunning_done_steps(
    tmp_path: Path,
) -> None:
    path, clock = tmp_path / "registrations.sqlite3", FakeClock()
    first_calls = Calls()
    first_store = await SqliteRegistrationStore(path).open()
    first = make_runner(first_store, clock)
    first.register_kind("klantcontact", lambda payload: chain(first_calls, interne_taak=Crash()))
    sub = await first.submit(kind="klantcontact", owner="mdw-1", payload=PAYLOAD)
    with pytest.raises(ProcessCrash):
        await first.run_now(sub.registration)
    await first_store.close()  # the process is gone

    second_calls = Calls()
    async with SqliteRegistrationStore(path) as second_store:
        second = make_runner(second_store, clock)
        second.register_kind("klantcontact", lambda payload: chain(second_calls))
        assert await second.run_due() == 0  # the dead process's lease still holds
        clock.advance(SETTINGS.lease_s + 1)
        assert await second.run_due() == 1
        final = await second_store.get(sub.registration.id)

    assert first_calls.log[0] == "klantcontact"
    assert "interne_taak" not in first_calls.log
    assert second_calls.log == ["interne_taak"]
    assert final is not None
    assert final.status == "completed"
    assert final.step("interne_taak").attempts == 2  # the crashed try counts
    assert final.results()["klantcontact"] == {"uuid": "klantcontact-uuid"}


async def test_out_of_budget_answers_with_the_journalled_state_and_finishes_later(
    store: RegistrationStore,
) -> None:
    calls, release = Calls(), asyncio.Event()
    runner = make_runner(store, FakeClock())
    runner.register_kind(
        "klantcontact", lambda payload: chain(calls, betrokkene=Gate(calls, release))
    )

    sub = await runner.register(kind="klantcontact", owner="mdw-1", payload=PAYLOAD, budget_s=0)
    assert sub.registration.status == "running"
    assert sub.registration.step("betrokkene").status == "pending"

    release.set()
    await runner.drain()
    final = await store.get(sub.registration.id)
    assert final is not None
    assert final.status == "completed"


async def test_repeated_request_with_same_key_returns_the_first_registration(
    store: RegistrationStore,
) -> None:
    calls = Calls()
    runner = make_runner(store, FakeClock())
    runner.register_kind("klantcontact", lambda payload: chain(calls))

    results = await asyncio.gather(
        *(
            runner.register(
                kind="klantcontact", owner="mdw-1", payload=PAYLOAD, idempotency_key="abc"
            )
            for _ in range(10)
        )
    )
    await runner.drain()

    assert len({r.registration.id for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    assert calls.count("klantcontact") == 1
    assert len(calls.log) == 4


async def test_same_key_with_another_body_is_refused(store: RegistrationStore) -> None:
    runner = make_runner(store, FakeClock())
    runner.register_kind("klantcontact", lambda payload: chain(Calls()))
    await runner.register(kind="klantcontact", owner="mdw-1", payload=PAYLOAD, idempotency_key="k")

    with pytest.raises(InvalidInput) as refused:
        await runner.register(
            kind="klantcontact",
            owner="mdw-1",
            payload={**PAYLOAD, "onderwerp": "Iets anders"},
            idempotency_key="k",
        )
    assert refused.value.status == 422
    assert refused.value.params[0].name == "Idempotency-Key"


async def test_background_loop_resumes_pending_work_after_a_restart(
    store: RegistrationStore,
) -> None:
    calls, clock = Calls(), FakeClock()
    reg = new_registration(
        kind="klantcontact",
        owner="mdw-1",
        payload=PAYLOAD,
        referentienummer="7000000001",
        steps=[("klantcontact", ()), ("betrokkene", ("klantcontact",))],
        now=clock(),
    )
    await store.create(reg)
    polled = asyncio.Event()

    async def sleep(seconds: float) -> None:
        polled.set()
        await asyncio.Event().wait()  # park until stop() cancels the loop

    runner = RegistrationRunner(store, SETTINGS, clock=clock, sleep=sleep)
    runner.register_kind(
        "klantcontact",
        lambda payload: {
            "klantcontact": chain(calls)["klantcontact"],
            "betrokkene": chain(calls)["betrokkene"],
        },
    )
    runner.start()
    await polled.wait()
    await runner.stop()

    final = await store.get(reg.id)
    assert final is not None
    assert final.status == "completed"
    assert calls.log == ["klantcontact", "betrokkene"]


async def test_unknown_kind_is_retried_not_dropped(store: RegistrationStore) -> None:
    clock = FakeClock()
    reg = new_registration(
        kind="verdwenen",
        owner="mdw-1",
        payload=PAYLOAD,
        referentienummer="7000000001",
        steps=[("klantcontact", ())],
        now=clock(),
    )
    await store.create(reg)
    runner = make_runner(store, clock)

    await runner.run_due()

    later = await store.get(reg.id)
    assert later is not None
    assert later.status == "pending"
    error = later.step("klantcontact").last_error
    assert error is not None
    assert error.reason == "no-plan"
