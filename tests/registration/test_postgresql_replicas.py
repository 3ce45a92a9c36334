"""Two replicas on one PostgreSQL journal (two stores, two connection pools): one number
sequence, one lease per registration, one holder of a lock at a time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bff.registration.postgresql import PostgresRegistrationStore
from tests.registration.fakes import T0, pending_registration

pytest.importorskip("psycopg")


@pytest.fixture
async def replicas(postgres_url: str) -> AsyncIterator[tuple[PostgresRegistrationStore, ...]]:
    a = await PostgresRegistrationStore(postgres_url).open()
    b = await PostgresRegistrationStore(postgres_url).open()
    async with a.pool.connection() as conn:
        await conn.execute("TRUNCATE registration")
    yield a, b
    await a.close()
    await b.close()


async def test_500_referentienummers_minted_by_two_replicas_are_all_different(
    replicas: tuple[PostgresRegistrationStore, ...],
) -> None:
    a, b = replicas
    numbers = await asyncio.gather(*(s.next_referentienummer() for s in (a, b) * 250))
    duplicated = len(numbers) - len(set(numbers))
    print(f"sent {len(numbers)}, lost 0, duplicated {duplicated}")
    assert duplicated == 0


async def test_two_replicas_claiming_at_once_never_run_one_registration_twice(
    replicas: tuple[PostgresRegistrationStore, ...],
) -> None:
    a, b = replicas
    made = [await a.create(pending_registration(number=str(n))) for n in range(1, 41)]
    now = T0 + timedelta(seconds=1)
    rounds = await asyncio.gather(*(s.claim_due(now, 5, 30) for s in (a, b) * 6))
    claimed = [reg.id for batch in rounds for reg in batch]
    assert len(claimed) == len(set(claimed))  # never leased to two claimers
    assert set(claimed) <= {r.id for r in made}
    later = now + timedelta(seconds=31)  # the leases ran out: a dead replica's work is taken
    retaken = await b.claim_due(later, 100, 30)
    assert {r.id for r in retaken} == set(claimed) | ({r.id for r in made} - set(claimed))


async def test_an_advisory_lock_excludes_the_other_replica(
    replicas: tuple[PostgresRegistrationStore, ...],
) -> None:
    a, b = replicas
    inside: list[str] = []
    overlap: list[bool] = []

    async def section(store: PostgresRegistrationStore, name: str) -> None:
        async with store.locks().hold("digitale-adressen:partij-1"):
            overlap.append(bool(inside))
            inside.append(name)
            await asyncio.sleep(0.05)
            inside.remove(name)

    await asyncio.gather(*(section(s, f"{i}") for i, s in enumerate((a, b) * 4)))
    assert overlap == [False] * 8
