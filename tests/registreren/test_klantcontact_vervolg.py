"""`POST /api/v1/klantcontacten/{id}/vervolg` against the sandbox: what is added lands once,
and a bad reference is a 422 before anything is written."""

from __future__ import annotations

from typing import Any

from bff.sandbox.app import Sandbox
from tests.helpers.harness import Bff, start_bff
from tests.registreren.support import (
    KI_TABLES,
    afdeling,
    finished,
    parts,
    registratie,
)

URL = "/api/v1/klantcontacten"
UNKNOWN = "00000000-0000-4000-8000-000000000001"


def medewerker_actor(sandbox: Sandbox, naam: str = "Bram Jansen") -> str:
    return afdeling(sandbox, naam)


def a_zaak(sandbox: Sandbox) -> str:
    """A zaak the (demo) Zaken API has."""
    return next(iter(sandbox.zaken.zaken))


def sizes(sandbox: Sandbox) -> dict[str, int]:
    ki = sandbox.klantinteracties
    counts = {table: len(getattr(ki, table)) for table in KI_TABLES}
    counts["objects"] = len(sandbox.objecten.objects)
    return counts


async def registered(bff: Bff, **body: Any) -> dict[str, Any]:
    """A klantcontact registered without interne taak: the one to follow up."""
    payload = registratie(bff.sandbox, digitaleAdressen=[], **body)
    payload.pop("interneTaak", None)
    r = await bff.client.post(URL, json=payload, headers=bff.auth())
    assert r.status_code == 201, r.text
    return dict(r.json())


async def vervolg(bff: Bff, kc: str, body: dict[str, Any], **headers: str) -> Any:
    return await bff.client.post(
        f"{URL}/{kc}/vervolg", json=body, headers={**bff.auth(), **headers}
    )


TAAK = {"gevraagdeHandeling": "Klant terugbellen", "toelichting": "Over de levertijd."}


async def test_an_interne_taak_for_a_medewerker_and_an_afdeling_is_added_once() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        actoren = [medewerker_actor(bff.sandbox), afdeling(bff.sandbox)]
        r = await vervolg(bff, made["klantcontact"], {"interneTaak": {**TAAK, "actoren": actoren}})
        records, audit = bff.processing_records(), bff.audit_records()

    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["status"], body["klantcontact"]) == ("completed", made["klantcontact"])
    [taak] = parts(bff.sandbox, made["referentienummer"]).internetaken
    assert body["interneTaak"] == taak["uuid"]
    assert taak["toegewezenAanActoren"] == actoren
    assert taak["gevraagdeHandeling"] == "Klant terugbellen"
    assert [(p.data_subject_id_type, p.status) for p in records][-1] == ("partij", "ok")
    assert (audit[-1].action, audit[-1].activity) == ("update", "klantcontact_vervolg")


async def test_registration_assigns_its_interne_taak_to_several_actoren() -> None:
    async with start_bff() as bff:
        actoren = [afdeling(bff.sandbox), medewerker_actor(bff.sandbox)]
        body = registratie(bff.sandbox, interneTaak={**TAAK, "actoren": actoren})
        r = await bff.client.post(URL, json=body, headers=bff.auth())

    assert r.status_code == 201, r.text
    [taak] = parts(bff.sandbox, r.json()["referentienummer"]).internetaken
    assert taak["toegewezenAanActoren"] == actoren


async def test_an_interne_taak_without_any_actor_is_422() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        before = sizes(bff.sandbox)
        r = await vervolg(bff, made["klantcontact"], {"interneTaak": TAAK})
        after = sizes(bff.sandbox)

    assert r.status_code == 422
    assert [p["name"] for p in r.json()["invalidParams"]] == ["interneTaak.actoren"]
    assert after == before


async def test_a_zaak_is_linked_after_the_fact_and_never_twice() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        zaak = a_zaak(bff.sandbox)
        first = await vervolg(bff, made["klantcontact"], {"zaak": zaak})
        again = await vervolg(bff, made["klantcontact"], {"zaak": zaak})

    assert (first.status_code, again.status_code) == (201, 201), first.text
    [onderwerp] = parts(bff.sandbox, made["referentienummer"]).onderwerpobjecten
    assert first.json()["onderwerpobject"] == again.json()["onderwerpobject"] == onderwerp["uuid"]
    ident = onderwerp["onderwerpobjectidentificator"]
    assert (ident["codeObjecttype"], ident["objectId"]) == ("zaak", zaak)


