"""A write that commits upstream after the BFF timed out is never made twice.

The sandbox holds the write past the BFF's timeout and then completes it anyway
(`keep_working`), as a real server does. The step's retry looks for it only after
`settle_s` (when the upstream can no longer be working on it), so it adopts the first
one: exactly one of every kind the registration creates. `opruimen`, the registration's
last step, removes any duplicate that still exists (e.g. made by a second process).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bff.compose.klantcontact_registratie_plan import KlantcontactPlanInput
from bff.registration.klantcontact_opruimen import Opruimen
from bff.registration.plan import StepContext
from bff.upstreams.klantinteracties.writes import InterneTaakCreate
from tests.helpers.harness import Bff, start_bff
from tests.registreren.support import finished, partij_of, parts, registratie, zaak_of

URL = "/api/v1/klantcontacten"
TIMEOUT_S = 0.3
SETTLE_S = 0.8
LATE_S = 0.6  # past the BFF's timeout, within settle_s
ALGEMEEN = "algemeen.laat@example.nl"
DIT_VERZOEK = "0612340000"


def _body(bff: Bff) -> dict[str, Any]:
    return registratie(
        bff.sandbox,
        zaak=zaak_of(bff.sandbox),
        digitaleAdressen=[
            {"soortDigitaalAdres": "email", "adres": ALGEMEEN, "gebruik": "algemeen"},
            {
                "soortDigitaalAdres": "telefoonnummer",
                "adres": DIT_VERZOEK,
                "gebruik": "dit-verzoek",
            },
        ],
        productaanvraag={
            "productcode": "AFVALPAS",
            "omschrijving": "Vervangende afvalpas",
            "interneTaak": {"actor": registratie(bff.sandbox)["interneTaak"]["actor"]},
        },
    )


def _settings() -> dict[str, Any]:
    return {
        "klantinteracties": {"timeout_s": TIMEOUT_S},
        "objecten": {"timeout_s": TIMEOUT_S},
        "registration": {"settle_s": SETTLE_S},
    }


def _exactly_one_of_each(bff: Bff, referentienummer: str, objects_before: int) -> None:
    found = parts(bff.sandbox, referentienummer)
    assert len(found.klantcontacten) == 1
    assert len(found.betrokkenen) == 1
    assert len(found.onderwerpobjecten) == 1
    assert len(found.actorklantcontacten) == 1
    assert len(found.internetaken) == 2  # the interne taak and the productaanvraag's
    assert len({t["gevraagdeHandeling"] for t in found.internetaken}) == 2
    assert len(found.bijlagen) == 1
    assert [a["adres"] for a in found.adressen_betrokkene] == [DIT_VERZOEK]
    ki = bff.sandbox.klantinteracties
    partij = partij_of(bff.sandbox)
    algemeen = [
        a
        for a in ki.digitaleadressen.values()
        if a["verstrektDoorPartij"] == partij and a["adres"] == ALGEMEEN
    ]
    assert len(algemeen) == 1
    assert len(bff.sandbox.objecten.objects) == objects_before + 1


@pytest.mark.parametrize(
    ("upstream", "path"),
    [
        ("klantinteracties", "^/maak-klantcontact"),  # klantcontact, betrokkene, onderwerpobject
        ("klantinteracties", "^/actorklantcontacten"),
        ("klantinteracties", "^/internetaken"),
        ("klantinteracties", "^/digitaleadressen"),
        ("klantinteracties", "^/bijlagen"),
        ("objecten", "^/objects"),
    ],
)
async def test_a_write_committed_after_the_timeout_is_made_once(upstream: str, path: str) -> None:
    async with start_bff(**_settings()) as bff:
        objects_before = len(bff.sandbox.objecten.objects)
        late = bff.sandbox.faults.add(
            upstream, method="POST", path=path, latency_s=LATE_S, keep_working=True, times=1
        )
        r = await bff.client.post(URL, json=_body(bff), headers=bff.auth())
        assert r.status_code in (201, 202), r.text
        status = await finished(bff, r.json()["registratieId"])
        await bff.sandbox.faults.idle()  # the late write has landed by now
        assert late.hits == 1
        assert status["status"] == "completed", status
        _exactly_one_of_each(bff, status["referentienummer"], objects_before)


async def test_opruimen_removes_a_duplicate_and_keeps_what_was_recorded() -> None:
    async with start_bff() as bff:
        body = _body(bff)
        r = await bff.client.post(URL, json=body, headers=bff.auth())
        assert r.status_code == 201, r.text
        reg = await bff.services.registration_store.get(r.json()["registratieId"])
        assert reg is not None
        results = reg.results()
        kc = results["klantcontact"]["klantcontact"]
        ki = bff.services.upstreams.klantinteracties
        recorded = bff.sandbox.klantinteracties.internetaken[results["internetaak"]["internetaak"]]
        twin = await ki.create_internetaak(  # as a second process might have made it
            InterneTaakCreate.model_validate(
                {
                    "aanleidinggevend_klantcontact": kc,
                    "gevraagde_handeling": recorded["gevraagdeHandeling"],
                    "toelichting": recorded["toelichting"],
                    "toegewezen_aan_actoren": recorded["toegewezenAanActoren"],
                    "status": "te_verwerken",
                }
            )
        )
        opruimen = Opruimen(ki, KlantcontactPlanInput.model_validate(reg.payload))
        quiet = await opruimen(_context(reg.id, results, unknown=False))
        removed = await opruimen(_context(reg.id, results, unknown=True))
        taken = parts(bff.sandbox, reg.referentienummer).internetaken
    assert quiet == {}
    assert removed == {"verwijderd": [twin.uuid]}
    assert {t["uuid"] for t in taken} == {
        results["internetaak"]["internetaak"],
        results["internetaak-productaanvraag"]["internetaak"],
    }


def _context(reg_id: str, results: dict[str, Any], *, unknown: bool) -> StepContext:
    return StepContext(
        registration_id=reg_id,
        kind="klantcontact",
        owner="mdw-anna",
        referentienummer="",
        payload={},
        results=results,
        step="opruimen",
        attempt=1,
        unknown_outcome_at=datetime.now(UTC) if unknown else None,
    )
