"""Nothing lost: an upstream failing halfway gives 202, and the background runner finishes it."""

from __future__ import annotations

from tests.helpers.harness import start_bff
from tests.registreren.support import (
    assert_complete,
    brp_only_bsn,
    finished,
    parts,
    registratie,
)

ANNA = "anna.devries@gemeente.example"
URL = "/api/v1/klantcontacten"


async def test_klantinteracties_down_at_the_first_step_is_202_then_completed() -> None:
    async with start_bff() as bff:
        bff.sandbox.faults.add("klantinteracties", status=503)
        r = await bff.client.post(URL, json=registratie(bff.sandbox), headers=bff.auth())
        accepted = r.json()
        assert parts(bff.sandbox, accepted["referentienummer"]).klantcontacten == []
        bff.sandbox.faults.clear("klantinteracties")
        status = await finished(bff, accepted["registratieId"])

    assert r.status_code == 202, r.text
    assert r.headers["location"] == f"/api/v1/registraties/{accepted['registratieId']}"
    assert accepted["status"] == "pending"
    assert accepted["klantcontact"] is None
    assert status["status"] == "completed"
    assert status["referentienummer"] == accepted["referentienummer"]
    found = assert_complete(bff.sandbox, accepted["referentienummer"], medewerker=ANNA)
    assert status["created"]["klantcontact"]["klantcontact"] == found.klantcontact["uuid"]


async def test_klantinteracties_down_after_maak_klantcontact_is_202_then_completed() -> None:
    async with start_bff() as bff:
        bff.sandbox.faults.add(
            "klantinteracties",
            status=503,
            path=r"^/(actorklantcontacten|internetaken|digitaleadressen|partijen)",
        )
        r = await bff.client.post(URL, json=registratie(bff.sandbox), headers=bff.auth())
        accepted = r.json()
        made_before_recovery = parts(bff.sandbox, accepted["referentienummer"])
        bff.sandbox.faults.clear("klantinteracties")
        status = await finished(bff, accepted["registratieId"])

    assert r.status_code == 202, r.text
    assert accepted["klantcontact"] == made_before_recovery.klantcontact["uuid"]
    assert made_before_recovery.internetaken == []
    assert status["status"] == "completed"
    found = assert_complete(bff.sandbox, accepted["referentienummer"], medewerker=ANNA)
    assert found.klantcontact["uuid"] == accepted["klantcontact"]


async def test_klantinteracties_down_during_the_interne_taak_is_202_then_completed() -> None:
    async with start_bff() as bff:
        bff.sandbox.faults.add(
            "klantinteracties", status=503, method="POST", path=r"^/internetaken", times=3
        )
        r = await bff.client.post(URL, json=registratie(bff.sandbox), headers=bff.auth())
        status = await finished(bff, r.json()["registratieId"])

    assert r.status_code == 202, r.text
    assert r.json()["actorklantcontact"] is not None  # the other steps were not held up
    assert status["status"] == "completed"
    taak = next(s for s in status["steps"] if s["name"] == "internetaak")
    assert taak["attempts"] == 4
    assert_complete(bff.sandbox, r.json()["referentienummer"], medewerker=ANNA)


async def test_an_upstream_refusal_fails_the_registration_with_a_502_naming_it() -> None:
    async with start_bff() as bff:
        body = registratie(bff.sandbox)
        # Klantinteracties refuses the interne taak (400)
        bff.sandbox.faults.add("klantinteracties", method="POST", path="^/internetaken", status=400)
        r = await bff.client.post(URL, json=body, headers=bff.auth())
        problem = r.json()
        status = await finished(bff, problem["registratieId"])

    assert r.status_code == 502
    assert r.headers["content-type"] == "application/problem+json"
    assert problem["type"] == "urn:kcc-bff:problem:registration-failed"
    assert problem["referentienummer"] in problem["detail"]
    assert r.headers["location"] == f"/api/v1/registraties/{problem['registratieId']}"
    steps = {s["name"]: s for s in problem["registratie"]["steps"]}
    assert steps["internetaak"]["status"] == "failed"
    assert steps["internetaak"]["attempts"] == 1  # a refusal is not retried
    assert steps["internetaak"]["lastError"]["upstream"] == "klantinteracties"
    assert steps["internetaak"]["lastError"]["reason"] == "rejected"
    assert steps["klantcontact"]["status"] == "done"
    assert status["status"] == "failed"
    assert len(parts(bff.sandbox, problem["referentienummer"]).klantcontacten) == 1


async def test_brp_down_delays_a_new_partij_then_creates_it_unnamed() -> None:
    async with start_bff() as bff:
        bsn = brp_only_bsn(bff.sandbox)
        bff.sandbox.faults.add("brp", status=503)
        body = registratie(bff.sandbox, klant={"bsn": bsn})
        r = await bff.client.post(URL, json=body, headers=bff.auth())
        status = await finished(bff, r.json()["registratieId"])

    assert r.status_code == 202, r.text
    assert status["status"] == "completed"
    partij = bff.sandbox.klantinteracties.partijen[status["created"]["partij"]["partij"]]
    assert partij["partijIdentificatie"]["contactnaam"] is None
    steps = {s["name"]: s for s in status["steps"]}
    assert steps["partij"]["attempts"] == 3
    assert_complete(bff.sandbox, r.json()["referentienummer"], medewerker=ANNA)