async def test_a_productaanvraag_becomes_an_object_a_bijlage_and_an_interne_taak() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        pa = {
            "productcode": "AFVALPAS",
            "omschrijving": "Vervangende afvalpas",
            "interneTaak": {"actoren": [afdeling(bff.sandbox)]},
        }
        r = await vervolg(bff, made["klantcontact"], {"productaanvraag": pa})

    assert r.status_code == 201, r.text
    body = r.json()
    record = bff.sandbox.objecten.objects[body["productaanvraag"]]["record"]
    assert record["data"]["productcode"] == "AFVALPAS"
    assert record["data"]["aanvrager"] == {"bsn": "999993653"}  # from the betrokkene's partij
    found = parts(bff.sandbox, made["referentienummer"])
    [bijlage] = found.bijlagen
    assert bijlage["uuid"] == body["bijlage"]
    assert bijlage["bijlageidentificator"]["objectId"] == body["productaanvraag"]
    [taak] = found.internetaken
    assert taak["uuid"] == body["productaanvraagInterneTaak"]
    assert body["productaanvraag"] in taak["toelichting"]


async def test_an_existing_object_becomes_a_bijlage_once() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        existing = next(iter(bff.sandbox.objecten.objects))
        first = await vervolg(bff, made["klantcontact"], {"bijlage": {"object": existing}})
        again = await vervolg(bff, made["klantcontact"], {"bijlage": {"object": existing}})

    assert (first.status_code, again.status_code) == (201, 201), first.text
    [bijlage] = parts(bff.sandbox, made["referentienummer"]).bijlagen
    assert first.json()["bijlageObject"] == again.json()["bijlageObject"] == bijlage["uuid"]
    ident = bijlage["bijlageidentificator"]
    assert (ident["objectId"], ident["codeObjecttype"]) == (existing, "productaanvraag")


async def test_contact_details_for_this_request_go_to_the_betrokkene() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        adres = {"soortDigitaalAdres": "telefoonnummer", "adres": "06 1234 5678"}
        r = await vervolg(bff, made["klantcontact"], {"digitaleAdressen": [adres]})
        again = await vervolg(bff, made["klantcontact"], {"digitaleAdressen": [adres]})

    assert (r.status_code, again.status_code) == (201, 201), r.text
    [stored] = parts(bff.sandbox, made["referentienummer"]).adressen_betrokkene
    assert stored["verstrektDoorBetrokkene"] == made["betrokkene"]
    assert stored["verstrektDoorPartij"] is None
    assert stored["adres"] == "0612345678"
    assert r.json()["digitaleAdressenBetrokkene"] == [stored["uuid"]]
    assert again.json()["digitaleAdressenBetrokkene"] == [stored["uuid"]]


async def test_the_same_idempotency_key_twice_writes_once() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        body = {"interneTaak": {**TAAK, "actoren": [afdeling(bff.sandbox)]}}
        key = {"Idempotency-Key": "vervolg-0001"}
        first = await vervolg(bff, made["klantcontact"], body, **key)
        again = await vervolg(bff, made["klantcontact"], body, **key)
        other = await vervolg(bff, made["klantcontact"], {"zaak": a_zaak(bff.sandbox)}, **key)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert len(parts(bff.sandbox, made["referentienummer"]).internetaken) == 1
    assert other.status_code == 422
    assert [p["name"] for p in other.json()["invalidParams"]] == ["Idempotency-Key"]


async def test_every_bad_reference_is_named_and_nothing_is_written() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        before = sizes(bff.sandbox)
        body = {
            "interneTaak": {**TAAK, "actoren": [afdeling(bff.sandbox), UNKNOWN]},
            "zaak": UNKNOWN,
            "bijlage": {"object": UNKNOWN},
            "productaanvraag": {
                "productcode": "AFVALPAS",
                "omschrijving": "x",
                "interneTaak": {"actoren": [UNKNOWN]},
            },
        }
        r = await vervolg(bff, made["klantcontact"], body)
        after = sizes(bff.sandbox)

    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert sorted(p["name"] for p in r.json()["invalidParams"]) == [
        "bijlage.object",
        "interneTaak.actoren.1",
        "productaanvraag.interneTaak.actoren.0",
        "zaak",
    ]
    assert after == before


