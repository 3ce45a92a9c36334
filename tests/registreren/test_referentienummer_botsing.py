"""A referentienummer Open Klant already has never fails a call: the next free one is taken.

A fresh or lost journal starts minting at 0000000001 while Open Klant may already hold
those numbers. Klantinteracties refuses the duplicate (400 `referentienummer` / `unique`,
as the conformance corpus records); the registration takes the next number from the
journal's sequence and completes, without touching the other klantcontacten.
"""

from __future__ import annotations

from typing import Any

from bff.registration.store import format_referentienummer
from tests.helpers.harness import Bff, start_bff
from tests.overdracht.helpers import sandbox_klantinteracties
from tests.registreren.support import finished, parts, registratie

URL = "/api/v1/klantcontacten"
TAKEN = 5


async def _occupy(bff: Bff, count: int) -> dict[str, dict[str, Any]]:
    """Klantcontacten made by another application under the first `count` numbers."""
    async with sandbox_klantinteracties(bff) as ki:
        for n in range(1, count + 1):
            r = await ki.post(
                "klantcontacten",
                json={
                    "kanaal": "telefoon",
                    "onderwerp": f"Ander klantcontact {n}",
                    "taal": "nld",
                    "vertrouwelijk": False,
                    "referentienummer": format_referentienummer("", n),
                },
            )
            assert r.status_code == 201, r.text
    return {k: dict(v) for k, v in bff.sandbox.klantinteracties.klantcontacten.items()}


async def test_a_taken_referentienummer_is_skipped_until_a_free_one() -> None:
    async with start_bff() as bff:
        before = await _occupy(bff, TAKEN)
        r = await bff.client.post(URL, json=registratie(bff.sandbox), headers=bff.auth())
        assert r.status_code in (201, 202), r.text
        status = await finished(bff, r.json()["registratieId"])
        others = {k: bff.sandbox.klantinteracties.klantcontacten[k] for k in before}

    assert status["status"] == "completed", status
    nummer = status["referentienummer"]
    assert nummer == format_referentienummer("", TAKEN + 1)
    found = parts(bff.sandbox, nummer)
    assert found.klantcontact["onderwerp"] == "Afvalpas"
    assert len(found.internetaken) == 1
    assert others == before  # nobody else's klantcontact was touched


async def test_two_registrations_after_collisions_get_different_numbers() -> None:
    async with start_bff() as bff:
        await _occupy(bff, 2)
        first = await bff.client.post(URL, json=registratie(bff.sandbox), headers=bff.auth())
        second = await bff.client.post(URL, json=registratie(bff.sandbox), headers=bff.auth())
        a = await finished(bff, first.json()["registratieId"])
        b = await finished(bff, second.json()["registratieId"])

    assert (a["status"], b["status"]) == ("completed", "completed")
    assert a["referentienummer"] != b["referentienummer"]
    for status in (a, b):
        assert len(parts(bff.sandbox, status["referentienummer"]).klantcontacten) == 1
