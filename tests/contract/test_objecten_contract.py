"""The sandbox Objects API's bodies against the Objects API 2.6.0 spec (2.7.0 for objecttypes).

The 2.6.0 file documents no error bodies, so only successful exchanges are checked.
Objecttypes are served as Objects API 2.7.0 (objecttypes merged in) does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox import objecten
from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.objecten import ObjectenStore
from tests.contract.oas import (
    SKIP_REASON,
    load_spec,
    specs_available,
    validate_request,
    validate_response,
)

pytestmark = pytest.mark.skipif(not specs_available(), reason=SKIP_REASON)

CREDENTIALS = SandboxCredentials()
BASE = "http://sandbox/objecten/api/v2"
V26, V27 = "objects-api-2.6.0.openapi.yaml", "objects-api-2.7.0.openapi.yaml"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    store = ObjectenStore(seed=8)
    store.seed_demo()
    app = Starlette(routes=[Mount("/objecten/api/v2", app=objecten.create_app(store, CREDENTIALS))])
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Token {CREDENTIALS.objecten_token}", "Accept-Crs": "EPSG:4326"}
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as made:
        yield made


async def test_new_object_request_and_response_match_the_spec(client: httpx.AsyncClient) -> None:
    body = {
        "type": f"{BASE}/objecttypes/{ObjectenStore.PRODUCTAANVRAAG_OBJECTTYPE_UUID}",
        "record": {
            "typeVersion": 1,
            "data": {"productcode": "AFVALPAS", "omschrijving": "Nieuwe afvalpas"},
            "startAt": "2025-11-03",
        },
    }

    response = await client.post("/objects", json=body, headers={"Content-Crs": "EPSG:4326"})

    for name in (V26, V27):
        validate_request(load_spec(name), "/objects", "post", body)
        validate_response(load_spec(name), "/objects", "post", 201, response.json())


async def test_object_listing_and_detail_match_the_spec(client: httpx.AsyncClient) -> None:
    page = await client.get("/objects", params={"data_attr": "aanvrager__bsn__exact__999993653"})
    one = await client.get(page.json()["results"][0]["url"])

    for name in (V26, V27):
        validate_response(load_spec(name), "/objects", "get", 200, page.json())
        validate_response(load_spec(name), "/objects/{uuid}", "get", 200, one.json())


async def test_objecttype_and_version_match_the_2_7_spec(client: httpx.AsyncClient) -> None:
    listing = (await client.get("/objecttypes")).json()
    objecttype = (await client.get(listing["results"][0]["url"])).json()
    version = (await client.get(objecttype["versions"][0])).json()

    spec = load_spec(V27)
    validate_response(spec, "/objecttypes", "get", 200, listing)
    validate_response(spec, "/objecttypes/{uuid}", "get", 200, objecttype)
    path = "/objecttypes/{objecttype_uuid}/versions/{version}"
    validate_response(spec, path, "get", 200, version)
