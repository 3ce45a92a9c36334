"""Objects API client: create an object (type, record), get one; Crs headers and token."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
import respx

from bff.errors import NotFound
from bff.upstreams.auth import TokenAuth
from bff.upstreams.objecten import ObjectenClient
from tests.upstreams.conftest import OBJECTEN, body_of, http_client, page

TYPE_URL = "http://objecttypen.test/api/v2/objecttypes/cccccccc-0000-4000-8000-000000000001"
OBJECT = "dddddddd-0000-4000-8000-000000000001"
BODY = {
    "url": f"{OBJECTEN}/objects/{OBJECT}",
    "uuid": OBJECT,
    "type": TYPE_URL,
    "record": {
        "index": 1,
        "typeVersion": 1,
        "data": {"product": "paspoort"},
        "geometry": None,
        "startAt": "2026-11-02",
        "endAt": None,
        "registrationAt": "2026-11-02",
        "correctionFor": None,
        "correctedBy": None,
    },
}


@pytest.fixture
async def objecten(objecten_router: respx.MockRouter) -> AsyncIterator[ObjectenClient]:
    client = ObjectenClient(
        http_client(objecten_router, OBJECTEN, auth=TokenAuth("obj-token")), timeout_s=5
    )
    yield client
    await client.aclose()


async def test_create_object_posts_type_and_record_with_crs(objecten, objecten_router):
    route = objecten_router.post("objects").respond(201, json=BODY)
    created = await objecten.create_object(
        type_url=TYPE_URL, type_version=1, data={"product": "paspoort"}, start_at=date(2026, 11, 2)
    )
    assert created.record.data == {"product": "paspoort"}
    assert body_of(route) == {
        "type": TYPE_URL,
        "record": {"typeVersion": 1, "data": {"product": "paspoort"}, "startAt": "2026-11-02"},
    }
    headers = route.calls.last.request.headers
    assert headers["Authorization"] == "Token obj-token"
    assert headers["Content-Crs"] == headers["Accept-Crs"] == "EPSG:4326"


async def test_get_object(objecten, objecten_router):
    route = objecten_router.get(f"objects/{OBJECT}").respond(200, json=BODY)
    assert (await objecten.get_object(OBJECT)).record.start_at == date(2026, 11, 2)
    assert "Content-Crs" not in route.calls.last.request.headers


async def test_get_object_with_a_bad_id_is_not_found(objecten):
    with pytest.raises(NotFound):
        await objecten.get_object("not-a-uuid")


async def test_probe(objecten, objecten_router):
    objecten_router.get("objects").respond(200, json=page([]), headers={"API-version": "2.6.0"})
    assert await objecten.probe() == "2.6.0"


async def test_create_object_with_a_chosen_uuid_sends_it(objecten, objecten_router):
    route = objecten_router.post("objects").respond(201, json=BODY)
    await objecten.create_object(
        type_url=TYPE_URL,
        type_version=1,
        data={"product": "paspoort"},
        start_at=date(2026, 11, 2),
        object_uuid=OBJECT.upper(),
    )
    assert body_of(route)["uuid"] == OBJECT
