"""Retention: the personal data of a finished registration is erased, its outcome stays."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import aiosqlite

from bff.registration.model import Registration
from bff.registration.sqlite import SqliteRegistrationStore
from bff.registration.store import RegistrationStore
from tests.helpers.harness import start_bff
from tests.registration.fakes import T0, pending_registration
from tests.registreren.support import finished, registratie

PERSONAL = {
    "bsn": "999993653",
    "contactnaam": {"voornaam": "Suzanne", "achternaam": "Moulin"},
    "telefoonnummer": "0625988000",
    "inhoud": "Mevrouw belt over haar aanvraag",
}
PARTIJ = "0c8a2a5e-8f1c-4a4e-9d55-9b2f2f1d2c3e"
DAY = timedelta(days=1)


async def _finished(store: RegistrationStore, status: str, *, at_days: int, n: str) -> Registration:
    reg = pending_registration(number=n)
    reg.payload.update({**PERSONAL, "partij": PARTIJ})
    created = await store.create(reg)
    created.status = status  # type: ignore[assignment]  # a test sets the outcome directly
    created.updated_at = T0 + at_days * DAY
    return await store.save(created)


async def test_payloads_past_their_retention_are_erased_and_the_outcome_stays(
    store: RegistrationStore,
) -> None:
    old_done = await _finished(store, "completed", at_days=0, n="1")
    new_done = await _finished(store, "completed", at_days=9, n="2")
    old_failed = await _finished(store, "failed", at_days=0, n="3")
    running = await _finished(store, "running", at_days=0, n="4")
    now = T0 + 10 * DAY

    erased = await store.erase_payloads(
        now, completed_before=now - 7 * DAY, failed_before=now - 30 * DAY
    )

    assert erased == 1
    gone = await store.get(old_done.id)
    assert gone is not None
    assert gone.payload == {"partij": PARTIJ}  # a reference, no personal data
    assert gone.payload_erased_at == now
    assert (gone.status, gone.referentienummer, gone.steps) == (
        "completed",
        old_done.referentienummer,
        old_done.steps,
    )
    for kept in (new_done, old_failed, running):  # not yet: newer, failed (longer), unfinished
        found = await store.get(kept.id)
        assert found is not None
        assert found.payload["bsn"] == PERSONAL["bsn"]
    later = now + 25 * DAY
    assert (
        await store.erase_payloads(
            later, completed_before=later - 7 * DAY, failed_before=later - 30 * DAY
        )
        == 2
    )  # the failed one after its longer retention, the newer completed one; no repeat
    failed = await store.get(old_failed.id)
    assert failed is not None
    assert "bsn" not in failed.payload


async def test_the_sqlite_file_no_longer_holds_the_erased_values(tmp_path: Path) -> None:
    path = tmp_path / "registrations.sqlite3"
    async with SqliteRegistrationStore(path) as store:
        await _finished(store, "completed", at_days=0, n="1")
        now = T0 + 10 * DAY
        await store.erase_payloads(now, completed_before=now - DAY, failed_before=now - DAY)
    async with aiosqlite.connect(path) as db:
        rows = await db.execute_fetchall("SELECT payload, steps FROM registration")
    text = repr(list(rows))
    for value in ("999993653", "Moulin", "0625988000", "aanvraag"):
        assert value not in text


async def test_a_version_1_journal_is_migrated_and_keeps_its_registrations(tmp_path: Path) -> None:
    path = tmp_path / "registrations.sqlite3"
    async with SqliteRegistrationStore(path) as store:
        reg = await store.create(pending_registration())
    with sqlite3.connect(path) as db:  # back to the shape of version 1
        db.execute("ALTER TABLE registration DROP COLUMN payload_erased_at")
        db.execute("PRAGMA user_version=1")
    async with SqliteRegistrationStore(path) as store:
        found = await store.get(reg.id)
        assert found is not None
        assert found.payload_erased_at is None
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (2,)


async def test_a_registered_call_still_answers_after_its_personal_data_is_erased() -> None:
    overrides = {
        "registration": {
            "store": "memory",
            "backoff_base_s": 0.01,
            "poll_interval_s": 0.05,
            "retention_completed_s": 0.001,
        }
    }
    async with start_bff(**overrides) as bff:
        body = registratie(bff.sandbox)
        headers = {**bff.auth(), "Idempotency-Key": "bewaartermijn-1"}
        first = await bff.client.post("/api/v1/klantcontacten", json=body, headers=headers)
        assert first.status_code in (201, 202), first.text
        registratie_id = first.json()["registratieId"]
        assert (await finished(bff, registratie_id))["status"] == "completed"

        assert await bff.services.registrations.erase_expired() == 1

        stored = await bff.services.registration_store.get(registratie_id)
        status = await bff.client.get(f"/api/v1/registraties/{registratie_id}", headers=headers)
        again = await bff.client.post("/api/v1/klantcontacten", json=body, headers=headers)
    assert stored is not None
    assert stored.payload_erased_at is not None
    text = repr(stored.payload)
    for value in ("Afvalpas kwijt", "nieuw.adres@example.nl", "levertijd", "999993653"):
        assert value not in text
    assert status.status_code == 200
    assert status.json()["status"] == "completed"
    assert again.json()["registratieId"] == registratie_id  # the key is still recognised


async def test_the_postgresql_table_no_longer_holds_the_erased_values(postgres_url: str) -> None:
    from bff.registration.postgresql import PostgresRegistrationStore

    async with PostgresRegistrationStore(postgres_url) as store:
        async with store.pool.connection() as conn:
            await conn.execute("TRUNCATE registration")
            await conn.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        await _finished(store, "completed", at_days=0, n="1")
        await _finished(store, "running", at_days=0, n="2")
        now = T0 + 30 * DAY
        await store.erase_payloads(now, completed_before=now - DAY, failed_before=now - DAY)
        async with store.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT t_data FROM generate_series(0, pg_relation_size('registration') / "
                "current_setting('block_size')::int - 1) n, "
                "heap_page_items(get_raw_page('registration', n::int)) WHERE t_data IS NOT NULL"
            )
            rows = [bytes(row[0]) for row in await cur.fetchall()]
    # Every row version left: the running registration's payload, nothing of the completed one.
    assert sum(row.count(b"Moulin") for row in rows) == 1
    assert sum(row.count(b"Mevrouw belt over haar aanvraag") for row in rows) == 1
