"""Every id a registration refers to is checked before the journal accepts it.

An unknown actor of an interne taak (also of the productaanvraag's), an unknown partij
or an unknown zaak is a 422 naming the field; nothing is journalled and nothing is
written upstream (no klantcontact, betrokkene, actor link or object made first).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.harness import Bff, start_bff
from tests.registreren.support import KI_TABLES, afdeling, registratie, zaak_of

URL = "/api/v1/klantcontacten"
UNKNOWN = "4b6a4d7e-0000-4000-8000-000000000000"


def written(bff: Bff) -> dict[str, int]:
    ki = bff.sandbox.klantinteracties
    found = {table: len(getattr(ki, table)) for table in KI_TABLES}
    found["objects"] = len(bff.sandbox.objecten.objects)
    return found


def unknown_taak_actor(body: dict[str, Any]) -> str:
    body["interneTaak"]["actor"] = UNKNOWN
    return "interneTaak.actor"


def unknown_taak_actoren(body: dict[str, Any]) -> str:
    body["interneTaak"]["actoren"] = [body["interneTaak"].pop("actor"), UNKNOWN]
    return "interneTaak.actoren.1"


def unknown_productaanvraag_actor(body: dict[str, Any]) -> str:
    body["productaanvraag"] = {
        "productcode": "AFVALPAS",
        "omschrijving": "Vervangende afvalpas",
        "interneTaak": {"actor": UNKNOWN},
    }
    return "productaanvraag.interneTaak.actor"


def unknown_partij(body: dict[str, Any]) -> str:
    body["klant"] = {"partijId": UNKNOWN}
    return "klant.partijId"


def unknown_zaak(body: dict[str, Any]) -> str:
    body["zaak"] = UNKNOWN
    return "zaak"


@pytest.mark.parametrize(
    "spoil",
    [
        unknown_taak_actor,
        unknown_taak_actoren,
        unknown_productaanvraag_actor,
        unknown_partij,
        unknown_zaak,
    ],
)
async def test_an_unknown_reference_is_a_422_naming_it_with_nothing_written(spoil: Any) -> None:
    async with start_bff() as bff:
        body = registratie(bff.sandbox)
        field = spoil(body)
        before = written(bff)
        r = await bff.client.post(
            URL, json=body, headers={**bff.auth(), "Idempotency-Key": "ref-check-1"}
        )
        after = written(bff)
        journalled = await bff.services.registration_store.get_by_idempotency_key(
            "ref-check-1", "mdw-anna"
        )
    assert r.status_code == 422, r.text
    assert [p["name"] for p in r.json()["invalidParams"]] == [field]
    assert after == before
    assert journalled is None


async def test_an_inactive_actor_is_refused_too() -> None:
    async with start_bff() as bff:
        body = registratie(bff.sandbox)
        actor = afdeling(bff.sandbox)
        bff.sandbox.klantinteracties.actoren[actor]["indicatieActief"] = False
        r = await bff.client.post(URL, json=body, headers=bff.auth())
    assert r.status_code == 422, r.text
    assert [p["code"] for p in r.json()["invalidParams"]] == ["inactive-actor"]


async def test_a_reference_that_cannot_be_checked_does_not_lose_the_call() -> None:
    async with start_bff() as bff:
        body = registratie(bff.sandbox, zaak=zaak_of(bff.sandbox))
        rule = bff.sandbox.faults.add("zaken", method="GET", status=503, times=1)
        r = await bff.client.post(URL, json=body, headers=bff.auth())
        skipped = [e for e in bff.logs.events if e["event"] == "reference_check_skipped"]
    assert rule.hits == 1
    assert r.status_code == 201, r.text
    assert [(e["kind"], e["upstream"]) for e in skipped] == [("zaak", "zaken")]
