"""Klantinteracties client: loading every active actor for the actoren index, in big pages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import respx

from bff.upstreams.auth import TokenAuth
from bff.upstreams.klantinteracties import KlantinteractiesClient
from tests.upstreams import ki_samples as s
from tests.upstreams.conftest import KI, http_client, page

OTHER = "66666666-6666-4666-8666-666666666666"


@pytest.fixture
async def ki(ki_router: respx.MockRouter) -> AsyncIterator[KlantinteractiesClient]:
    client = KlantinteractiesClient(http_client(ki_router, KI, auth=TokenAuth("t")), timeout_s=5)
    yield client
    await client.aclose()


async def test_list_actoren_sends_page_size_and_follows_next(ki, ki_router):
    second = f"{KI}/actoren?indicatieActief=true&page=2&pageSize=500"
    route = ki_router.get("actoren").mock(
        side_effect=[
            respx.MockResponse(200, json=page([s.actor()], next_url=second, count=2)),
            respx.MockResponse(200, json=page([s.actor(OTHER)], count=2)),
        ]
    )
    found = await ki.list_actoren(indicatie_actief=True, page_size=500)
    assert [a.uuid for a in found] == [s.ACTOR, OTHER]
    assert dict(route.calls[0].request.url.params) == {
        "indicatieActief": "true",
        "pageSize": "500",
    }
    assert dict(route.calls[1].request.url.params) == {
        "indicatieActief": "true",
        "page": "2",
        "pageSize": "500",
    }
