"""The registry: one client per upstream from settings, a shared test transport, probes."""

from __future__ import annotations

import httpx
import jwt
import respx

from bff.settings import (
    BrpUpstreamSettings,
    ObjectenUpstreamSettings,
    ReferentielijstenUpstreamSettings,
    Settings,
    TokenUpstreamSettings,
    ZgwUpstreamSettings,
)
from bff.upstreams.registry import ProbeResult, build_upstreams
from tests.upstreams.conftest import BRP, CATALOGI, KI, OBJECTEN, REF, ZAKEN, ZGW_SECRET, page


def _settings() -> Settings:
    """Only the six upstream sections, validated; the rest of Settings is not needed here."""
    zgw = {"client_id": "kcc-bff", "secret": ZGW_SECRET}
    return Settings.model_construct(
        klantinteracties=TokenUpstreamSettings(base_url=KI, token="ki-token"),
        zaken=ZgwUpstreamSettings(base_url=ZAKEN, **zgw),
        catalogi=ZgwUpstreamSettings(base_url=CATALOGI, **zgw),
        brp=BrpUpstreamSettings(base_url=BRP, api_key="brp-key", verwerking="KCC"),
        objecten=ObjectenUpstreamSettings(
            base_url=OBJECTEN,
            token="obj-token",
            productaanvraag_objecttype_url="http://objecttypen.test/api/v2/objecttypes/x",
        ),
        referentielijsten=ReferentielijstenUpstreamSettings(base_url=REF, kanaal_tabel="KANAAL"),
    )


def _version(v: str) -> dict[str, str]:
    return {"API-version": v}


async def test_probe_all_reports_each_upstream_and_never_raises():
    router = respx.MockRouter(assert_all_called=True)
    ki = router.get(f"{KI}/actoren").respond(200, json=page([]), headers=_version("0.9.0"))
    zaken = router.get(f"{ZAKEN}/zaken").respond(500)
    catalogi = router.get(f"{CATALOGI}/zaaktypen").respond(200, json=page([]))
    brp = router.post(f"{BRP}/personen").respond(400, json={"invalidParams": []})
    objecten = router.get(f"{OBJECTEN}/objects").mock(side_effect=httpx.ConnectError("down"))
    ref = router.get(f"{REF}/items").respond(200, text="not json")
    upstreams = build_upstreams(_settings(), transport=httpx.MockTransport(router.async_handler))

    results = await upstreams.probe_all()
    await upstreams.aclose()

    assert set(results) == {
        "klantinteracties",
        "zaken",
        "catalogi",
        "brp",
        "objecten",
        "referentielijsten",
    }
    assert all(isinstance(r, ProbeResult) for r in results.values())
    assert results["klantinteracties"].ok
    assert results["klantinteracties"].api_version == "0.9.0"
    assert results["catalogi"].ok
    assert results["brp"].ok
    assert not results["zaken"].ok
    assert results["zaken"].detail
    assert not results["objecten"].ok
    assert not results["referentielijsten"].ok
    assert all(r.elapsed_ms is not None for r in results.values())
    router.assert_all_called()

    assert ki.calls.last.request.headers["Authorization"] == "Token ki-token"
    token = zaken.calls.last.request.headers["Authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, ZGW_SECRET, algorithms=["HS256"])["client_id"] == "kcc-bff"
    assert catalogi.calls.last.request.headers["Authorization"].startswith("Bearer ")
    assert brp.calls.last.request.headers["X-API-KEY"] == "brp-key"
    assert brp.calls.last.request.headers["x-verwerking"] == "KCC"
    assert objecten.calls.last.request.headers["Authorization"] == "Token obj-token"
    assert "Authorization" not in ref.calls.last.request.headers
    assert ref.calls.last.request.url.params["tabel__code"] == "KANAAL"


async def test_clients_point_at_their_own_base_urls():
    upstreams = build_upstreams(
        _settings(), transport=httpx.MockTransport(lambda r: httpx.Response(204))
    )
    assert upstreams.klantinteracties.base_url == KI + "/"
    assert upstreams.zaken.base_url == ZAKEN + "/"
    assert upstreams.referentielijsten.base_url == REF + "/"
    await upstreams.aclose()
