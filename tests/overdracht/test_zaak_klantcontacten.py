"""`GET /api/v1/zaken/{id}/klantcontacten`: every call about a zaak, newest first, paged."""

from __future__ import annotations

from typing import Any

from tests.helpers.harness import Bff, start_bff
from tests.security.calls import demo_zaak


def _about(bff: Bff, zaak: str) -> list[dict[str, Any]]:
    ki = bff.sandbox.klantinteracties
    ids = {
        o["klantcontact"]
        for o in ki.onderwerpobjecten.values()
        if o["onderwerpobjectidentificator"]["objectId"] == zaak
    }
    return [ki.klantcontacten[i] for i in ids]


async def test_a_zaak_shows_every_klantcontact_about_it_newest_first_with_the_zaak_named() -> None:
    async with start_bff() as bff:
        zaak = demo_zaak(bff)
        expected = _about(bff, zaak)
        r = await bff.client.get(f"/api/v1/zaken/{zaak}/klantcontacten", headers=bff.auth())
        records = bff.processing_records()
    assert r.status_code == 200, r.text
    body = r.json()
    assert {kc["uuid"] for kc in body["items"]} == {kc["uuid"] for kc in expected}
    assert body["count"] == len(expected)
    moments = [kc["plaatsgevondenOp"] for kc in body["items"]]
    assert moments == sorted(moments, reverse=True)
    onderwerpen = [o for kc in body["items"] for o in kc["onderwerpobjecten"]]
    assert any((o.get("zaak") or {}).get("uuid") == zaak for o in onderwerpen)
    assert any(rec.activity == "klantcontact_raadplegen" for rec in records)


async def test_the_klantcontacten_of_a_zaak_are_paged_by_cursor() -> None:
    async with start_bff() as bff:
        zaak = demo_zaak(bff)
        expected = {kc["uuid"] for kc in _about(bff, zaak)}
        url = f"/api/v1/zaken/{zaak}/klantcontacten"
        seen: list[str] = []
        page = await bff.client.get(url, params={"pageSize": 1}, headers=bff.auth())
        while True:
            assert page.status_code == 200, page.text
            seen += [kc["uuid"] for kc in page.json()["items"]]
            cursor = page.json()["nextCursor"]
            if cursor is None:
                break
            page = await bff.client.get(url, params={"cursor": cursor}, headers=bff.auth())
    assert len(seen) == len(set(seen))
    assert set(seen) == expected


async def test_an_unknown_zaak_is_404_and_a_foreign_cursor_is_422() -> None:
    async with start_bff() as bff:
        zaak = demo_zaak(bff)
        unknown = await bff.client.get(
            "/api/v1/zaken/00000000-0000-4000-8000-000000000000/klantcontacten",
            headers=bff.auth(),
        )
        taken = await bff.client.get("/api/v1/interne-taken?pageSize=1", headers=bff.auth())
        foreign = taken.json()["nextCursor"]
        wrong = await bff.client.get(
            f"/api/v1/zaken/{zaak}/klantcontacten", params={"cursor": foreign}, headers=bff.auth()
        )
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert wrong.status_code == 422
    assert [p["name"] for p in wrong.json()["invalidParams"]] == ["cursor"]


async def test_a_vertrouwelijk_klantcontact_about_the_zaak_hides_its_text_without_the_role() -> (
    None
):
    async with start_bff() as bff:
        zaak = demo_zaak(bff)
        kc = _about(bff, zaak)[0]
        kc["vertrouwelijk"] = True
        url = f"/api/v1/zaken/{zaak}/klantcontacten"
        plain = await bff.client.get(url, headers=bff.auth())
        role = await bff.client.get(url, headers=bff.auth_vertrouwelijk())
    shown = next(i for i in plain.json()["items"] if i["uuid"] == kc["uuid"])
    full = next(i for i in role.json()["items"] if i["uuid"] == kc["uuid"])
    assert shown["inhoud"] is None
    assert full["inhoud"] == kc["inhoud"]
