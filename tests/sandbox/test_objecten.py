"""Behaviour of the sandbox Objects API 2.6: token auth, Crs headers, JSON schema, filters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox import objecten
from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.objecten import ObjectenStore

CREDENTIALS = SandboxCredentials()
OBJECTEN = "http://sandbox/objecten/api/v2"
TOKEN = {"Authorization": f"Token {CREDENTIALS.objecten_token}"}
WRITE = {"Content-Crs": "EPSG:4326", "Accept-Crs": "EPSG:4326"}
TYPE_URL = f"{OBJECTEN}/objecttypes/{ObjectenStore.PRODUCTAANVRAAG_OBJECTTYPE_UUID}"
MISSING_UUID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def store() -> ObjectenStore:
    made = ObjectenStore(seed=4)
    made.seed_demo()
    return made


@pytest.fixture
async def client(store: ObjectenStore) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=[Mount("/objecten/api/v2", app=objecten.create_app(store, CREDENTIALS))])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=OBJECTEN, headers=TOKEN) as made:
        yield made


def productaanvraag(**data: Any) -> dict[str, Any]:
    body = {"productcode": "AFVALPAS", "omschrijving": "Nieuwe afvalpas", **data}
    return {"type": TYPE_URL, "record": {"typeVersion": 1, "data": body, "startAt": "2025-11-03"}}


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": ""}, {"Authorization": "Bearer x"}, {"Authorization": "Token wrong"}],
)
async def test_request_without_the_token_is_401(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.get("/objects", headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Token"
    assert response.headers["api-version"] == "2.6.0"


async def test_new_productaanvraag_is_stored_and_served(
    client: httpx.AsyncClient, store: ObjectenStore
) -> None:
    response = await client.post(
        "/objects", json=productaanvraag(aanvrager={"bsn": "999993653"}), headers=WRITE
    )

    made = response.json()
    assert response.status_code == 201
    assert response.headers["location"] == made["url"]
    assert made["type"] == TYPE_URL
    assert made["record"]["index"] == 1
    assert store.objects[made["uuid"]]["record"]["data"]["aanvrager"] == {"bsn": "999993653"}
    assert (await client.get(made["url"])).json() == made


async def test_write_without_content_crs_is_412(client: httpx.AsyncClient) -> None:
    response = await client.post("/objects", json=productaanvraag())

    assert response.status_code == 412


async def test_unsupported_accept_crs_is_406_and_missing_is_fine(
    client: httpx.AsyncClient,
) -> None:
    wrong = await client.get("/objects", headers={"Accept-Crs": "EPSG:28992"})
    missing = await client.get("/objects")

    assert (wrong.status_code, missing.status_code) == (406, 200)


async def test_data_that_breaks_the_objecttype_schema_is_named_per_field(
    client: httpx.AsyncClient,
) -> None:
    body = productaanvraag(aanvrager={"bsn": "12345"}, kleur="blauw")
    del body["record"]["data"]["productcode"]

    response = await client.post("/objects", json=body, headers=WRITE)

    codes = {p["name"]: p["code"] for p in response.json()["invalidParams"]}
    assert codes == {
        "record.data.productcode": "invalid-jsonschema",
        "record.data.aanvrager.bsn": "invalid-jsonschema",
        "record.data.kleur": "invalid-jsonschema",
    }


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"type": f"{OBJECTEN}/objecttypes/{MISSING_UUID}"}, "type"),
        ({"record": {"typeVersion": 2, "data": {}, "startAt": "2025-11-03"}}, "record.typeVersion"),
        ({"record": {"typeVersion": 1, "data": {"productcode": "X", "omschrijving": "Y"}}},
         "record.startAt"),
        ({"record": None}, "record"),
    ],
)  # fmt: skip
async def test_bad_object_is_400_naming_the_field(
    client: httpx.AsyncClient, change: dict[str, Any], name: str
) -> None:
    response = await client.post("/objects", json={**productaanvraag(), **change}, headers=WRITE)

    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == [name]


async def test_objects_are_filtered_on_type_and_data_attr(client: httpx.AsyncClient) -> None:
    params = {"type": TYPE_URL, "data_attr": "aanvrager__bsn__exact__999993653"}

    mine = await client.get("/objects", params=params)
    codes = await client.get("/objects", params={"data_attr": "productcode__in__AFVALPAS|X"})
    other_type = await client.get("/objects", params={"type": f"{OBJECTEN}/objecttypes/x"})

    assert mine.json()["count"] == 2
    assert mine.headers["content-crs"] == "EPSG:4326"
    assert [o["record"]["data"]["productcode"] for o in codes.json()["results"]] == ["AFVALPAS"]
    assert other_type.json()["count"] == 0


async def test_malformed_data_attr_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/objects", params={"data_attr": "aanvrager__999993653"})

    assert response.json()["invalidParams"][0]["name"] == "data_attr"


async def test_objecttype_and_its_schema_are_at_a_stable_url(client: httpx.AsyncClient) -> None:
    objecttype = (await client.get(TYPE_URL)).json()
    version = (await client.get(objecttype["versions"][0])).json()

    assert objecttype["name"] == "productaanvraag"
    assert version["jsonSchema"]["required"] == ["productcode", "omschrijving"]
    assert version["objectType"] == TYPE_URL


async def test_unknown_object_is_404_and_page_past_the_end_too(client: httpx.AsyncClient) -> None:
    missing = await client.get(f"/objects/{MISSING_UUID}")
    past = await client.get("/objects", params={"page": 2})

    assert (missing.status_code, past.status_code) == (404, 404)


def test_new_store_has_the_objecttype_but_no_objects() -> None:
    store = ObjectenStore()

    assert list(store.objecttypes) == [ObjectenStore.PRODUCTAANVRAAG_OBJECTTYPE_UUID]
    assert store.objects == {}


async def test_a_new_object_may_name_its_uuid_once(
    client: httpx.AsyncClient, store: ObjectenStore
) -> None:
    chosen = "0b8f1d5e-7a44-4c1e-9d3a-2f6b8c9e1a77"
    body = {**productaanvraag(), "uuid": chosen}

    first = await client.post("/objects", json=body, headers=WRITE)
    again = await client.post("/objects", json=body, headers=WRITE)

    assert first.status_code == 201
    assert first.json()["uuid"] == chosen
    assert chosen in store.objects
    assert again.status_code == 400
    assert again.json()["invalidParams"][0]["name"] == "uuid"
