"""PostgreSQL down: reads go on, a registration is refused with 503, `/ready` names it."""

from __future__ import annotations

import pytest

from tests.helpers.harness import start_bff
from tests.registreren.support import registratie

pytest.importorskip("psycopg")

NOBODY = "postgresql://postgres@127.0.0.1:9/nothing"  # the discard port: nothing listens


async def test_without_its_database_the_bff_reads_but_refuses_to_accept_a_call() -> None:
    registration = {"store": "postgresql", "postgresql_dsn": NOBODY, "postgresql_timeout_s": 0.5}
    async with start_bff(registration=registration) as bff:
        before = len(bff.sandbox.klantinteracties.klantcontacten)
        found = await bff.client.post(
            "/api/v1/partijen/zoeken", json={"bsn": "999993653"}, headers=bff.auth()
        )
        beeld = await bff.client.post(
            "/api/v1/klantbeeld", json={"bsn": "999993653"}, headers=bff.auth()
        )
        refused = await bff.client.post(
            "/api/v1/klantcontacten",
            json=registratie(bff.sandbox),
            headers={**bff.auth(), "Idempotency-Key": "zonder-database"},
        )
        ready = await bff.client.get("/ready")
        after = len(bff.sandbox.klantinteracties.klantcontacten)
    assert found.status_code == 200
    assert beeld.status_code == 200
    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == "5"
    assert refused.json()["type"] == "urn:kcc-bff:problem:journal-unavailable"
    assert after == before  # nothing written upstream
    assert ready.status_code == 503
    assert ready.json()["upstreams"]["journal"]["status"] == "unavailable"
