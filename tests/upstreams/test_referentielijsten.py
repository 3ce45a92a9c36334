"""Referentielijsten client: items of a tabel, all pages, no credentials."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import respx

from bff.upstreams.referentielijsten import ReferentielijstenClient
from tests.upstreams.conftest import REF, http_client, page


def _item(code: str, naam: str, end: str | None = None) -> dict[str, object]:
    return {
        "code": code,
        "naam": naam,
        "begindatumGeldigheid": "2020-01-01T00:00:00Z",
        "einddatumGeldigheid": end,
        "aanvullendeGegevens": None,
    }


async def test_items_of_a_tabel_across_three_pages(ref_router: respx.MockRouter):
    route = ref_router.get("items").mock(
        side_effect=[
            httpx.Response(
                200,
                json=page(
                    [_item("telefoon", "Telefoon")],
                    next_url=f"{REF}/items?page=2&tabel__code=KANAAL",
                ),
            ),
            httpx.Response(
                200,
                json=page(
                    [_item("email", "E-mail")], next_url=f"{REF}/items?page=3&tabel__code=KANAAL"
                ),
            ),
            httpx.Response(200, json=page([_item("balie", "Balie", "2025-01-01T00:00:00Z")])),
        ]
    )
    client = ReferentielijstenClient(http_client(ref_router, REF), timeout_s=5)
    items = await client.list_items("KANAAL")
    await client.aclose()
    assert [i.code for i in items] == ["telefoon", "email", "balie"]
    assert items[2].einddatum_geldigheid == datetime(2025, 1, 1, tzinfo=UTC)
    assert dict(route.calls[0].request.url.params) == {"tabel__code": "KANAAL"}
    assert all("Authorization" not in c.request.headers for c in route.calls)


async def test_probe_reads_the_configured_tabel(ref_router: respx.MockRouter):
    route = ref_router.get("items").respond(200, json=page([]), headers={"API-version": "0.2.0"})
    client = ReferentielijstenClient(http_client(ref_router, REF), timeout_s=5, probe_tabel="KNL")
    assert await client.probe() == "0.2.0"
    await client.aclose()
    assert dict(route.calls.last.request.url.params) == {"tabel__code": "KNL", "pageSize": "1"}


async def test_items_of_a_tabel_in_pages_of_the_requested_size(ref_router: respx.MockRouter):
    route = ref_router.get("items").respond(200, json=page([_item("telefoon", "Telefoon")]))
    client = ReferentielijstenClient(http_client(ref_router, REF), timeout_s=5)
    items = await client.list_items("KANAAL", page_size=500)
    await client.aclose()
    assert [i.code for i in items] == ["telefoon"]
    assert dict(route.calls.last.request.url.params) == {"tabel__code": "KANAAL", "pageSize": "500"}
