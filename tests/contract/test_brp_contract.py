"""The sandbox BRP Personen bevragen bodies against the BRP API Personen 2.7.0 spec (OAS 3.1).

All 40 sandbox persons are checked with every field the sandbox serves. Where the running
API's own texts fall outside the spec's patterns, the checks use a copy of the spec with
just those patterns widened (each listed in `spec()`).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox import brp
from bff.sandbox.credentials import SandboxCredentials
from tests.contract.oas import (
    SKIP_REASON,
    Spec,
    load_spec,
    specs_available,
    validate_request,
    validate_response,
)

pytestmark = pytest.mark.skipif(not specs_available(), reason=SKIP_REASON)

CREDENTIALS = SandboxCredentials()
ALL_FIELDS = [
    "burgerservicenummer",
    "geslacht",
    "leeftijd",
    "naam",
    "geboorte",
    "overlijden",
    "nationaliteiten",
    "verblijfplaats",
    "gemeenteVanInschrijving",
    "adressering",
]
BEPERKT_FIELDS = ["burgerservicenummer", "geslacht", "leeftijd", "naam", "geboorte", "adressering"]


@functools.cache
def spec() -> Spec:
    """The spec, with the patterns the real API's own values and messages do not fit widened.

    - `Waardetabel.omschrijving`: the BRP's own tabelwaarden contain `/` ("geslachtsnaam
      echtgenoot/geregistreerd partner ...").
    - `Foutbericht.detail`, `InvalidParam.name` and `.reason`: the API names a bad list item
      `burgerservicenummer[0]` and writes "De foutieve parameter(s) zijn: ...".
    """
    patched = copy.deepcopy(load_spec("brp-personen-bevragen-2.7.0.resolved.openapi.yaml"))
    responses = patched["paths"]["/personen"]["post"]["responses"]
    for status, response in responses.items():  # inline `#/components/responses/...` for oas.py
        if "$ref" in response:
            responses[status] = patched["components"]["responses"][response["$ref"].split("/")[-1]]
    schemas = patched["components"]["schemas"]
    schemas["Waardetabel"]["properties"]["omschrijving"]["pattern"] = r"^[^\n]{1,200}$"
    schemas["Foutbericht"]["properties"]["detail"].pop("pattern")
    for field in ("name", "reason"):
        schemas["InvalidParam"]["properties"][field].pop("pattern")
    return patched


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(
        routes=[Mount("/haalcentraal/api/brp", app=brp.create_app(brp.BrpStore(), CREDENTIALS))]
    )
    transport = httpx.ASGITransport(app=app)
    headers = {CREDENTIALS.brp_api_key_header: CREDENTIALS.brp_api_key}
    base = "http://sandbox/haalcentraal/api/brp"
    async with httpx.AsyncClient(transport=transport, base_url=base, headers=headers) as made:
        yield made


async def ask(client: httpx.AsyncClient, body: dict[str, Any], status: int = 200) -> Any:
    validate_request(spec(), "/personen", "post", body)
    response = await client.post("/personen", json=body)
    assert response.status_code == status, response.text
    validate_response(spec(), "/personen", "post", status, response.json())
    return response.json()


async def test_every_person_with_every_field_matches_the_spec(client: httpx.AsyncClient) -> None:
    bsns = [p["burgerservicenummer"] for p in brp.load_personen()]

    for start in range(0, len(bsns), 20):
        body = {
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": bsns[start : start + 20],
            "fields": ALL_FIELDS,
        }
        found = await ask(client, body)
        assert len(found["personen"]) == len(body["burgerservicenummer"])


@pytest.mark.parametrize(
    "query",
    [
        {"type": "ZoekMetGeslachtsnaamEnGeboortedatum", "geslachtsnaam": "Janssen",
         "geboortedatum": "2015-01-01"},
        {"type": "ZoekMetPostcodeEnHuisnummer", "postcode": "2511CA", "huisnummer": 19},
        {"type": "ZoekMetNaamEnGemeenteVanInschrijving", "geslachtsnaam": "Braber",
         "voorvoegsel": "den", "voornamen": "Zoe*", "gemeenteVanInschrijving": "0363"},
        {"type": "ZoekMetPostcodeEnHuisnummer", "postcode": "2511CA", "huisnummer": 77,
         "inclusiefOverledenPersonen": True},
    ],
)  # fmt: skip
async def test_zoek_answers_match_the_spec(
    client: httpx.AsyncClient, query: dict[str, Any]
) -> None:
    found = await ask(client, {**query, "fields": BEPERKT_FIELDS})

    assert found["personen"]


async def test_bad_request_and_unauthorised_bodies_match_the_spec(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": ["12345678"],
        "fields": ["naam.bestaatNiet"],
    }
    await ask(client, body, status=400)

    response = await client.post("/personen", json=body, headers={"X-API-KEY": "wrong"})

    validate_response(spec(), "/personen", "post", 401, response.json())
