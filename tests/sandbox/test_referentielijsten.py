"""Behaviour of the sandbox Referentielijsten API 0.2.0: tables, items, validity windows."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox import referentielijsten
from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.referentielijsten import ReferentielijstenStore

REFERENTIELIJSTEN = "http://sandbox/referentielijsten/api/v1"
LAND_ISO = Path(__file__).resolve().parents[2] / "bff" / "data" / "land_iso_alpha2.json"


@pytest.fixture
def store() -> ReferentielijstenStore:
    made = ReferentielijstenStore()
    made.now = lambda: datetime(2025, 11, 30, tzinfo=UTC)
    return made


@pytest.fixture
async def client(store: ReferentielijstenStore) -> AsyncIterator[httpx.AsyncClient]:
    inner = referentielijsten.create_app(store, SandboxCredentials())
    app = Starlette(routes=[Mount("/referentielijsten/api/v1", app=inner)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=REFERENTIELIJSTEN) as made:
        yield made


async def codes(client: httpx.AsyncClient, tabel: str, **params: str) -> list[str]:
    response = await client.get(
        "/items", params={"tabel__code": tabel, "pageSize": "500", **params}
    )
    assert response.status_code == 200, response.text
    return [item["code"] for item in response.json()["results"]]


async def test_tables_need_no_authentication(client: httpx.AsyncClient) -> None:
    response = await client.get("/tabellen")

    assert response.headers["api-version"] == "0.2.0"
    assert [t["code"] for t in response.json()["results"]] == ["KANAAL", "TAAL", "LAND"]


async def test_expired_kanaal_is_left_out_when_only_valid_items_are_asked(
    client: httpx.AsyncClient,
) -> None:
    alle = await codes(client, "KANAAL")
    geldig = await codes(client, "KANAAL", isGeldig="true")
    ongeldig = await codes(client, "KANAAL", isGeldig="false")

    assert {"telefoon", "e-mail", "balie", "brief", "chat", "webformulier"} <= set(geldig)
    assert "fax" in alle
    assert ongeldig == ["fax"]


async def test_validity_is_judged_on_the_current_moment(
    client: httpx.AsyncClient, store: ReferentielijstenStore
) -> None:
    store.now = lambda: datetime(2023, 6, 1, tzinfo=UTC)

    assert "fax" in await codes(client, "KANAAL", isGeldig="true")


async def test_talen_are_iso_639_2_with_dutch_names(client: httpx.AsyncClient) -> None:
    response = await client.get("/items", params={"tabel__code": "TAAL", "pageSize": "500"})

    nld = next(i for i in response.json()["results"] if i["code"] == "nld")
    assert response.json()["count"] > 400
    assert nld["naam"] == "Nederlands"
    assert nld["aanvullendeGegevens"] == {"iso639_2b": "dut", "iso639_1": "nl"}


async def test_landen_follow_tabel_34_with_their_validity(client: httpx.AsyncClient) -> None:
    response = await client.get("/items", params={"tabel__code": "LAND", "pageSize": "500"})
    landen = {i["code"]: i for i in response.json()["results"]}

    assert landen["6030"]["naam"] == "Nederland"
    assert landen["5001"]["begindatumGeldigheid"] == "1867-07-01T00:00:00Z"
    assert "5046" not in await codes(client, "LAND", isGeldig="true")


async def test_items_without_tabel_code_is_400_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/items")

    assert response.status_code == 400
    assert response.json() == {
        "name": "tabel__code",
        "code": "required",
        "reason": "Dit veld is vereist.",
    }


async def test_unknown_table_has_no_items_and_bad_is_geldig_is_400(
    client: httpx.AsyncClient,
) -> None:
    assert await codes(client, "ONBEKEND") == []
    response = await client.get("/items", params={"tabel__code": "KANAAL", "isGeldig": "ja"})
    assert response.status_code == 400


async def test_items_are_paged_and_a_page_past_the_end_is_404(client: httpx.AsyncClient) -> None:
    first = (await client.get("/items", params={"tabel__code": "TAAL"})).json()
    past = await client.get("/items", params={"tabel__code": "TAAL", "page": "99"})

    assert len(first["results"]) == 100
    assert first["next"] is not None
    assert past.status_code == 404


def test_land_iso_alpha2_maps_tabel_34_codes_with_dutch_names() -> None:
    mapping = json.loads(LAND_ISO.read_text(encoding="utf-8"))
    landen = {land["code"] for land in ReferentielijstenStore().items["LAND"]}

    assert mapping["6030"] == {"alpha2": "NL", "naam": "Nederland"}
    assert mapping["5002"]["alpha2"] == "FR"
    assert set(mapping) <= landen
    assert all(len(v["alpha2"]) == 2 for v in mapping.values())
