"""Catalogi client: zaaktype/statustype by URL, cached per instance, foreign URLs refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import respx

from bff.errors import NotFound, UpstreamError
from bff.upstreams.auth import ZgwJwtAuth
from bff.upstreams.catalogi import CatalogiClient
from tests.upstreams import zgw_samples as z
from tests.upstreams.conftest import CATALOGI, ZGW_SECRET, http_client, page


@pytest.fixture
async def catalogi(catalogi_router: respx.MockRouter) -> AsyncIterator[CatalogiClient]:
    auth = ZgwJwtAuth(client_id="c", secret=ZGW_SECRET, user_id="u", user_representation="U")
    client = CatalogiClient(http_client(catalogi_router, CATALOGI, auth=auth), timeout_s=5)
    yield client
    await client.aclose()


async def test_get_zaaktype_by_url_is_fetched_once_then_cached(catalogi, catalogi_router):
    route = catalogi_router.get(f"zaaktypen/{z.ZAAKTYPE}").respond(200, json=z.zaaktype())
    first = await catalogi.get_zaaktype(z.ZAAKTYPE_URL)
    second = await catalogi.get_zaaktype(z.ZAAKTYPE_URL)
    assert first == second
    assert first.omschrijving == "Aanvraag paspoort"
    assert first.statustypen == (z.STATUSTYPE_URL,)
    assert route.call_count == 1
    assert route.calls.last.request.headers["Authorization"].startswith("Bearer ")


async def test_concurrent_lookups_of_one_url_share_one_call(catalogi, catalogi_router):
    async def slowish(request):
        await asyncio.sleep(0.01)
        return respx.MockResponse(200, json=z.statustype())

    route = catalogi_router.get(f"statustypen/{z.STATUSTYPE}").mock(side_effect=slowish)
    found = await asyncio.gather(*(catalogi.get_statustype(z.STATUSTYPE_URL) for _ in range(5)))
    assert {s.volgnummer for s in found} == {2}
    assert route.call_count == 1


async def test_caches_are_per_instance(catalogi_router):
    route = catalogi_router.get(f"zaaktypen/{z.ZAAKTYPE}").respond(200, json=z.zaaktype())
    for _ in range(2):
        client = CatalogiClient(http_client(catalogi_router, CATALOGI), timeout_s=5)
        await client.get_zaaktype(z.ZAAKTYPE_URL)
        await client.aclose()
    assert route.call_count == 2


async def test_a_failed_lookup_is_not_cached(catalogi, catalogi_router):
    route = catalogi_router.get(f"zaaktypen/{z.ZAAKTYPE}").mock(
        side_effect=[respx.MockResponse(500), respx.MockResponse(200, json=z.zaaktype())]
    )
    with pytest.raises(UpstreamError):
        await catalogi.get_zaaktype(z.ZAAKTYPE_URL)
    assert (await catalogi.get_zaaktype(z.ZAAKTYPE_URL)).identificatie == "PASPOORT"
    assert route.call_count == 2


async def test_a_foreign_zaaktype_url_is_refused_without_a_call(catalogi, catalogi_router):
    with pytest.raises(UpstreamError) as err:
        await catalogi.get_zaaktype(f"http://elsewhere.test/catalogi/api/v1/zaaktypen/{z.ZAAKTYPE}")
    assert err.value.reason == "foreign-url"
    assert not catalogi_router.calls


async def test_a_statustype_url_is_not_a_zaaktype(catalogi, catalogi_router):
    with pytest.raises(NotFound):
        await catalogi.get_zaaktype(z.STATUSTYPE_URL)


async def test_probe_reads_the_version(catalogi, catalogi_router):
    catalogi_router.get("zaaktypen").respond(200, json=page([]), headers={"API-version": "1.3.1"})
    assert await catalogi.probe() == "1.3.1"
