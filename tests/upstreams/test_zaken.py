"""Zaken client: `_zoek` with the BSN in the body, Crs headers, ZGW JWT, paging, status."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date

import httpx
import jwt
import pytest
import respx
from structlog.testing import capture_logs

from bff.errors import NotFound, UpstreamError
from bff.upstreams.auth import ZgwJwtAuth
from bff.upstreams.zaken import ZakenClient
from tests.upstreams import zgw_samples as z
from tests.upstreams.conftest import ZAKEN, ZGW_SECRET, http_client, invalid_page, page

BSN = "999993653"


@pytest.fixture
async def zaken(zaken_router: respx.MockRouter) -> AsyncIterator[ZakenClient]:
    auth = ZgwJwtAuth(
        client_id="kcc-bff", secret=ZGW_SECRET, user_id="kcc-bff", user_representation="KCC BFF"
    )
    client = ZakenClient(http_client(zaken_router, ZAKEN, auth=auth), timeout_s=5)
    yield client
    await client.aclose()


async def test_zaken_of_persoon_posts_the_bsn_in_the_body_with_crs_and_jwt(zaken, zaken_router):
    route = zaken_router.post("zaken/_zoek").respond(200, json=page([z.zaak()]))
    with capture_logs() as logs:
        (found,) = await zaken.zaken_of_persoon(BSN)
    assert found.startdatum == date(2026, 10, 1)
    request = route.calls.last.request
    assert BSN not in str(request.url)
    assert json.loads(request.content) == {
        "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": BSN
    }
    assert request.headers["Accept-Crs"] == "EPSG:4326"
    assert request.headers["Content-Crs"] == "EPSG:4326"
    scheme, token = request.headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    claims = jwt.decode(token, ZGW_SECRET, algorithms=["HS256"])
    assert claims["client_id"] == claims["iss"] == "kcc-bff"
    assert BSN not in repr(logs)
    assert [e["path"] for e in logs if e["event"] == "upstream_call"] == ["zaken/_zoek"]


async def test_zaken_of_persoon_follows_three_pages_reposting_the_body(zaken, zaken_router):
    route = zaken_router.post("zaken/_zoek").mock(
        side_effect=[
            httpx.Response(200, json=page([z.zaak()], next_url=f"{ZAKEN}/zaken/_zoek?page=2")),
            httpx.Response(200, json=page([z.zaak()], next_url=f"{ZAKEN}/zaken/_zoek?page=3")),
            httpx.Response(200, json=page([z.zaak()])),
        ]
    )
    assert len(await zaken.zaken_of_persoon(BSN, page_size=1)) == 3
    assert [dict(c.request.url.params) for c in route.calls] == [
        {"pageSize": "1"},
        {"page": "2"},
        {"page": "3"},
    ]
    assert {c.request.content for c in route.calls} == {route.calls[0].request.content}


async def test_zaken_of_persoon_stops_at_limit(zaken, zaken_router):
    zaken_router.post("zaken/_zoek").respond(
        200, json=page([z.zaak(), z.zaak()], next_url=f"{ZAKEN}/zaken/_zoek?page=2")
    )
    assert len(await zaken.zaken_of_persoon(BSN, limit=1)) == 1


async def test_zaken_of_persoon_page_vanished_ends_the_list(zaken, zaken_router):
    zaken_router.post("zaken/_zoek").mock(
        side_effect=[
            httpx.Response(200, json=page([z.zaak()], next_url=f"{ZAKEN}/zaken/_zoek?page=2")),
            invalid_page(),
        ]
    )
    assert len(await zaken.zaken_of_persoon(BSN)) == 1


async def test_zaken_of_persoon_asks_a_foreign_next_page_on_its_own_base_url(zaken, zaken_router):
    route = zaken_router.post("zaken/_zoek").respond(
        200, json=page([z.zaak()], next_url="http://elsewhere.test/zaken/_zoek?page=2")
    )
    found = await zaken.zaken_of_persoon(BSN, page_size=1)
    assert {call.request.url.host for call in route.calls} == {"openzaak.test"}
    assert [dict(call.request.url.params) for call in route.calls] == [
        {"pageSize": "1"},
        {"page": "2"},
    ]
    assert len(found) == 2  # the same `next` once more is a loop: the list ends


async def test_zaken_of_persoon_refuses_a_malformed_bsn(zaken):
    with pytest.raises(ValueError, match="BSN"):
        await zaken.zaken_of_persoon("12345")


async def test_get_zaak_by_uuid_accepts_crs_but_sends_no_content_crs(zaken, zaken_router):
    route = zaken_router.get(f"zaken/{z.ZAAK}").respond(200, json=z.zaak())
    found = await zaken.get_zaak(z.ZAAK)
    assert found.zaaktype == z.ZAAKTYPE_URL
    request = route.calls.last.request
    assert request.headers["Accept-Crs"] == "EPSG:4326"
    assert "Content-Crs" not in request.headers


async def test_get_zaak_by_url(zaken, zaken_router):
    zaken_router.get(f"zaken/{z.ZAAK}").respond(200, json=z.zaak())
    assert (await zaken.get_zaak(f"{ZAKEN}/zaken/{z.ZAAK}")).uuid == z.ZAAK


async def test_get_zaak_unknown_is_not_found(zaken, zaken_router):
    zaken_router.get(f"zaken/{z.ZAAK}").respond(404, json={"detail": "Niet gevonden."})
    with pytest.raises(NotFound, match="zaak"):
        await zaken.get_zaak(z.ZAAK)


async def test_get_status_by_the_url_on_the_zaak(zaken, zaken_router):
    route = zaken_router.get(f"statussen/{z.STATUS}").respond(200, json=z.status())
    found = await zaken.get_status(z.STATUS_URL)
    assert found.statustype == z.STATUSTYPE_URL
    assert route.calls.last.request.headers["Accept-Crs"] == "EPSG:4326"


async def test_get_status_refuses_a_foreign_url(zaken, zaken_router):
    with pytest.raises(UpstreamError) as err:
        await zaken.get_status(f"http://elsewhere.test/zaken/api/v1/statussen/{z.STATUS}")
    assert err.value.reason == "foreign-url"
    assert not zaken_router.calls


async def test_get_status_refuses_a_url_of_another_collection(zaken, zaken_router):
    with pytest.raises(NotFound):
        await zaken.get_status(f"{ZAKEN}/zaken/{z.ZAAK}")


async def test_probe_lists_one_zaak_and_reads_the_version(zaken, zaken_router):
    route = zaken_router.get("zaken").respond(200, json=page([]), headers={"API-version": "1.5.1"})
    assert await zaken.probe() == "1.5.1"
    assert route.calls.last.request.headers["Accept-Crs"] == "EPSG:4326"


async def test_zaken_of_persoon_expands_zaaktype_and_status_in_the_body(zaken, zaken_router):
    expanded = {
        **z.zaak(),
        "_expand": {
            "zaaktype": z.zaaktype(),
            "status": {**z.status(), "_expand": {"statustype": z.statustype()}},
        },
    }
    route = zaken_router.post("zaken/_zoek").respond(200, json=page([expanded]))
    (found,) = await zaken.zaken_of_persoon(BSN, expand=("zaaktype", "status", "status.statustype"))
    assert json.loads(route.calls.last.request.content)["expand"] == [
        "zaaktype",
        "status",
        "status.statustype",
    ]
    assert found.expand is not None
    assert found.expand.zaaktype is not None
    assert found.expand.zaaktype.omschrijving == "Aanvraag paspoort"
    assert found.expand.status is not None
    assert found.expand.status.expand is not None
    assert found.expand.status.expand.statustype is not None
    assert found.expand.status.expand.statustype.omschrijving == "In behandeling"


async def test_zaken_of_persoon_without_expand_has_none(zaken, zaken_router):
    route = zaken_router.post("zaken/_zoek").respond(200, json=page([z.zaak()]))
    (found,) = await zaken.zaken_of_persoon(BSN)
    assert "expand" not in json.loads(route.calls.last.request.content)
    assert found.expand is None


async def test_zaken_of_persoon_refuses_an_unsupported_expand(zaken):
    with pytest.raises(ValueError, match="expand"):
        await zaken.zaken_of_persoon(BSN, expand=("rollen",))


KVK = "69599084"
VESTIGING = "000012345678"
EXPAND = ["zaaktype", "status", "status.statustype"]


async def test_zaken_of_organisatie_posts_the_kvk_nummer_in_the_zoek_body(zaken, zaken_router):
    route = zaken_router.post("zaken/_zoek").respond(200, json=page([z.zaak()]))
    (found,) = await zaken.zaken_of_organisatie(KVK, page_size=25, limit=25, expand=EXPAND)
    assert found.startdatum == date(2026, 10, 1)
    (call,) = route.calls
    assert dict(call.request.url.params) == {"pageSize": "25"}
    assert json.loads(call.request.content) == {
        "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer": KVK,
        "expand": EXPAND,
    }
    assert call.request.headers["Accept-Crs"] == call.request.headers["Content-Crs"] == "EPSG:4326"


async def test_zaken_of_a_vestiging_lists_by_vestigingsnummer_following_next(zaken, zaken_router):
    filter_name = "rol__betrokkeneIdentificatie__vestiging__vestigingsNummer"
    second = f"{ZAKEN}/zaken?{filter_name}={VESTIGING}&expand=zaaktype&page=2&pageSize=1"
    route = zaken_router.get("zaken").mock(
        side_effect=[
            httpx.Response(200, json=page([z.zaak()], next_url=second)),
            httpx.Response(200, json=page([z.zaak()])),
        ]
    )
    found = await zaken.zaken_of_organisatie(
        KVK, vestigingsnummer=VESTIGING, page_size=1, expand=EXPAND
    )
    assert len(found) == 2
    first, then = (c.request for c in route.calls)
    assert first.method == "GET"
    assert dict(first.url.params) == {
        "pageSize": "1",
        filter_name: VESTIGING,
        "expand": "zaaktype,status,status.statustype",
    }
    assert dict(then.url.params) == {
        filter_name: VESTIGING,
        "expand": "zaaktype",
        "page": "2",
        "pageSize": "1",
    }
    assert first.headers["Accept-Crs"] == "EPSG:4326"
    assert "Content-Crs" not in first.headers
    assert first.content == b""


@pytest.mark.parametrize(
    ("kvk", "vestiging"), [("6959908", None), ("6959908a", None), (KVK, "12345"), (KVK, "x" * 12)]
)
async def test_zaken_of_organisatie_refuses_malformed_numbers(zaken, kvk, vestiging):
    with pytest.raises(ValueError, match="digits"):
        await zaken.zaken_of_organisatie(kvk, vestigingsnummer=vestiging)


async def test_zaken_of_organisatie_refuses_an_unsupported_expand(zaken):
    with pytest.raises(ValueError, match="expand"):
        await zaken.zaken_of_organisatie(KVK, vestigingsnummer=VESTIGING, expand=["rollen"])
