"""Actoren, actorklantcontacten, interne taken and digitale adressen in the sandbox."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bff.sandbox.klantinteracties import KlantinteractiesStore
from tests.sandbox.conftest import KiBuilder, invalid_params


async def test_actor_required_fields(ki: httpx.AsyncClient) -> None:
    response = await ki.post("/actoren", json={"soortActor": "robot"})

    assert invalid_params(response) == {"naam": "required", "soortActor": "invalid_choice"}


async def test_medewerker_needs_functie_and_telefoonnummer(ki: httpx.AsyncClient) -> None:
    base = {"naam": "Mira", "soortActor": "medewerker"}

    missing = await ki.post("/actoren", json=base)
    bad_phone = await ki.post(
        "/actoren",
        json={**base, "actorIdentificatie": {"functie": "KCC", "telefoonnummer": "12345"}},
    )

    assert invalid_params(missing) == {
        "actorIdentificatie.functie": "required",
        "actorIdentificatie.telefoonnummer": "required",
    }
    assert invalid_params(bad_phone) == {"actorIdentificatie.telefoonnummer": "invalid"}


@pytest.mark.parametrize("telefoonnummer", ["0800123456", "0900123456", "1400123456", "1401234567"])
async def test_medewerker_telefoonnummer_refuses_service_numbers(
    ki: httpx.AsyncClient, telefoonnummer: str
) -> None:
    identificatie = {"functie": "KCC", "telefoonnummer": telefoonnummer}
    body = {"naam": "Mira", "soortActor": "medewerker", "actorIdentificatie": identificatie}

    response = await ki.post("/actoren", json=body)

    assert invalid_params(response) == {"actorIdentificatie.telefoonnummer": "invalid"}


@pytest.mark.parametrize(
    ("soort", "identificatie", "expected"),
    [
        ("geautomatiseerde_actor", {}, {"actorIdentificatie.functie": "required"}),
        (
            "organisatorische_eenheid",
            {"emailadres": "geen-mail"},
            {"actorIdentificatie.emailadres": "invalid"},
        ),
        (
            "organisatorische_eenheid",
            {"omschrijving": "o" * 201},
            {"actorIdentificatie.omschrijving": "max_length"},
        ),
    ],
)
async def test_actor_identificatie_follows_soort_actor(
    ki: httpx.AsyncClient, soort: str, identificatie: dict[str, Any], expected: dict[str, str]
) -> None:
    body = {"naam": "Team", "soortActor": soort, "actorIdentificatie": identificatie}

    response = await ki.post("/actoren", json=body)

    assert invalid_params(response) == expected


async def test_organisatorische_eenheid_needs_no_identificatie(make: KiBuilder) -> None:
    actor = await make.post(
        "/actoren", {"naam": "Team Afval", "soortActor": "organisatorische_eenheid"}
    )

    assert actor["actorIdentificatie"]["omschrijving"] == ""
    assert actor["indicatieActief"] is True


async def test_actoridentificator_is_not_unique(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    first = await make.actor("mira@example.nl")
    second = await make.actor("mira@example.nl")

    found = (
        await ki.get("/actoren", params={"actoridentificatorObjectId": "mira@example.nl"})
    ).json()

    assert {a["uuid"] for a in found["results"]} == {first["uuid"], second["uuid"]}


async def test_actoren_filters(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    wanted = await make.actor("mira@example.nl")
    await make.actor("kees@example.nl", naam="Kees")
    await make.post("/actoren", {"naam": "Team", "soortActor": "organisatorische_eenheid"})
    params = {
        "actoridentificatorObjectId": "mira@example.nl",
        "actoridentificatorCodeObjecttype": "mdw",
        "actoridentificatorCodeRegister": "msei",
        "actoridentificatorCodeSoortObjectId": "email",
        "soortActor": "medewerker",
        "naam": "Mira Medewerker",
    }

    found = (await ki.get("/actoren", params=params)).json()

    assert [a["uuid"] for a in found["results"]] == [wanted["uuid"]]


async def test_patch_of_actor_identificatie_replaces_it(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    actor = await make.actor()

    response = await ki.patch(
        f"/actoren/{actor['uuid']}",
        json={"actorIdentificatie": {"functie": "Teamleider", "telefoonnummer": "+31201234567"}},
    )

    assert response.json()["actorIdentificatie"] == {
        "functie": "Teamleider",
        "emailadres": "",
        "telefoonnummer": "+31201234567",
    }


async def test_actorklantcontact_links_once_per_pair(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    actor = await make.actor()
    klantcontact = await make.klantcontact()
    link = {"actor": {"uuid": actor["uuid"]}, "klantcontact": {"uuid": klantcontact["uuid"]}}
    await make.post("/actorklantcontacten", link)

    again = await ki.post("/actorklantcontacten", json=link)
    incomplete = await ki.post("/actorklantcontacten", json={"actor": {"uuid": actor["uuid"]}})
    by_actor = (await ki.get("/actorklantcontacten", params={"actor__uuid": actor["uuid"]})).json()
    by_contact = (
        await ki.get("/actorklantcontacten", params={"klantcontact__uuid": klantcontact["uuid"]})
    ).json()

    assert invalid_params(again) == {"nonFieldErrors": "unique"}
    assert invalid_params(incomplete) == {"klantcontact": "required"}
    assert by_actor["count"] == by_contact["count"] == 1


async def test_delete_actor_removes_its_links_and_assignments(
    ki: httpx.AsyncClient, make: KiBuilder, ki_store: KlantinteractiesStore
) -> None:
    actor, collega = await make.actor(), await make.actor("kees")
    klantcontact = await make.klantcontact()
    await make.post(
        "/actorklantcontacten",
        {"actor": {"uuid": actor["uuid"]}, "klantcontact": {"uuid": klantcontact["uuid"]}},
    )
    taak = await make.internetaak(klantcontact["uuid"], [actor["uuid"], collega["uuid"]])

    await ki.delete(f"/actoren/{actor['uuid']}")

    assert ki_store.actorklantcontacten == {}
    assert ki_store.internetaken[taak["uuid"]]["toegewezenAanActoren"] == [collega["uuid"]]


async def test_internetaak_required_fields(ki: httpx.AsyncClient) -> None:
    response = await ki.post("/internetaken", json={"status": "open"})

    assert invalid_params(response) == {
        "gevraagdeHandeling": "required",
        "status": "invalid_choice",
        "aanleidinggevendKlantcontact": "required",
        "nonFieldErrors": "invalid",
    }


async def test_internetaak_accepts_an_empty_actor_list(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact()

    response = await ki.post(
        "/internetaken",
        json={
            "aanleidinggevendKlantcontact": {"uuid": klantcontact["uuid"]},
            "gevraagdeHandeling": "Bellen",
            "status": "te_verwerken",
            "toegewezenAanActoren": [],
        },
    )

    assert response.status_code == 201, response.text
    assert response.json()["toegewezenAanActoren"] == []


async def test_internetaak_accepts_the_deprecated_single_actor_but_not_both(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact()
    actor = await make.actor()
    body = {
        "aanleidinggevendKlantcontact": {"uuid": klantcontact["uuid"]},
        "gevraagdeHandeling": "Bellen",
        "status": "te_verwerken",
        "toegewezenAanActor": {"uuid": actor["uuid"]},
    }

    single = await ki.post("/internetaken", json=body)
    both = await ki.post(
        "/internetaken", json={**body, "toegewezenAanActoren": [{"uuid": actor["uuid"]}]}
    )

    assert single.status_code == 201
    assert single.json()["toegewezenAanActoren"][0]["uuid"] == actor["uuid"]
    assert single.json()["toegewezenAanActor"]["uuid"] == actor["uuid"]
    assert invalid_params(both) == {"nonFieldErrors": "invalid"}


async def test_internetaak_limits(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    klantcontact = await make.klantcontact()
    actor = await make.actor()

    response = await ki.post(
        "/internetaken",
        json={
            "aanleidinggevendKlantcontact": {"uuid": klantcontact["uuid"]},
            "gevraagdeHandeling": "g" * 201,
            "toelichting": "t" * 1001,
            "status": "te_verwerken",
            "toegewezenAanActoren": [{"uuid": actor["uuid"]}],
        },
    )

    assert invalid_params(response) == {
        "gevraagdeHandeling": "max_length",
        "toelichting": "max_length",
    }


async def test_afgehandeld_op_follows_the_status(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    klantcontact = await make.klantcontact()
    actor = await make.actor()
    taak = await make.internetaak(klantcontact["uuid"], [actor["uuid"]])
    path = f"/internetaken/{taak['uuid']}"

    done = (await ki.patch(path, json={"status": "verwerkt"})).json()
    reopened = (await ki.patch(path, json={"status": "te_verwerken"})).json()
    refused = await ki.patch(path, json={"afgehandeldOp": "2024-05-01T10:00:00Z"})

    assert taak["toegewezenOp"] is not None
    assert taak["afgehandeldOp"] is None
    assert done["afgehandeldOp"] is not None
    assert reopened["afgehandeldOp"] is None
    assert invalid_params(refused) == {"afgehandeldOp": "invalid"}


async def test_internetaak_created_with_afgehandeld_op_and_te_verwerken_is_rejected(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact()
    actor = await make.actor()

    response = await ki.post(
        "/internetaken",
        json={
            "aanleidinggevendKlantcontact": {"uuid": klantcontact["uuid"]},
            "gevraagdeHandeling": "Bellen",
            "status": "te_verwerken",
            "afgehandeldOp": "2024-05-01T10:00:00Z",
            "toegewezenAanActoren": [{"uuid": actor["uuid"]}],
        },
    )

    assert invalid_params(response) == {"afgehandeldOp": "invalid"}


async def test_patch_of_toegewezen_aan_actoren_replaces_them(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact()
    first, second = await make.actor(), await make.actor("kees")
    taak = await make.internetaak(klantcontact["uuid"], [first["uuid"]])

    response = await ki.patch(
        f"/internetaken/{taak['uuid']}", json={"toegewezenAanActoren": [{"uuid": second["uuid"]}]}
    )

    assert [a["uuid"] for a in response.json()["toegewezenAanActoren"]] == [second["uuid"]]


async def test_internetaken_filters(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    wanted_contact, other_contact = await make.klantcontact(), await make.klantcontact()
    first, second = await make.actor(), await make.actor("kees")
    wanted = await make.internetaak(wanted_contact["uuid"], [first["uuid"], second["uuid"]])
    await make.internetaak(other_contact["uuid"], [first["uuid"]], status="verwerkt")
    queries = [
        {"toegewezenAanActor__uuid": second["uuid"]},
        {"aanleidinggevendKlantcontact__uuid": wanted_contact["uuid"]},
        {"status": "te_verwerken"},
    ]

    for params in queries:
        found = (await ki.get("/internetaken", params=params)).json()
        assert [t["uuid"] for t in found["results"]] == [wanted["uuid"]], params


async def test_digitaal_adres_checks(ki: httpx.AsyncClient) -> None:
    response = await ki.post(
        "/digitaleadressen",
        json={
            "adres": "a" * 81,
            "soortDigitaalAdres": "fax",
            "omschrijving": "o" * 41,
            "verstrektDoorPartij": None,
        },
    )

    assert invalid_params(response) == {
        "adres": "max_length",
        "soortDigitaalAdres": "invalid_choice",
        "omschrijving": "max_length",
    }


@pytest.mark.parametrize(
    ("soort", "adres", "ok"),
    [
        ("telefoonnummer", "0612345678", True),
        ("telefoonnummer", "+31612345678", True),
        ("telefoonnummer", "06-12345678", False),
        ("telefoonnummer", "0800123456", False),
        ("telefoonnummer", "0900123456", False),
        ("telefoonnummer", "1400", False),
        ("telefoonnummer", "14020", False),
        ("telefoonnummer", "0201234567", True),
        ("email", "jan@example.nl", True),
        ("email", "jan.example.nl", False),
        ("overig", "@jan", True),
    ],
)
async def test_digitaal_adres_is_checked_by_its_soort(
    ki: httpx.AsyncClient, soort: str, adres: str, ok: bool
) -> None:
    body = {"adres": adres, "soortDigitaalAdres": soort, "verstrektDoorPartij": None}
    response = await ki.post("/digitaleadressen", json=body)

    assert (response.status_code == 201) is ok
    if not ok:
        assert invalid_params(response) == {"adres": "invalid"}


async def test_a_digitaal_adres_create_needs_the_verstrekt_door_partij_key(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    body = {"adres": "jan@example.nl", "soortDigitaalAdres": "email"}

    missing = await ki.post("/digitaleadressen", json=body)
    made = await make.adres(**body, verstrektDoorPartij=None)
    patched = await ki.patch(f"/digitaleadressen/{made['uuid']}", json={"omschrijving": "x"})

    assert invalid_params(missing) == {"verstrektDoorPartij": "required"}
    assert patched.status_code == 200, patched.text


async def test_standaard_adres_needs_a_partij(ki: httpx.AsyncClient) -> None:
    body = {"adres": "jan@example.nl", "soortDigitaalAdres": "email", "isStandaardAdres": True}

    response = await ki.post("/digitaleadressen", json={**body, "verstrektDoorPartij": None})

    assert invalid_params(response) == {"isStandaardAdres": "invalid"}


async def test_standaard_adres_clears_the_other_of_the_same_soort(
    make: KiBuilder, ki_store: KlantinteractiesStore
) -> None:
    partij, other = await make.partij(), await make.partij()
    mine = {"verstrektDoorPartij": {"uuid": partij["uuid"]}, "isStandaardAdres": True}
    old = await make.adres(**mine)
    telefoon = await make.adres(**mine, adres="0201234567", soortDigitaalAdres="telefoonnummer")
    elsewhere = await make.adres(verstrektDoorPartij={"uuid": other["uuid"]}, isStandaardAdres=True)

    new = await make.adres(**mine, adres="nieuw@example.nl")

    assert ki_store.digitaleadressen[old["uuid"]]["isStandaardAdres"] is False
    assert ki_store.digitaleadressen[new["uuid"]]["isStandaardAdres"] is True
    assert ki_store.digitaleadressen[telefoon["uuid"]]["isStandaardAdres"] is True
    assert ki_store.digitaleadressen[elsewhere["uuid"]]["isStandaardAdres"] is True


async def test_the_same_adres_may_be_stored_twice(
    make: KiBuilder, ki_store: KlantinteractiesStore
) -> None:
    await make.adres()
    await make.adres()

    assert len(ki_store.digitaleadressen) == 2


async def test_digitale_adressen_filters(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    partij = await make.partij()
    klantcontact = await make.klantcontact()
    betrokkene = await make.betrokkene(klantcontact["uuid"], None)
    van_partij = await make.adres(
        verstrektDoorPartij={"uuid": partij["uuid"]}, adres="Jan@Example.nl"
    )
    van_betrokkene = await make.adres(
        verstrektDoorBetrokkene={"uuid": betrokkene["uuid"]}, adres="piet@example.nl"
    )

    async def found(params: dict[str, str]) -> list[str]:
        return [
            a["uuid"] for a in (await ki.get("/digitaleadressen", params=params)).json()["results"]
        ]

    assert await found({"adres": "Jan@Example.nl"}) == [van_partij["uuid"]]
    assert await found({"adres__icontains": "jan@"}) == [van_partij["uuid"]]
    assert await found({"verstrektDoorPartij__uuid": partij["uuid"]}) == [van_partij["uuid"]]
    assert await found({"verstrektDoorBetrokkene__uuid": betrokkene["uuid"]}) == [
        van_betrokkene["uuid"]
    ]


async def test_patch_of_soort_rechecks_the_adres(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    adres = await make.adres()

    response = await ki.patch(
        f"/digitaleadressen/{adres['uuid']}", json={"soortDigitaalAdres": "telefoonnummer"}
    )

    assert invalid_params(response) == {"adres": "invalid"}


async def test_deleting_the_voorkeurs_adres_clears_it_on_the_partij(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    adres = await make.adres()
    partij = await make.partij(
        digitaleAdressen=[{"uuid": adres["uuid"]}], voorkeursDigitaalAdres={"uuid": adres["uuid"]}
    )

    await ki.delete(f"/digitaleadressen/{adres['uuid']}")

    shown = (await ki.get(f"/partijen/{partij['uuid']}")).json()
    assert shown["voorkeursDigitaalAdres"] is None
    assert shown["digitaleAdressen"] == []
