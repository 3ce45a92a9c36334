"""Every store contract test and runner test runs against both stores."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bff.registration.memory import InMemoryRegistrationStore
from bff.registration.sqlite import SqliteRegistrationStore
from bff.registration.store import RegistrationStore


@pytest.fixture(params=["memory", "sqlite"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[RegistrationStore]:
    made: RegistrationStore
    if request.param == "memory":
        made = InMemoryRegistrationStore(referentienummer_prefix="7")
    else:
        made = await SqliteRegistrationStore(
            tmp_path / "registrations.sqlite3", referentienummer_prefix="7"
        ).open()
    yield made
    await made.close()
