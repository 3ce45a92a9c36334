"""The sandbox Referentielijsten API's bodies against the Referentielijsten API 0.2.0 spec.

The spec's paths carry the `/api/v1` prefix; the sandbox serves them below its base path.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox import referentielijsten
from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.referentielijsten import ReferentielijstenStore
from tests.contract.oas import SKIP_REASON, load_spec, specs_available, validate_response

pytestmark = pytest.mark.skipif(not specs_available(), reason=SKIP_REASON)

SPEC = "referentielijsten-api-0.2.0.openapi.yaml"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    inner = referentielijsten.create_app(ReferentielijstenStore(), SandboxCredentials())
    app = Starlette(routes=[Mount("/referentielijsten/api/v1", app=inner)])
    transport = httpx.ASGITransport(app=app)
    base = "http://sandbox/referentielijsten/api/v1"
    async with httpx.AsyncClient(transport=transport, base_url=base) as made:
        yield made


async def test_tabellen_match_the_spec(client: httpx.AsyncClient) -> None:
    response = await client.get("/tabellen")

    validate_response(load_spec(SPEC), "/api/v1/tabellen", "get", 200, response.json())


@pytest.mark.parametrize("tabel", ["KANAAL", "TAAL", "LAND"])
async def test_every_item_of_every_table_matches_the_spec(
    client: httpx.AsyncClient, tabel: str
) -> None:
    response = await client.get("/items", params={"tabel__code": tabel, "pageSize": 500})

    assert response.json()["count"] == len(response.json()["results"])
    validate_response(load_spec(SPEC), "/api/v1/items", "get", 200, response.json())


async def test_missing_tabel_code_matches_the_spec(client: httpx.AsyncClient) -> None:
    response = await client.get("/items")

    validate_response(load_spec(SPEC), "/api/v1/items", "get", 400, response.json())
