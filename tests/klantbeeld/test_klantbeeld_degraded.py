"""The klantbeeld when upstreams fail: each source in turn (5xx, too slow, malformed body),
all of them, and the parts a section refers to. The answer stays 200 while any source works."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.harness import DEMO_BSN, Bff, start_bff

PATH = "/api/v1/klantbeeld"
BUDGET_S = 1.5  # generous for the sandbox; a delayed upstream waits 4 s (< its 5 s timeout)
SLOW_S = 4.0
SECTIONS = {
    "klantinteracties": ("partij", "klantcontacten"),
    "brp": ("persoon",),
    "zaken": ("zaken",),
}
FAULTS: dict[str, tuple[dict[str, Any], str]] = {
    "503": ({"status": 503}, "failed"),
    "slow": ({"latency_s": SLOW_S}, "timeout"),
    "malformed": ({"malformed": True}, "failed"),
    "reset": ({"reset": True}, "failed"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("upstream", sorted(SECTIONS))
async def test_a_failing_upstream_makes_only_its_sections_unavailable(
    upstream: str, fault: str
) -> None:
    rule, reason = FAULTS[fault]
    async with start_bff(klantbeeld={"budget_s": BUDGET_S}) as bff:
        await bff.services.codes.tables()
        bff.sandbox.faults.add(upstream, **rule)
        r = await bff.client.post(PATH, json={"bsn": DEMO_BSN}, headers=bff.auth())
    assert r.status_code == 200, r.text
    body = r.json()
    for name in ("partij", "persoon", "klantcontacten", "zaken"):
        section = body[name]
        if name in SECTIONS[upstream]:
            assert section["status"] == "unavailable", name
            assert section["problems"] == [{"upstream": upstream, "reason": reason}], name
        else:
            assert section["status"] == "ok", name
            assert section["problems"] == [], name


async def test_every_source_failing_is_503_naming_them() -> None:
    async with start_bff() as bff:
        for upstream in SECTIONS:
            bff.sandbox.faults.add(upstream, status=503)
        r = await bff.client.post(PATH, json={"bsn": DEMO_BSN}, headers=bff.auth())
        records = bff.processing_records()
    assert r.status_code == 503
    problem = r.json()
    assert problem["type"] == "urn:kcc-bff:problem:upstream-unavailable"
    assert set(problem["upstream"].split(",")) == set(SECTIONS)
    assert problem["reason"] == "failed"
    assert [rec.status for rec in records] == ["error"]


async def test_klantbeeld_of_a_partij_needs_klantinteracties() -> None:
    async with start_bff() as bff:
        partij_id = (
            await bff.client.post(PATH, json={"bsn": DEMO_BSN}, headers=bff.auth())
        ).json()["partij"]["partij"]["uuid"]
        bff.sandbox.faults.add("klantinteracties", status=503)
        r = await bff.client.get(f"/api/v1/partijen/{partij_id}/klantbeeld", headers=bff.auth())
    assert r.status_code == 503
    assert r.json()["upstream"] == "klantinteracties"


def assign_to_afdeling(bff: Bff, klantbeeld: dict[str, Any]) -> str:
    """Give an interne taak of the klantbeeld to an afdeling: an actor never seen inline."""
    store = bff.sandbox.klantinteracties
    afdeling = next(
        uuid for uuid, a in store.actoren.items() if a["soortActor"] == "organisatorische_eenheid"
    )
    taak = next(t for kc in klantbeeld["klantcontacten"]["items"] for t in kc["interneTaken"])
    store.internetaken[taak["uuid"]]["toegewezenAanActoren"] = [afdeling]
    return afdeling


async def test_actoren_of_interne_taken_failing_make_klantcontacten_partial() -> None:
    async with start_bff() as bff:
        body = {"bsn": DEMO_BSN, "pageSize": 50}
        first = (await bff.client.post(PATH, json=body, headers=bff.auth())).json()
        afdeling = assign_to_afdeling(bff, first)
        bff.sandbox.faults.add("klantinteracties", status=503, method="GET", path=r"^/actoren/")
        r = await bff.client.post(PATH, json=body, headers=bff.auth())
    section = r.json()["klantcontacten"]
    assert section["status"] == "partial"
    assert section["problems"] == [{"upstream": "klantinteracties", "reason": "failed"}]
    assert len(section["items"]) == 20
    unresolved = [
        a
        for kc in section["items"]
        for t in kc["interneTaken"]
        for a in t["toegewezenAanActoren"]
        if a["naam"] is None
    ]
    assert [a["uuid"] for a in unresolved] == [afdeling]


async def test_referentielijsten_down_from_the_start_still_answers_with_codes_stale() -> None:
    async with start_bff() as bff:
        codes = bff.services.codes
        await codes.aclose()  # stop the background loader: start from nothing, upstream down
        bff.sandbox.faults.add("referentielijsten", status=503)
        fresh = type(codes)(bff.services.upstreams.referentielijsten, ttl_s=60)
        bff.services.codes = fresh
        r = await bff.client.post(PATH, json={"bsn": DEMO_BSN}, headers=bff.auth())
    body = r.json()
    assert r.status_code == 200, r.text
    assert body["codesStale"] is True
    kc = body["klantcontacten"]["items"][0]
    assert kc["taal"]["naam"]  # the bundled ISO 639-2 list
    assert kc["kanaal"]["naam"] is None  # kanalen exist only in Referentielijsten
