"""Every store contract test and runner test runs against every store (PostgreSQL included)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bff.registration.memory import InMemoryRegistrationStore
from bff.registration.sqlite import SqliteRegistrationStore
from bff.registration.store import RegistrationStore
from tests.helpers.postgres import scratch_database


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with scratch_database() as url:
        yield url


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[RegistrationStore]:
    made: RegistrationStore
    if request.param == "memory":
        made = InMemoryRegistrationStore(referentienummer_prefix="7")
    elif request.param == "postgresql":
        from bff.registration.postgresql import PostgresRegistrationStore

        url = request.getfixturevalue("postgres_url")
        made = await PostgresRegistrationStore(url, referentienummer_prefix="7").open()
        async with made.pool.connection() as conn:  # each test starts from an empty journal
            await conn.execute("TRUNCATE registration")
            await conn.execute("ALTER SEQUENCE referentienummer_seq RESTART")
    else:
        made = await SqliteRegistrationStore(
            tmp_path / "registrations.sqlite3", referentienummer_prefix="7"
        ).open()
    yield made
    await made.close()
