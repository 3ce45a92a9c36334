"""`POST /api/v1/klantcontacten` against the sandbox: every part of a call lands upstream, once."""

from __future__ import annotations

import copy
from typing import Any

from bff.sandbox.app import Sandbox
from tests.helpers.harness import DEMO_BSN, start_bff
from tests.registreren.support import (
    KI_TABLES,
    adressen_of,
    afdeling,
    assert_complete,
    brp_only_bsn,
    partij_of,
    parts,
    registratie,
    zaak_of,
)

ANNA = "anna.devries@gemeente.example"
URL = "/api/v1/klantcontacten"


async def test_known_partij_with_interne_taak_and_contact_detail_is_registered_whole() -> None:
    async with start_bff() as bff:
        partij = partij_of(bff.sandbox)
        r = await bff.client.post(URL, json=registratie(bff.sandbox), headers=bff.auth())
        records, audit = bff.processing_records(), bff.audit_records()

    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "completed"
    found = assert_complete(bff.sandbox, body["referentienummer"], medewerker=ANNA)
    kc = found.klantcontact
    assert (kc["kanaal"], kc["onderwerp"], kc["taal"]) == ("telefoon", "Afvalpas", "nld")
    assert kc["referentienummer"] == body["referentienummer"]
    assert body["klantcontact"] == kc["uuid"]
    assert body["betrokkene"] == found.betrokkenen[0]["uuid"]
    assert found.betrokkenen[0]["wasPartij"] == partij == body["partij"]
    assert body["actorklantcontact"] == found.actorklantcontacten[0]["uuid"]
    taak = found.internetaken[0]
    assert body["interneTaak"] == taak["uuid"]
    assert taak["toegewezenAanActoren"] == [afdeling(bff.sandbox)]
    assert taak["gevraagdeHandeling"] == "Klant terugbellen"
    [adres] = adressen_of(bff.sandbox, partij, "nieuw.adres@example.nl")
    assert body["digitaleAdressen"] == [adres["uuid"]]
    assert body["links"]["registratie"] == f"/api/v1/registraties/{body['registratieId']}"
    assert [(p.data_subject_id_type, p.status) for p in records] == [("partij", "ok")]
    assert [(a.action, a.activity) for a in audit] == [("create", "klantcontact_registreren")]


async def test_bsn_of_a_brp_only_person_creates_a_partij_named_from_brp() -> None:
    async with start_bff() as bff:
        bsn = brp_only_bsn(bff.sandbox)
        naam = bff.sandbox.brp.personen[bsn]["naam"]
        body = registratie(bff.sandbox, klant={"bsn": bsn}, digitaleAdressen=[])
        r = await bff.client.post(URL, json=body, headers=bff.auth())
        records = bff.processing_records()

    assert r.status_code == 201, r.text
    ki = bff.sandbox.klantinteracties
    partij = ki.partijen[r.json()["partij"]]
    assert partij_of(bff.sandbox, bsn) == partij["uuid"]
    contactnaam = partij["partijIdentificatie"]["contactnaam"]
    assert (contactnaam["voornaam"], contactnaam["achternaam"]) == (
        naam["voornamen"],
        naam["geslachtsnaam"],
    )
    found = parts(bff.sandbox, r.json()["referentienummer"])
    assert found.betrokkenen[0]["wasPartij"] == partij["uuid"]
    assert [p.data_subject_id_type for p in records] == ["BSN"]


async def test_bsn_of_a_known_partij_finds_it_instead_of_making_another() -> None:
    async with start_bff() as bff:
        before = len(bff.sandbox.klantinteracties.partijen)
        body = registratie(bff.sandbox, klant={"bsn": DEMO_BSN})
        r = await bff.client.post(URL, json=body, headers=bff.auth())

    assert r.status_code == 201, r.text
    assert r.json()["partij"] == partij_of(bff.sandbox)
    assert len(bff.sandbox.klantinteracties.partijen) == before


async def test_unknown_caller_with_only_a_contactnaam_gets_a_betrokkene_without_partij() -> None:
    async with start_bff() as bff:
        body = registratie(
            bff.sandbox,
            klant={"contactnaam": {"voornaam": "Piet", "achternaam": "Onbekend"}},
            digitaleAdressen=[
                {
                    "soortDigitaalAdres": "telefoonnummer",
                    "adres": "06-1234 5678",
                    "gebruik": "dit-verzoek",
                }
            ],
        )
        r = await bff.client.post(URL, json=body, headers=bff.auth())
        audit = bff.audit_records()

    assert r.status_code == 201, r.text
    found = parts(bff.sandbox, r.json()["referentienummer"])
    [betrokkene] = found.betrokkenen
    assert betrokkene["wasPartij"] is None
    assert betrokkene["contactnaam"]["achternaam"] == "Onbekend"
    assert [a["adres"] for a in found.adressen_betrokkene] == ["0612345678"]
    assert r.json()["partij"] is None
    assert audit[0].subject_count == 0


