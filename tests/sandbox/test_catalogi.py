"""Behaviour of the sandbox Catalogi API 1.3.1 (Open Zaak 1.30): auth, filters, derived fields."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox import catalogi
from bff.sandbox.catalogi import CatalogiStore
from bff.sandbox.credentials import SandboxCredentials

CREDENTIALS = SandboxCredentials()
CATALOGI = "http://sandbox/catalogi/api/v1"
MISSING_UUID = "00000000-0000-4000-8000-000000000000"


def bearer(iat: float | None = None) -> dict[str, str]:
    claims = {
        "iss": "kcc-bff",
        "client_id": CREDENTIALS.zgw_client_id,
        "iat": int(iat if iat is not None else time.time()),
        "user_id": "mdw-1",
        "user_representation": "Mira Medewerker",
    }
    return {"Authorization": f"Bearer {jwt.encode(claims, CREDENTIALS.zgw_secret, 'HS256')}"}


@pytest.fixture
def store() -> CatalogiStore:
    made = CatalogiStore(seed=3)
    made.seed_demo()
    return made


@pytest.fixture
async def client(store: CatalogiStore) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=[Mount(catalogi.BASE_PATH, app=catalogi.create_app(store, CREDENTIALS))])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=CATALOGI, headers=bearer()) as made:
        yield made


def zaaktype_uuid(store: CatalogiStore, identificatie: str) -> str:
    return next(u for u, z in store.zaaktypen.items() if z["identificatie"] == identificatie)


async def test_request_without_token_is_403(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaaktypen", headers={"Authorization": ""})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.headers["content-type"] == "application/json"
    assert response.headers["api-version"] == "1.3.1"


async def test_expired_token_is_403(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaaktypen", headers=bearer(iat=time.time() - 2 * 3600))

    assert response.json()["code"] == "jwt-expired"


async def test_accept_crs_is_not_needed(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaaktypen")

    assert response.status_code == 200


async def test_demo_catalogus_has_five_zaaktypen_with_statustypen(
    client: httpx.AsyncClient,
) -> None:
    zaaktypen = (await client.get("/zaaktypen")).json()

    assert zaaktypen["count"] == 5
    for zaaktype in zaaktypen["results"]:
        assert 3 <= len(zaaktype["statustypen"]) <= 4
        assert zaaktype["catalogus"].startswith(f"{CATALOGI}/catalogussen/")


async def test_statustypen_of_a_zaaktype_are_in_order_with_one_eindstatus(
    client: httpx.AsyncClient, store: CatalogiStore
) -> None:
    zaaktype = f"{CATALOGI}/zaaktypen/{zaaktype_uuid(store, 'BEZWAAR-WOZ')}"

    found = (await client.get("/statustypen", params={"zaaktype": zaaktype})).json()["results"]

    assert [s["volgnummer"] for s in found] == [1, 2, 3, 4]
    assert [s["isEindstatus"] for s in found] == [False, False, False, True]
    assert {s["zaaktypeIdentificatie"] for s in found} == {"BEZWAAR-WOZ"}
    assert (await client.get(zaaktype)).json()["statustypen"] == [s["url"] for s in found]


async def test_zaaktypen_filter_on_identificatie_and_catalogus(
    client: httpx.AsyncClient, store: CatalogiStore
) -> None:
    catalogus = f"{CATALOGI}/catalogussen/{next(iter(store.catalogussen))}"

    by_id = await client.get("/zaaktypen", params={"identificatie": "KLACHT"})
    by_catalogus = await client.get("/zaaktypen", params={"catalogus": catalogus})
    elsewhere = await client.get("/zaaktypen", params={"catalogus": f"{CATALOGI}/catalogussen/x"})

    assert [z["omschrijving"] for z in by_id.json()["results"]] == ["Klacht"]
    assert by_catalogus.json()["count"] == 5
    assert elsewhere.json()["count"] == 0


async def test_concept_zaaktype_is_only_listed_when_asked(
    client: httpx.AsyncClient, store: CatalogiStore
) -> None:
    store.zaaktypen[zaaktype_uuid(store, "KLACHT")]["concept"] = True

    default = await client.get("/zaaktypen")
    concept = await client.get("/zaaktypen", params={"status": "concept"})
    alles = await client.get("/zaaktypen", params={"status": "alles"})
    bad = await client.get("/zaaktypen", params={"status": "gepubliceerd"})

    assert (default.json()["count"], concept.json()["count"], alles.json()["count"]) == (4, 1, 5)
    assert bad.json()["invalidParams"][0]["name"] == "status"


async def test_datum_geldigheid_leaves_out_zaaktypen_no_longer_valid(
    client: httpx.AsyncClient, store: CatalogiStore
) -> None:
    store.zaaktypen[zaaktype_uuid(store, "KLACHT")]["eindeGeldigheid"] = "2024-12-31"

    before = await client.get("/zaaktypen", params={"datumGeldigheid": "2024-06-01"})
    after = await client.get("/zaaktypen", params={"datumGeldigheid": "2025-06-01"})

    assert (before.json()["count"], after.json()["count"]) == (5, 4)


async def test_roltypen_filter_on_omschrijving_generiek(client: httpx.AsyncClient) -> None:
    response = await client.get("/roltypen", params={"omschrijvingGeneriek": "initiator"})

    assert response.json()["count"] == 5
    assert {r["omschrijvingGeneriek"] for r in response.json()["results"]} == {"initiator"}


async def test_catalogus_lists_its_zaaktypen(
    client: httpx.AsyncClient, store: CatalogiStore
) -> None:
    uuid = next(iter(store.catalogussen))

    response = await client.get(f"/catalogussen/{uuid}")

    assert len(response.json()["zaaktypen"]) == 5
    assert response.json()["domein"] == "KCC"


@pytest.mark.parametrize("path", ["zaaktypen", "statustypen", "catalogussen", "roltypen"])
async def test_unknown_uuid_is_404(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(f"/{path}/{MISSING_UUID}")

    assert response.status_code == 404


async def test_unknown_query_parameter_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/statustypen", params={"omschrijving": "Ontvangen"})

    assert response.json()["invalidParams"][0]["code"] == "unknown-parameters"


def test_new_store_is_empty_and_seeding_is_idempotent() -> None:
    store = CatalogiStore()
    assert store.zaaktypen == {}

    store.seed_demo()
    store.seed_demo()

    assert len(store.zaaktypen) == 5
    assert len(store.statustypen) == sum(len(store.statustypen_of(z)) for z in store.zaaktypen)