async def test_an_unknown_klantcontact_is_404_and_nothing_is_written() -> None:
    async with start_bff() as bff:
        before = sizes(bff.sandbox)
        r = await vervolg(bff, UNKNOWN, {"zaak": a_zaak(bff.sandbox)})
        after = sizes(bff.sandbox)

    assert r.status_code == 404
    assert after == before


async def test_an_empty_follow_up_is_422() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        r = await vervolg(bff, made["klantcontact"], {})

    assert r.status_code == 422
    assert [p["name"] for p in r.json()["invalidParams"]] == ["body"]


async def test_a_vertrouwelijk_klantcontact_is_followed_up_only_with_the_role() -> None:
    async with start_bff() as bff:
        payload = registratie(bff.sandbox, digitaleAdressen=[])
        payload["klantcontact"]["vertrouwelijk"] = True
        made = await bff.client.post(URL, json=payload, headers=bff.auth_vertrouwelijk())
        kc = made.json()["klantcontact"]
        refused = await vervolg(bff, kc, {"zaak": a_zaak(bff.sandbox)})
        allowed = await bff.client.post(
            f"{URL}/{kc}/vervolg",
            json={"zaak": a_zaak(bff.sandbox)},
            headers=bff.auth_vertrouwelijk(),
        )

    assert (refused.status_code, allowed.status_code) == (403, 201), refused.text


async def test_klantinteracties_down_halfway_is_202_then_completed_once() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        body = {
            "interneTaak": {**TAAK, "actoren": [afdeling(bff.sandbox)]},
            "zaak": a_zaak(bff.sandbox),
        }
        bff.sandbox.faults.add("klantinteracties", status=503, path=r"^/internetaken")
        r = await vervolg(bff, made["klantcontact"], body)
        accepted = r.json()
        bff.sandbox.faults.clear("klantinteracties")
        status = await finished(bff, accepted["registratieId"])

    assert r.status_code == 202, r.text
    assert r.headers["location"] == f"/api/v1/registraties/{accepted['registratieId']}"
    assert status["status"] == "completed"
    found = parts(bff.sandbox, made["referentienummer"])
    assert len(found.internetaken) == 1
    assert len(found.onderwerpobjecten) == 1


async def test_an_object_not_checkable_in_an_outage_is_checked_by_its_step() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        existing = next(iter(bff.sandbox.objecten.objects))
        bff.sandbox.faults.add("objecten", status=503)
        known = await vervolg(bff, made["klantcontact"], {"bijlage": {"object": existing}})
        unknown = await vervolg(bff, made["klantcontact"], {"bijlage": {"object": UNKNOWN}})
        bff.sandbox.faults.clear("objecten")
        known_status = await finished(bff, known.json()["registratieId"])
        unknown_status = await finished(bff, unknown.json()["registratieId"])

    assert (known.status_code, unknown.status_code) == (202, 202), known.text
    assert known_status["status"] == "completed"
    [bijlage] = parts(bff.sandbox, made["referentienummer"]).bijlagen
    ident = bijlage["bijlageidentificator"]
    assert (ident["objectId"], ident["codeObjecttype"]) == (existing, "productaanvraag")
    assert unknown_status["status"] == "failed"


async def test_an_actor_not_checkable_in_an_outage_does_not_refuse_the_follow_up() -> None:
    async with start_bff() as bff:
        made = await registered(bff)
        actor = afdeling(bff.sandbox)
        bff.services.actor_cache._cache.clear()
        bff.sandbox.faults.add("klantinteracties", status=503, path=r"^/actoren")
        r = await vervolg(bff, made["klantcontact"], {"interneTaak": {**TAAK, "actoren": [actor]}})
        bff.sandbox.faults.clear("klantinteracties")

    assert r.status_code == 201, r.text
    [taak] = parts(bff.sandbox, made["referentienummer"]).internetaken
    assert taak["toegewezenAanActoren"] == [actor]