async def test_productaanvraag_becomes_an_object_with_a_bijlage_and_an_interne_taak() -> None:
    async with start_bff() as bff:
        bsn = DEMO_BSN
        body = registratie(
            bff.sandbox,
            klant={"bsn": bsn},
            productaanvraag={
                "productcode": "AFVALPAS",
                "omschrijving": "Vervangende afvalpas",
                "interneTaak": {"actor": afdeling(bff.sandbox, "Belastingen")},
            },
        )
        r = await bff.client.post(URL, json=body, headers=bff.auth())

    assert r.status_code == 201, r.text
    made = r.json()
    stored = bff.sandbox.objecten.objects[made["productaanvraag"]]
    assert stored["record"]["data"] == {
        "productcode": "AFVALPAS",
        "omschrijving": "Vervangende afvalpas",
        "aanvrager": {"bsn": bsn},
    }
    found = parts(bff.sandbox, made["referentienummer"])
    [bijlage] = found.bijlagen
    assert bijlage["bijlageidentificator"]["objectId"] == made["productaanvraag"]
    assert bijlage["bijlageidentificator"]["codeObjecttype"] == "productaanvraag"
    taken = {t["uuid"]: t for t in found.internetaken}
    assert set(taken) == {made["interneTaak"], made["productaanvraagInterneTaak"]}
    zaak_taak = taken[made["productaanvraagInterneTaak"]]
    assert zaak_taak["gevraagdeHandeling"] == "Zaak aanmaken voor de productaanvraag"
    assert made["productaanvraag"] in zaak_taak["toelichting"]


async def test_contact_details_for_this_request_general_use_and_preferred() -> None:
    async with start_bff() as bff:
        partij = partij_of(bff.sandbox)
        body = registratie(
            bff.sandbox,
            digitaleAdressen=[
                {
                    "soortDigitaalAdres": "telefoonnummer",
                    "adres": "0201111111",
                    "gebruik": "dit-verzoek",
                },
                {
                    "soortDigitaalAdres": "email",
                    "adres": "algemeen@example.nl",
                    "gebruik": "algemeen",
                },
                {
                    "soortDigitaalAdres": "telefoonnummer",
                    "adres": "+31 6 2222 3333",
                    "gebruik": "algemeen",
                    "voorkeur": True,
                    "omschrijving": "Mobiel",
                },
            ],
        )
        r = await bff.client.post(URL, json=body, headers=bff.auth())

    assert r.status_code == 201, r.text
    made = r.json()
    ki = bff.sandbox.klantinteracties
    found = parts(bff.sandbox, made["referentienummer"])
    [verzoek] = found.adressen_betrokkene
    assert (verzoek["adres"], verzoek["verstrektDoorPartij"]) == ("0201111111", None)
    assert made["digitaleAdressenBetrokkene"] == [verzoek["uuid"]]
    assert adressen_of(bff.sandbox, partij, "0201111111") == []
    [algemeen] = adressen_of(bff.sandbox, partij, "algemeen@example.nl")
    [mobiel] = adressen_of(bff.sandbox, partij, "+31622223333")
    assert made["digitaleAdressen"] == [algemeen["uuid"], mobiel["uuid"]]
    assert ki.partijen[partij]["voorkeursDigitaalAdres"] == mobiel["uuid"]
    assert made["voorkeursDigitaalAdres"] == mobiel["uuid"]


async def test_an_address_the_partij_already_has_is_not_added_twice() -> None:
    async with start_bff() as bff:
        partij = partij_of(bff.sandbox)
        ki = bff.sandbox.klantinteracties
        existing = next(
            a for a in ki.adressen_of_partij(partij) if a["soortDigitaalAdres"] == "email"
        )
        before = len(ki.digitaleadressen)
        adres = {
            "soortDigitaalAdres": "email",
            "adres": f" {existing['adres'].upper()}",
            "gebruik": "algemeen",
        }
        r = await bff.client.post(
            URL, json=registratie(bff.sandbox, digitaleAdressen=[adres]), headers=bff.auth()
        )

    assert r.status_code == 201, r.text
    assert r.json()["digitaleAdressen"] == [existing["uuid"]]
    assert len(ki.digitaleadressen) == before


async def test_the_zaak_it_was_about_becomes_its_onderwerpobject() -> None:
    async with start_bff() as bff:
        zaak = zaak_of(bff.sandbox)
        r = await bff.client.post(URL, json=registratie(bff.sandbox, zaak=zaak), headers=bff.auth())

    assert r.status_code == 201, r.text
    [onderwerp] = parts(bff.sandbox, r.json()["referentienummer"]).onderwerpobjecten
    assert onderwerp["onderwerpobjectidentificator"] == {
        "objectId": zaak,
        "codeObjecttype": "zaak",
        "codeRegister": "open-zaak",
        "codeSoortObjectId": "uuid",
    }
    assert r.json()["onderwerpobject"] == onderwerp["uuid"]


