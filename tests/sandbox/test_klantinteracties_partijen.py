"""Partijen and partij-identificatoren in the sandbox Klantinteracties API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bff.sandbox.klantinteracties import KlantinteractiesStore
from tests.sandbox.conftest import BSN, KiBuilder, bsn_identificator, invalid_params

KVK = "69599084"


def identificator(register: str, objecttype: str, soort: str, object_id: str) -> dict[str, Any]:
    return {
        "partijIdentificator": {
            "codeRegister": register,
            "codeObjecttype": objecttype,
            "codeSoortObjectId": soort,
            "objectId": object_id,
        }
    }


async def test_partij_is_created_with_its_bsn_in_one_call(
    make: KiBuilder, ki_store: KlantinteractiesStore
) -> None:
    partij = await make.partij(BSN, partijIdentificatie={"contactnaam": {"voornaam": "Jan"}})

    [stored] = ki_store.partij_identificatoren.values()
    assert stored["partij"] == partij["uuid"]
    assert stored["objectId"] == BSN
    assert partij["partijIdentificatoren"][0]["identificeerdePartij"]["uuid"] == partij["uuid"]
    assert partij["partijIdentificatie"]["volledigeNaam"] == "Jan"


async def test_partij_with_bad_identificator_is_not_created_at_all(
    ki: httpx.AsyncClient, ki_store: KlantinteractiesStore
) -> None:
    body = {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "partijIdentificatoren": [bsn_identificator("123456789")],
    }

    response = await ki.post("/partijen", json=body)

    assert invalid_params(response) == {
        "partijIdentificatoren.0.partijIdentificatorObjectId": "invalid"
    }
    assert ki_store.partijen == {}
    assert ki_store.partij_identificatoren == {}


async def test_identificator_needs_all_four_fields(ki: httpx.AsyncClient) -> None:
    body = {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "partijIdentificatoren": [{"partijIdentificator": {"objectId": BSN}}],
    }

    response = await ki.post("/partijen", json=body)

    prefix = "partijIdentificatoren.0.partijIdentificator."
    assert invalid_params(response) == {
        f"{prefix}codeObjecttype": "required",
        f"{prefix}codeSoortObjectId": "required",
        f"{prefix}codeRegister": "required",
    }


@pytest.mark.parametrize(
    ("ident", "name"),
    [
        (identificator("brp", "niet_natuurlijk_persoon", "kvk_nummer", KVK), "CodeObjecttype"),
        (identificator("brp", "natuurlijk_persoon", "kvk_nummer", KVK), "CodeSoortObjectId"),
        (identificator("hr", "niet_natuurlijk_persoon", "bsn", BSN), "CodeSoortObjectId"),
        (identificator("hr", "niet_natuurlijk_persoon", "kvk_nummer", "1234"), "ObjectId"),
        (identificator("hr", "niet_natuurlijk_persoon", "rsin", "111222334"), "ObjectId"),
    ],
)
async def test_identificator_combination_and_number_are_checked(
    ki: httpx.AsyncClient, ident: dict[str, Any], name: str
) -> None:
    body = {"soortPartij": "organisatie", "indicatieActief": True, "partijIdentificatoren": [ident]}

    response = await ki.post("/partijen", json=body)

    assert invalid_params(response) == {
        f"partijIdentificatoren.0.partijIdentificator{name}": "invalid"
    }


@pytest.mark.parametrize("bsn", ["999993654", "99999365", "99999365a"])
async def test_bsn_failing_the_11_proef_or_length_is_rejected(
    ki: httpx.AsyncClient, bsn: str
) -> None:
    body = {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "partijIdentificatoren": [bsn_identificator(bsn)],
    }

    response = await ki.post("/partijen", json=body)

    assert invalid_params(response) == {
        "partijIdentificatoren.0.partijIdentificatorObjectId": "invalid"
    }


async def test_eight_digit_bsn_passes_when_zero_padded(make: KiBuilder) -> None:
    partij = await make.partij("010000008")

    assert partij["partijIdentificatoren"][0]["partijIdentificator"]["objectId"] == "010000008"


async def test_same_bsn_on_a_second_partij_must_be_unique(
    ki: httpx.AsyncClient, make: KiBuilder, ki_store: KlantinteractiesStore
) -> None:
    await make.partij(BSN)

    response = await ki.post(
        "/partijen",
        json={
            "soortPartij": "persoon",
            "indicatieActief": True,
            "partijIdentificatoren": [bsn_identificator()],
        },
    )

    assert invalid_params(response) == {"__all__": "invalid"}
    assert "moet uniek zijn" in response.json()["invalidParams"][0]["reason"]
    assert len(ki_store.partijen) == 1


async def test_one_identificator_per_soort_per_partij(ki: httpx.AsyncClient) -> None:
    body = {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "partijIdentificatoren": [bsn_identificator(BSN), bsn_identificator("111222333")],
    }

    response = await ki.post("/partijen", json=body)

    # A database constraint in Open Klant, reported like the global uniqueness.
    assert invalid_params(response) == {"__all__": "invalid"}


async def test_vestiging_needs_a_kvk_identificator_as_sub_identificator_van(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    kvk = identificator("hr", "niet_natuurlijk_persoon", "kvk_nummer", KVK)
    partij = await make.post(
        "/partijen",
        {"soortPartij": "organisatie", "indicatieActief": True, "partijIdentificatoren": [kvk]},
    )
    vestiging = {
        "identificeerdePartij": {"uuid": partij["uuid"]},
        **identificator("hr", "vestiging", "vestigingsnummer", "000012345678"),
    }

    without = await ki.post("/partij-identificatoren", json=vestiging)
    sub = {"uuid": partij["partijIdentificatoren"][0]["uuid"]}
    with_sub = await ki.post(
        "/partij-identificatoren", json={**vestiging, "subIdentificatorVan": sub}
    )

    assert invalid_params(without) == {"subIdentificatorVan": "invalid"}
    assert with_sub.status_code == 201
    assert with_sub.json()["subIdentificatorVan"]["uuid"] == sub["uuid"]


async def test_identificator_endpoint_requires_the_identificator_group(
    ki: httpx.AsyncClient,
) -> None:
    response = await ki.post("/partij-identificatoren", json={"anderePartijIdentificator": "x"})

    assert invalid_params(response) == {"partijIdentificator": "required"}


async def test_identificator_endpoint_rejects_a_duplicate_with_all(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    await make.partij(BSN)

    response = await ki.post("/partij-identificatoren", json=bsn_identificator())

    assert invalid_params(response) == {"__all__": "invalid"}


async def test_patch_of_identificatoren_replaces_the_list(
    ki: httpx.AsyncClient, make: KiBuilder, ki_store: KlantinteractiesStore
) -> None:
    partij = await make.partij(BSN)

    again = await ki.patch(
        f"/partijen/{partij['uuid']}", json={"partijIdentificatoren": [bsn_identificator()]}
    )
    emptied = await ki.patch(f"/partijen/{partij['uuid']}", json={"partijIdentificatoren": []})

    assert again.status_code == 200
    assert (
        again.json()["partijIdentificatoren"][0]["uuid"]
        != partij["partijIdentificatoren"][0]["uuid"]
    )
    assert emptied.json()["partijIdentificatoren"] == []
    assert ki_store.partij_identificatoren == {}


async def test_patch_keeps_an_identificator_sent_with_its_uuid(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    partij = await make.partij(BSN)
    kept = partij["partijIdentificatoren"][0]

    response = await ki.patch(
        f"/partijen/{partij['uuid']}",
        json={"partijIdentificatoren": [{"uuid": kept["uuid"], **bsn_identificator()}]},
    )

    assert response.json()["partijIdentificatoren"][0]["uuid"] == kept["uuid"]


async def test_patch_of_partij_identificatie_without_soort_partij_changes_nothing(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    partij = await make.partij(partijIdentificatie={"contactnaam": {"achternaam": "Oud"}})

    response = await ki.patch(
        f"/partijen/{partij['uuid']}",
        json={"partijIdentificatie": {"contactnaam": {"achternaam": "Nieuw"}}},
    )

    assert response.status_code == 200
    assert response.json()["partijIdentificatie"]["contactnaam"]["achternaam"] == "Oud"


async def test_patch_of_partij_identificatie_with_soort_partij_replaces_it(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    partij = await make.partij(partijIdentificatie={"contactnaam": {"achternaam": "Oud"}})

    response = await ki.patch(
        f"/partijen/{partij['uuid']}",
        json={
            "soortPartij": "persoon",
            "partijIdentificatie": {"contactnaam": {"achternaam": "Nieuw"}},
        },
    )

    assert response.json()["partijIdentificatie"]["volledigeNaam"] == "Nieuw"


async def test_voorkeurs_digitaal_adres_on_create_must_be_sent_in_digitale_adressen(
    ki: httpx.AsyncClient, make: KiBuilder, ki_store: KlantinteractiesStore
) -> None:
    adres = await make.adres()
    base = {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "voorkeursDigitaalAdres": {"uuid": adres["uuid"]},
    }

    alone = await ki.post("/partijen", json=base)
    linked = await ki.post(
        "/partijen", json={**base, "digitaleAdressen": [{"uuid": adres["uuid"]}]}
    )

    assert invalid_params(alone) == {"voorkeursDigitaalAdres": "invalid"}
    assert linked.status_code == 201
    assert ki_store.digitaleadressen[adres["uuid"]]["verstrektDoorPartij"] == linked.json()["uuid"]
    assert linked.json()["digitaleAdressen"][0]["uuid"] == adres["uuid"]


async def test_voorkeurs_digitaal_adres_on_patch_must_be_the_partijs_own(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    partij = await make.partij()
    other = await make.partij()
    own = await make.adres(verstrektDoorPartij={"uuid": partij["uuid"]})
    foreign = await make.adres(verstrektDoorPartij={"uuid": other["uuid"]})

    wrong = await ki.patch(
        f"/partijen/{partij['uuid']}", json={"voorkeursDigitaalAdres": {"uuid": foreign["uuid"]}}
    )
    right = await ki.patch(
        f"/partijen/{partij['uuid']}", json={"voorkeursDigitaalAdres": {"uuid": own["uuid"]}}
    )

    assert invalid_params(wrong) == {"voorkeursDigitaalAdres": "invalid"}
    assert right.json()["voorkeursDigitaalAdres"]["uuid"] == own["uuid"]


@pytest.mark.parametrize(
    ("land", "codes"),
    [
        ("NLD", ["invalid", "max_length"]),
        ("XX", ["invalid"]),
        ("nl", ["invalid"]),
        ("6030", ["invalid", "max_length"]),
        ("N", ["invalid", "min_length"]),
    ],
)
async def test_adres_land_must_be_an_upper_case_iso_alpha_2_code(
    ki: httpx.AsyncClient, land: str, codes: list[str]
) -> None:
    body = {"soortPartij": "persoon", "indicatieActief": True, "bezoekadres": {"land": land}}

    response = await ki.post("/partijen", json=body)

    assert response.status_code == 400
    found = response.json()["invalidParams"]
    assert sorted(p["code"] for p in found if p["name"] == "bezoekadres.land") == codes
    assert {p["name"] for p in found} == {"bezoekadres.land"}


async def test_partij_keeps_adres_voorkeurstaal_and_geheimhouding(make: KiBuilder) -> None:
    partij = await make.partij(
        voorkeurstaal="nld",
        indicatieGeheimhouding=True,
        correspondentieadres={"adresregel1": "Rue 1", "land": "BE", "huisnummer": 3},
    )

    assert partij["voorkeurstaal"] == "nld"
    assert partij["indicatieGeheimhouding"] is True
    assert partij["correspondentieadres"]["land"] == "BE"
    assert partij["correspondentieadres"]["huisnummer"] == 3
    assert partij["bezoekadres"]["land"] == ""


async def test_partij_field_rules(ki: httpx.AsyncClient) -> None:
    response = await ki.post(
        "/partijen",
        json={"soortPartij": "klant", "voorkeurstaal": "nede", "indicatieGeheimhouding": "soms"},
    )

    assert invalid_params(response) == {
        "soortPartij": "invalid_choice",
        "indicatieGeheimhouding": "invalid",
        "voorkeurstaal": "max_length",
        "indicatieActief": "required",
    }


async def test_organisatie_and_contactpersoon_identificatie(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    organisatie = await make.partij(
        soortPartij="organisatie", partijIdentificatie={"naam": "Bakkerij"}
    )
    persoon = await make.partij()
    base = {"soortPartij": "contactpersoon", "indicatieActief": True}

    works_for_persoon = await ki.post(
        "/partijen",
        json={**base, "partijIdentificatie": {"werkteVoorPartij": {"uuid": persoon["uuid"]}}},
    )
    contactpersoon = await make.post(
        "/partijen",
        {
            **base,
            "partijIdentificatie": {
                "werkteVoorPartij": {"uuid": organisatie["uuid"]},
                "contactnaam": {
                    "voornaam": "Els",
                    "voorvoegselAchternaam": "de",
                    "achternaam": "Vries",
                },
            },
        },
    )

    assert organisatie["partijIdentificatie"] == {"naam": "Bakkerij"}
    assert invalid_params(works_for_persoon) == {
        "partijIdentificatie.werkteVoorPartij.uuid": "invalid"
    }
    assert contactpersoon["partijIdentificatie"]["werkteVoorPartij"]["uuid"] == organisatie["uuid"]
    assert contactpersoon["partijIdentificatie"]["volledigeNaam"] == "Els de Vries"


async def test_partijen_are_found_by_their_identificator(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    wanted = await make.partij(BSN)
    await make.partij("111222333")
    params = {
        "partijIdentificator__codeRegister": "brp",
        "partijIdentificator__codeObjecttype": "natuurlijk_persoon",
        "partijIdentificator__codeSoortObjectId": "bsn",
        "partijIdentificator__objectId": BSN,
    }

    found = (await ki.get("/partijen", params=params)).json()

    assert [p["uuid"] for p in found["results"]] == [wanted["uuid"]]


async def test_partijen_filter_on_soort_partij(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    await make.partij()
    organisatie = await make.partij(soortPartij="organisatie")

    found = (await ki.get("/partijen", params={"soortPartij": "organisatie"})).json()
    wrong = await ki.get("/partijen", params={"soortPartij": "klant"})

    assert [p["uuid"] for p in found["results"]] == [organisatie["uuid"]]
    assert wrong.status_code == 400


async def test_partijen_are_listed_newest_first(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    first = await make.partij()
    second = await make.partij()

    listed = (await ki.get("/partijen")).json()["results"]

    assert [p["uuid"] for p in listed] == [second["uuid"], first["uuid"]]


async def test_partij_expands_betrokkenen_and_their_klantcontact(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    partij = await make.partij()
    klantcontact = await make.klantcontact()
    betrokkene = await make.betrokkene(klantcontact["uuid"], partij["uuid"])

    both = await ki.get(
        f"/partijen/{partij['uuid']}", params={"expand": "betrokkenen,betrokkenen.hadKlantcontact"}
    )
    child_only = await ki.get(
        f"/partijen/{partij['uuid']}", params={"expand": "betrokkenen.hadKlantcontact"}
    )

    expanded = both.json()["_expand"]["betrokkenen"][0]
    assert expanded["uuid"] == betrokkene["uuid"]
    assert expanded["_expand"]["hadKlantcontact"]["uuid"] == klantcontact["uuid"]
    assert "_expand" not in child_only.json()


async def test_partij_expand_of_unknown_name_is_rejected(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    partij = await make.partij()

    response = await ki.get(f"/partijen/{partij['uuid']}", params={"expand": "rekeningnummers"})

    assert invalid_params(response) == {"expand": "invalid_choice"}


async def test_partij_without_expand_has_no_expand_key(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    partij = await make.partij()

    response = await ki.get(f"/partijen/{partij['uuid']}")

    assert "_expand" not in response.json()


async def test_delete_partij_cascades_to_its_betrokkenen(
    ki: httpx.AsyncClient, make: KiBuilder, ki_store: KlantinteractiesStore
) -> None:
    partij = await make.partij(BSN)
    klantcontact = await make.klantcontact()
    await make.betrokkene(klantcontact["uuid"], partij["uuid"])

    response = await ki.delete(f"/partijen/{partij['uuid']}")

    assert response.status_code == 204
    assert ki_store.betrokkenen == {}
    assert ki_store.partij_identificatoren == {}
    assert klantcontact["uuid"] in ki_store.klantcontacten
