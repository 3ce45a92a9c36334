"""Behaviour of the sandbox BRP Personen bevragen 2.7: auth, query types, fields, errors, data."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox import brp
from bff.sandbox.brp import BrpStore
from bff.sandbox.credentials import SandboxCredentials

CREDENTIALS = SandboxCredentials()
BRP = "http://sandbox/haalcentraal/api/brp"
KEY = {CREDENTIALS.brp_api_key_header: CREDENTIALS.brp_api_key}
BSN = "999993653"
DECEASED = "999970239"
GEHEIM = "999971104"
RAADPLEEG = "RaadpleegMetBurgerservicenummer"


@pytest.fixture
def store() -> BrpStore:
    return BrpStore(today=lambda: date(2025, 11, 30))


@pytest.fixture
async def client(store: BrpStore) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=[Mount("/haalcentraal/api/brp", app=brp.create_app(store, CREDENTIALS))])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BRP, headers=KEY) as made:
        yield made


async def personen(client: httpx.AsyncClient, **body: Any) -> list[dict[str, Any]]:
    response = await client.post("/personen", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["type"] == body["type"]
    found: list[dict[str, Any]] = response.json()["personen"]
    return found


async def raadpleeg(client: httpx.AsyncClient, *fields: str, bsn: str = BSN) -> dict[str, Any]:
    found = await personen(client, type=RAADPLEEG, burgerservicenummer=[bsn], fields=list(fields))
    assert len(found) == 1
    return found[0]


async def invalid(client: httpx.AsyncClient, **body: Any) -> dict[str, str]:
    response = await client.post("/personen", json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "paramsValidation"
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


@pytest.mark.parametrize("headers", [{"X-API-KEY": ""}, {"X-API-KEY": "wrong"}])
async def test_request_without_the_api_key_is_401(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.post("/personen", json={"type": RAADPLEEG}, headers={**headers})

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "authentication"


async def test_raadplegen_returns_only_the_requested_fields(client: httpx.AsyncClient) -> None:
    persoon = await raadpleeg(client, "naam.voornamen", "burgerservicenummer")

    assert persoon == {"naam": {"voornamen": "Suzanne"}, "burgerservicenummer": BSN}


async def test_dotted_paths_deliver_nested_parts_with_their_type(
    client: httpx.AsyncClient,
) -> None:
    persoon = await raadpleeg(
        client, "adressering.adresregel1", "verblijfplaats.verblijfadres.postcode", "geboorte.datum"
    )

    assert persoon["adressering"] == {"adresregel1": "Boterdiep 31"}
    assert persoon["verblijfplaats"] == {"type": "Adres", "verblijfadres": {"postcode": "3077AW"}}
    assert persoon["geboorte"]["datum"] == {
        "type": "Datum",
        "datum": "1985-12-01",
        "langFormaat": "1 december 1985",
    }


async def test_a_path_below_a_date_delivers_the_whole_date(client: httpx.AsyncClient) -> None:
    persoon = await raadpleeg(client, "geboorte.datum.langFormaat")

    assert persoon["geboorte"]["datum"]["datum"] == "1985-12-01"


async def test_codes_come_with_their_omschrijving(client: httpx.AsyncClient) -> None:
    persoon = await raadpleeg(client, "geslacht", "nationaliteiten", "gemeenteVanInschrijving")

    assert persoon["geslacht"] == {"code": "V", "omschrijving": "vrouw"}
    assert persoon["gemeenteVanInschrijving"] == {"code": "0599", "omschrijving": "Rotterdam"}
    assert persoon["nationaliteiten"][0]["nationaliteit"]["omschrijving"] == "Franse"


async def test_leeftijd_is_computed_on_the_day_of_the_request(client: httpx.AsyncClient) -> None:
    assert (await raadpleeg(client, "leeftijd"))["leeftijd"] == 39


async def test_deceased_person_is_found_by_bsn_with_overlijden_and_opschorting(
    client: httpx.AsyncClient,
) -> None:
    persoon = await raadpleeg(client, "overlijden", "leeftijd", bsn=DECEASED)

    assert persoon["overlijden"]["datum"]["type"] == "Datum"
    assert "leeftijd" not in persoon
    assert persoon["opschortingBijhouding"]["reden"]["code"] == "O"


async def test_geheimhouding_is_delivered_without_being_asked(client: httpx.AsyncClient) -> None:
    geheim = await raadpleeg(client, "burgerservicenummer", bsn=GEHEIM)
    gewoon = await raadpleeg(client, "burgerservicenummer")

    assert geheim["geheimhoudingPersoonsgegevens"] is True
    assert "geheimhoudingPersoonsgegevens" not in gewoon


async def test_unknown_bsn_gives_no_personen(client: httpx.AsyncClient) -> None:
    found = await personen(
        client, type=RAADPLEEG, burgerservicenummer=["999999990"], fields=["naam"]
    )

    assert found == []


async def test_several_bsns_are_answered_in_one_call(client: httpx.AsyncClient) -> None:
    found = await personen(
        client,
        type=RAADPLEEG,
        burgerservicenummer=[BSN, GEHEIM, BSN],
        fields=["burgerservicenummer"],
    )

    assert [p["burgerservicenummer"] for p in found] == [BSN, GEHEIM]


async def test_zoek_met_geslachtsnaam_en_geboortedatum_is_case_insensitive_with_wildcard(
    client: httpx.AsyncClient,
) -> None:
    body = {"type": "ZoekMetGeslachtsnaamEnGeboortedatum", "geboortedatum": "2015-01-01"}

    exact = await personen(client, **body, geslachtsnaam="janssen", fields=["naam.voornamen"])
    wildcard = await personen(client, **body, geslachtsnaam="Jans*", fields=["naam.voornamen"])
    one = await personen(
        client, **body, geslachtsnaam="Janssen", voornamen="Jia", fields=["burgerservicenummer"]
    )

    assert len(exact) == len(wildcard) >= 4
    assert one == [{"burgerservicenummer": "999970379"}]


async def test_zoek_leaves_out_deceased_persons_unless_asked(client: httpx.AsyncClient) -> None:
    body = {
        "type": "ZoekMetGeslachtsnaamEnGeboortedatum",
        "geslachtsnaam": "Saasveld",
        "geboortedatum": "1998-12-01",
        "fields": ["burgerservicenummer"],
    }

    assert await personen(client, **body) == []
    assert await personen(client, **body, inclusiefOverledenPersonen=True) == [
        {"burgerservicenummer": DECEASED, "opschortingBijhouding": {
            "reden": {"code": "O", "omschrijving": "overlijden"},
            "datum": {"type": "Datum", "datum": "2020-08-01", "langFormaat": "1 augustus 2020"}}}
    ]  # fmt: skip


async def test_zoek_met_postcode_en_huisnummer_finds_the_household(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "type": "ZoekMetPostcodeEnHuisnummer",
        "huisnummer": 14,
        "fields": ["naam.geslachtsnaam"],
    }

    found = await personen(client, **body, postcode="1014 aw")
    with_letter = await personen(client, **body, postcode="1014AW", huisletter="B")

    assert [p["naam"]["geslachtsnaam"] for p in found].count("Braber") == 3
    assert len(found) == 4
    assert with_letter == []


async def test_zoek_met_naam_en_gemeente_van_inschrijving(client: httpx.AsyncClient) -> None:
    found = await personen(
        client,
        type="ZoekMetNaamEnGemeenteVanInschrijving",
        geslachtsnaam="Moulin",
        voornamen="Suz*",
        gemeenteVanInschrijving="0599",
        fields=["burgerservicenummer"],
    )

    assert found == [{"burgerservicenummer": BSN}]


async def test_zoek_types_only_allow_fields_of_persoon_beperkt(client: httpx.AsyncClient) -> None:
    names = await invalid(
        client,
        type="ZoekMetPostcodeEnHuisnummer",
        postcode="1014AW",
        huisnummer=14,
        fields=["naam.volledigeNaam", "nationaliteiten"],
    )

    assert names == {"fields[1]": "fields"}


async def test_unknown_and_automatic_fields_are_named_in_the_400(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/personen",
        json={
            "type": RAADPLEEG,
            "burgerservicenummer": [BSN],
            "fields": ["naam.voornamen", "naam.bestaatNiet", "geheimhoudingPersoonsgegevens"],
        },
    )

    params = response.json()["invalidParams"]
    assert [(p["name"], p["code"]) for p in params] == [
        ("fields[1]", "fields"),
        ("fields[2]", "fields"),
    ]
    assert params[0]["reason"] == "Parameter bevat een niet bestaande veldnaam."
    assert params[1]["reason"] == "Parameter bevat een niet toegestane veldnaam."
    assert response.json()["detail"] == "De foutieve parameter(s) zijn: fields[1], fields[2]."


@pytest.mark.parametrize(
    ("bsns", "expected"),
    [
        ([BSN, "12345678", "abcdefghi"], {"burgerservicenummer[1]": "pattern",
                                           "burgerservicenummer[2]": "pattern"}),
        ([], {"burgerservicenummer": "minItems"}),
        ([BSN] * 21, {"burgerservicenummer": "maxItems"}),
        (BSN, {"burgerservicenummer": "array"}),
    ],
)  # fmt: skip
async def test_bad_burgerservicenummers_are_named_in_the_400(
    client: httpx.AsyncClient, bsns: Any, expected: dict[str, str]
) -> None:
    names = await invalid(client, type=RAADPLEEG, burgerservicenummer=bsns, fields=["naam"])

    assert names == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"burgerservicenummer": [BSN]}, {"type": "required"}),
        ({"type": "ZoekMetBsn", "fields": ["naam"]}, {"type": "value"}),
        ({"type": RAADPLEEG, "burgerservicenummer": [BSN]}, {"fields": "required"}),
        ({"type": RAADPLEEG, "fields": []},
         {"fields": "minItems", "burgerservicenummer": "required"}),
        ({"type": RAADPLEEG, "burgerservicenummer": [BSN], "fields": ["naam"], "postcode": "1"},
         {"postcode": "unknownParam"}),
        ({"type": "ZoekMetPostcodeEnHuisnummer", "postcode": "0123AB", "huisnummer": "14",
          "fields": ["naam"]}, {"postcode": "pattern", "huisnummer": "integer"}),
        ({"type": "ZoekMetGeslachtsnaamEnGeboortedatum", "geslachtsnaam": "Ja*",
          "geboortedatum": "01-01-2015", "fields": ["naam"]},
         {"geslachtsnaam": "pattern", "geboortedatum": "date"}),
    ],
)  # fmt: skip
async def test_bad_parameters_are_all_named_in_one_400(
    client: httpx.AsyncClient, body: dict[str, Any], expected: dict[str, str]
) -> None:
    assert await invalid(client, **body) == expected


async def test_body_must_be_json(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/personen", content=b"type=x", headers={"Content-Type": "text/plain"}
    )

    assert response.status_code == 415


async def test_calls_record_the_query_type_and_headers(
    client: httpx.AsyncClient, store: BrpStore
) -> None:
    await raadpleeg(client, "naam")

    assert store.calls[-1]["type"] == RAADPLEEG
    assert store.calls[-1]["headers"]["x-api-key"] == CREDENTIALS.brp_api_key


def test_derived_persons_cover_the_demo_cases() -> None:
    found = brp.load_personen()
    adressen = Counter(
        (
            p["verblijfplaats"]["verblijfadres"].get("postcode"),
            p["verblijfplaats"]["verblijfadres"].get("huisnummer"),
        )
        for p in found
        if p["verblijfplaats"]["type"] == "Adres"
    )
    namen = Counter(p["naam"]["geslachtsnaam"] for p in found)

    assert len(found) == 40
    assert BSN in {p["burgerservicenummer"] for p in found}
    assert sum("overlijden" in p for p in found) >= 2
    assert any(p.get("geheimhoudingPersoonsgegevens") for p in found)
    assert max(adressen.values()) >= 3
    assert max(namen.values()) >= 3