def _snapshot(sandbox: Sandbox) -> dict[str, Any]:
    ki = sandbox.klantinteracties
    return {
        **{name: copy.deepcopy(ki.table(name)) for name in KI_TABLES},
        "objects": copy.deepcopy(sandbox.objecten.objects),
    }


async def test_a_bad_request_is_422_naming_every_bad_field_and_changes_nothing() -> None:
    async with start_bff() as bff:
        before = _snapshot(bff.sandbox)
        body = registratie(
            bff.sandbox,
            klantcontact={
                "kanaal": "fax",  # expired in the sandbox's KANAAL table
                "onderwerp": "o" * 201,
                "inhoud": "i" * 1001,
                "reactie": "r" * 4001,
                "taal": "xx",
                "indicatieContactGelukt": True,
                "verdereActieOndernomen": True,
            },
            klant={"bsn": "123456789"},
            digitaleAdressen=[
                {"soortDigitaalAdres": "email", "adres": "geen-adres", "gebruik": "algemeen"},
                {"soortDigitaalAdres": "telefoonnummer", "adres": "12345", "gebruik": "algemeen"},
            ],
            interneTaak={
                "actor": "not-an-id",
                "gevraagdeHandeling": "h" * 201,
                "toelichting": "t" * 1001,
            },
            zaak="zaak-1",
        )
        r = await bff.client.post(URL, json=body, headers={**bff.auth(), "Idempotency-Key": " "})
        after = _snapshot(bff.sandbox)

    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    names = {p["name"] for p in r.json()["invalidParams"]}
    assert names == {
        "Idempotency-Key",
        "klantcontact.kanaal",
        "klantcontact.onderwerp",
        "klantcontact.inhoud",
        "klantcontact.reactie",
        "klantcontact.taal",
        "klantcontact.verdereActieOndernomen",
        "klant.bsn",
        "digitaleAdressen.0.adres",
        "digitaleAdressen.1.adres",
        "interneTaak.actor",
        "interneTaak.gevraagdeHandeling",
        "interneTaak.toelichting",
        "zaak",
    }
    assert after == before
    assert "123456789" not in r.text


async def test_rules_across_fields_are_named_by_the_field_to_change() -> None:
    async with start_bff() as bff:
        before = len(bff.sandbox.klantinteracties.klantcontacten)
        email = {"soortDigitaalAdres": "email", "adres": "a@example.nl"}
        body = registratie(
            bff.sandbox,
            klant={"partijId": partij_of(bff.sandbox), "bsn": DEMO_BSN},
            digitaleAdressen=[
                {**email, "gebruik": "dit-verzoek", "voorkeur": True},
                {**email, "adres": "A@example.nl", "gebruik": "algemeen"},
            ],
        )
        r = await bff.client.post(URL, json=body, headers=bff.auth())
        anoniem = registratie(
            bff.sandbox, klant={}, digitaleAdressen=[{**email, "gebruik": "algemeen"}]
        )
        r2 = await bff.client.post(URL, json=anoniem, headers=bff.auth())

    assert r.status_code == 422
    assert {p["name"] for p in r.json()["invalidParams"]} == {
        "klant.bsn",
        "digitaleAdressen.0.voorkeur",
        "digitaleAdressen.1.adres",
    }
    assert r2.status_code == 422
    assert {p["name"] for p in r2.json()["invalidParams"]} == {
        "klant",
        "digitaleAdressen.0.gebruik",
    }
    assert len(bff.sandbox.klantinteracties.klantcontacten) == before


async def test_a_taal_alias_is_named_but_not_accepted_for_a_write() -> None:
    async with start_bff() as bff:
        body = registratie(bff.sandbox)
        body["klantcontact"]["taal"] = "nl"
        r = await bff.client.post(URL, json=body, headers=bff.auth())

    assert r.status_code == 422
    assert [p["name"] for p in r.json()["invalidParams"]] == ["klantcontact.taal"]


async def test_referentielijsten_down_since_start_up_does_not_block_a_registration() -> None:
    from tests.helpers.harness import demo_sandbox

    sandbox = demo_sandbox()
    sandbox.faults.add("referentielijsten", status=503)
    async with start_bff(sandbox) as bff:
        r = await bff.client.post(URL, json=registratie(bff.sandbox), headers=bff.auth())
        unknown_taal = registratie(bff.sandbox)
        unknown_taal["klantcontact"]["taal"] = "xx"
        refused = await bff.client.post(URL, json=unknown_taal, headers=bff.auth())
    assert r.status_code == 201, r.text
    assert_complete(bff.sandbox, r.json()["referentienummer"], medewerker=ANNA)
    # talen still come bundled with the BFF, so a wrong taal is still refused
    assert refused.status_code == 422
    assert [p["name"] for p in refused.json()["invalidParams"]] == ["klantcontact.taal"]
