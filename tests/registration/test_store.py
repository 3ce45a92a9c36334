"""The store contract, run against the in-memory and the SQLite store."""

from __future__ import annotations

import asyncio
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from bff.registration.sqlite import SqliteRegistrationStore
from bff.registration.store import (
    ReferentienummersExhausted,
    RegistrationStore,
    VersionConflict,
    format_referentienummer,
)
from tests.registration.fakes import T0, FakeClock, pending_registration


async def test_concurrent_creates_with_one_idempotency_key_keep_exactly_one(
    store: RegistrationStore,
) -> None:
    candidates = [pending_registration(key="key-1", number=str(n)) for n in range(1, 11)]

    results = await asyncio.gather(*(store.create(reg) for reg in candidates))

    winners = {r.id for r in results}
    assert len(winners) == 1
    found = await store.get_by_idempotency_key("key-1", "mdw-1")
    assert found is not None
    assert found.id in winners
    assert sum(1 for c in candidates if c.id in winners) == 1


async def test_idempotency_key_is_scoped_to_the_owner(store: RegistrationStore) -> None:
    first = await store.create(pending_registration(owner="mdw-1", key="same"))
    second = await store.create(pending_registration(owner="mdw-2", key="same", number="2"))

    assert first.id != second.id
    assert await store.get_by_idempotency_key("same", "mdw-3") is None


async def test_registrations_without_key_never_clash(store: RegistrationStore) -> None:
    first = await store.create(pending_registration())
    second = await store.create(pending_registration(number="2"))

    assert first.id != second.id


async def test_save_is_compare_and_set_on_version(store: RegistrationStore) -> None:
    created = await store.create(pending_registration())
    mine = await store.get(created.id)
    theirs = await store.get(created.id)
    assert mine is not None
    assert theirs is not None

    mine.steps[0].status = "done"
    saved = await store.save(mine)
    theirs.status = "failed"

    assert saved.version == created.version + 1
    with pytest.raises(VersionConflict):
        await store.save(theirs)
    stored = await store.get(created.id)
    assert stored is not None
    assert stored.steps[0].status == "done"
    assert stored.status == "pending"


async def test_returned_registrations_are_copies(store: RegistrationStore) -> None:
    created = await store.create(pending_registration())
    created.payload["onderwerp"] = "changed"
    fetched = await store.get(created.id)
    assert fetched is not None
    fetched.steps[0].status = "done"

    again = await store.get(created.id)
    assert again is not None
    assert again.payload["onderwerp"] == "Vraag over afval"
    assert again.steps[0].status == "pending"


async def test_two_claimers_never_get_the_same_registration(store: RegistrationStore) -> None:
    for n in range(1, 7):
        await store.create(pending_registration(number=str(n)))

    first, second = await asyncio.gather(store.claim_due(T0, 4, 30), store.claim_due(T0, 4, 30))

    ids_first = {r.id for r in first}
    ids_second = {r.id for r in second}
    assert not ids_first & ids_second
    assert len(ids_first | ids_second) == 6
    assert all(r.status == "running" for r in [*first, *second])


async def test_a_lease_blocks_claims_until_it_expires(store: RegistrationStore) -> None:
    clock = FakeClock()
    created = await store.create(pending_registration())
    [claimed] = await store.claim_due(clock(), 10, 30)

    clock.advance(29)
    assert await store.claim_due(clock(), 10, 30) == []
    clock.advance(2)
    [reclaimed] = await store.claim_due(clock(), 10, 30)

    assert claimed.id == reclaimed.id == created.id
    assert reclaimed.version == claimed.version + 1
    with pytest.raises(VersionConflict):  # the first worker's lease was taken over
        await store.save(claimed)


async def test_claims_skip_registrations_not_yet_due_or_finished(
    store: RegistrationStore,
) -> None:
    clock = FakeClock()
    later = pending_registration()
    later.next_attempt_at = T0.replace(hour=10)
    done = pending_registration(number="2")
    done.status = "completed"
    failed = pending_registration(number="3")
    failed.status = "failed"
    for reg in (later, done, failed):
        await store.create(reg)

    assert await store.claim_due(clock(), 10, 30) == []
    clock.advance(3600)
    assert [r.id for r in await store.claim_due(clock(), 10, 30)] == [later.id]


async def test_referentienummers_are_unique_digits_of_at_most_ten(
    store: RegistrationStore,
) -> None:
    numbers = await asyncio.gather(*(store.next_referentienummer() for _ in range(50)))

    assert len(set(numbers)) == 50
    assert all(n.isdigit() and len(n) <= 10 and n.startswith("7") for n in numbers)


async def test_sqlite_referentienummers_are_never_reused_after_reopen(tmp_path: Path) -> None:
    path = tmp_path / "registrations.sqlite3"
    async with SqliteRegistrationStore(path) as first:
        before = {await first.next_referentienummer() for _ in range(5)}
    async with SqliteRegistrationStore(path) as second:
        after = {await second.next_referentienummer() for _ in range(5)}

    assert len(before | after) == 10
    assert all(n.isdigit() and len(n) == 10 for n in before | after)


async def test_sqlite_registrations_survive_reopen(tmp_path: Path) -> None:
    path = tmp_path / "registrations.sqlite3"
    reg = pending_registration(key="k")
    async with SqliteRegistrationStore(path) as first:
        await first.create(reg)
    async with SqliteRegistrationStore(path) as second:
        found = await second.get_by_idempotency_key("k", "mdw-1")

    assert found == reg


async def test_sqlite_file_is_private_to_the_bff(tmp_path: Path) -> None:
    path = tmp_path / "var" / "registrations.sqlite3"
    async with SqliteRegistrationStore(path):
        pass

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_sqlite_narrows_a_file_readable_by_others(tmp_path: Path) -> None:
    path = tmp_path / "registrations.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    async with SqliteRegistrationStore(path):
        pass

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_referentienummer_is_prefixed_and_padded_to_ten_digits() -> None:
    assert format_referentienummer("42", 7) == "4200000007"
    assert format_referentienummer("", 12) == "0000000012"
    with pytest.raises(ReferentienummersExhausted):
        format_referentienummer("42", 100_000_000)


async def test_stats_count_each_status_and_find_the_oldest_unfinished(
    store: RegistrationStore,
) -> None:
    assert (await store.stats()).oldest_unfinished_at is None
    statuses = ("completed", "pending", "failed", "pending", "running")
    for minutes, status in enumerate(statuses):
        reg = pending_registration(now=T0 + timedelta(minutes=minutes), number=str(minutes + 1))
        created = await store.create(reg)
        if status != "pending":
            await store.save(created.model_copy(update={"status": status}))

    stats = await store.stats()

    assert dict(stats.by_status) == {"completed": 1, "pending": 2, "failed": 1, "running": 1}
    assert stats.oldest_unfinished_at == T0 + timedelta(minutes=1)
