"""Cross-cutting behaviour of the sandbox Klantinteracties API: auth, headers, errors, paging."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bff.sandbox.klantinteracties import KlantinteractiesStore
from tests.sandbox.conftest import KI_BASE, KiBuilder, invalid_params

MISSING_UUID = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer sandbox-klantinteracties-token"}, {"Authorization": "Token"}],
)
async def test_request_without_token_is_401_not_authenticated(
    ki: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await ki.get("/partijen", headers={"Authorization": "", **headers})

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"  # not problem+json
    assert response.headers["www-authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


async def test_request_with_wrong_token_is_401(ki: httpx.AsyncClient) -> None:
    response = await ki.get("/partijen", headers={"Authorization": "Token wrong"})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Token"


async def test_every_response_carries_api_version(ki: httpx.AsyncClient) -> None:
    responses = [
        await ki.get("/partijen"),
        await ki.get(f"/partijen/{MISSING_UUID}"),
        await ki.post("/partijen", json={}),
        await ki.get("/partijen", headers={"Authorization": ""}),
    ]

    assert [r.headers["api-version"] for r in responses] == ["0.9.0"] * 4


@pytest.mark.parametrize("parameter", ["unknown", "ordering", "expand[]", "partijIdentificator"])
async def test_unknown_query_parameter_is_rejected(ki: httpx.AsyncClient, parameter: str) -> None:
    response = await ki.get("/partijen", params={parameter: "x"})

    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["code"] == "unknown-parameters"


async def test_expand_on_a_resource_without_expand_is_an_unknown_parameter(
    ki: httpx.AsyncClient,
) -> None:
    response = await ki.get("/internetaken", params={"expand": "aanleidinggevendKlantcontact"})

    assert response.json()["invalidParams"][0]["code"] == "unknown-parameters"


def without_instance(body: dict[str, Any]) -> dict[str, Any]:
    assert body.pop("instance").startswith("urn:uuid:")
    return body


async def test_unknown_uuid_is_404_with_the_full_problem_body(ki: httpx.AsyncClient) -> None:
    """As Open Klant 2.18.0 answers, also for a path that is no uuid (observed)."""
    responses = [
        await ki.get(f"/klantcontacten/{MISSING_UUID}"),
        await ki.get("/klantcontacten/not-a-uuid"),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert [without_instance(r.json()) for r in responses] == [
        {
            "type": "http://sandbox/ref/fouten/NotFound/",
            "code": "not_found",
            "title": "Niet gevonden.",
            "status": 404,
            "detail": "Niet gevonden.",
        }
    ] * 2


async def test_invalid_input_has_open_klants_type_and_dutch_title(ki: httpx.AsyncClient) -> None:
    response = await ki.get("/partijen", params={"foo": "1"})

    assert without_instance(response.json()) == {
        "type": "http://sandbox/ref/fouten/ValidationError/",
        "code": "invalid",
        "title": "Ongeldige invoerwaarde.",
        "status": 400,
        "detail": "Ongeldige invoerwaarde.",
        "invalidParams": [
            {
                "name": "nonFieldErrors",
                "code": "unknown-parameters",
                "reason": "Onbekende query parameters: foo",
            }
        ],
    }


async def test_auth_and_parse_errors_name_their_exception_in_type(ki: httpx.AsyncClient) -> None:
    wrong = await ki.get("/partijen", headers={"Authorization": "Token wrong"})
    garbled = await ki.post(
        "/partijen", content=b"{bad", headers={"Content-Type": "application/json"}
    )

    assert (wrong.json()["type"], wrong.json()["title"], wrong.json()["detail"]) == (
        "http://sandbox/ref/fouten/AuthenticationFailed/",
        "Ongeldige authenticatiegegevens.",
        "Ongeldige token.",
    )
    assert (garbled.status_code, garbled.json()["type"]) == (
        400,
        "http://sandbox/ref/fouten/ParseError/",
    )
    assert "invalidParams" not in garbled.json()


async def test_pages_follow_page_size_and_link_to_the_next(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    for _ in range(3):
        await make.actor()

    first = (await ki.get("/actoren", params={"pageSize": 2})).json()
    second = await ki.get(first["next"])

    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"].startswith(f"{KI_BASE}/actoren?")
    assert len(second.json()["results"]) == 1
    assert second.json()["next"] is None


async def test_page_past_the_end_is_404_ongeldige_pagina(ki: httpx.AsyncClient) -> None:
    response = await ki.get("/actoren", params={"page": 2})

    assert response.status_code == 404
    assert without_instance(response.json()) == {
        "type": "http://sandbox/ref/fouten/NotFound/",
        "code": "not_found",
        "title": "Niet gevonden.",
        "status": 404,
        "detail": "Ongeldige pagina.",
    }


async def test_urls_are_built_from_the_request_host(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    actor = await make.actor()

    response = await ki.get(f"/actoren/{actor['uuid']}", headers={"Host": "ok.example.nl"})

    expected = f"http://ok.example.nl/klantinteracties/api/v1/actoren/{actor['uuid']}"
    assert response.json()["url"] == expected


async def test_reference_as_url_string_is_rejected(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    partij = await make.partij()
    klantcontact = await make.klantcontact()

    response = await ki.post(
        "/betrokkenen",
        json={
            "hadKlantcontact": {"uuid": klantcontact["uuid"]},
            "wasPartij": partij["url"],
            "rol": "klant",
            "initiator": True,
        },
    )

    assert invalid_params(response) == {"wasPartij.nonFieldErrors": "invalid"}
    assert "Verwacht een dictionary, kreeg een str" in response.json()["invalidParams"][0]["reason"]


async def test_reference_with_url_but_no_uuid_requires_uuid(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact()

    response = await ki.post(
        "/betrokkenen",
        json={
            "hadKlantcontact": {"url": klantcontact["url"]},
            "rol": "klant",
            "initiator": True,
        },
    )

    assert invalid_params(response) == {"hadKlantcontact.uuid": "required"}


async def test_reference_to_unknown_uuid_does_not_exist(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact()

    response = await ki.post(
        "/betrokkenen",
        json={
            "hadKlantcontact": {"uuid": klantcontact["uuid"]},
            "wasPartij": {"uuid": MISSING_UUID},
            "rol": "klant",
            "initiator": True,
        },
    )

    assert invalid_params(response) == {"wasPartij.uuid": "invalid"}
    assert response.json()["invalidParams"][0]["reason"] == "Partij object bestaat niet."


async def test_all_field_errors_of_a_body_are_reported_together(ki: httpx.AsyncClient) -> None:
    response = await ki.post(
        "/klantcontacten",
        json={"kanaal": "k" * 51, "onderwerp": "o" * 201, "taal": "nederlands", "inhoud": 3.5},
    )

    assert response.headers["content-type"] == "application/json"  # Open Klant's, not problem+json
    assert invalid_params(response) == {
        "kanaal": "max_length",
        "onderwerp": "max_length",
        "taal": "max_length",
        "vertrouwelijk": "required",
    }


async def test_every_failing_validator_of_a_field_is_reported(ki: httpx.AsyncClient) -> None:
    adres = {"land": "NLD", "nummeraanduidingId": "1" * 17, "adresregel1": "a" * 81}
    body = {"soortPartij": "persoon", "indicatieActief": True, "bezoekadres": adres}

    response = await ki.post("/partijen", json=body)

    assert sorted((p["name"], p["code"]) for p in response.json()["invalidParams"]) == [
        ("bezoekadres.adresregel_1", "max_length"),  # Open Klant's name for `adresregel1`
        ("bezoekadres.land", "invalid"),
        ("bezoekadres.land", "max_length"),
        ("bezoekadres.nummeraanduidingId", "invalid"),
        ("bezoekadres.nummeraanduidingId", "max_length"),
    ]


async def test_a_nul_character_in_text_is_refused(ki: httpx.AsyncClient) -> None:
    body = {"kanaal": "telefoon", "onderwerp": "a\u0000b", "taal": "nld", "vertrouwelijk": False}

    response = await ki.post("/klantcontacten", json=body)
    other_control = await ki.post("/klantcontacten", json={**body, "onderwerp": "a\u0007b"})

    assert invalid_params(response) == {"onderwerp": "null_characters_not_allowed"}
    assert other_control.status_code == 201


async def test_body_that_is_not_an_object_is_rejected(ki: httpx.AsyncClient) -> None:
    response = await ki.post("/actoren", json=["naam"])

    assert response.status_code == 400


async def test_put_requires_all_required_fields(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    actor = await make.actor()

    response = await ki.put(f"/actoren/{actor['uuid']}", json={"naam": "Nieuw"})

    assert invalid_params(response)["soortActor"] == "required"


async def test_seeded_records_are_served(
    ki: httpx.AsyncClient, ki_store: KlantinteractiesStore
) -> None:
    seeded = ki_store.insert("actoren", {"naam": "Seed", "soortActor": "organisatorische_eenheid"})

    response = await ki.get(f"/actoren/{seeded['uuid']}")

    assert response.json()["naam"] == "Seed"
