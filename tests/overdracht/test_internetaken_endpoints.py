"""Interne taken for medewerkers and afdelingen: lists, and finish / reopen / reassign."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.harness import Bff, start_bff
from tests.overdracht.helpers import actor_uuid, dirk

UNKNOWN = "4b6a4d7e-0000-4000-8000-000000000000"


def _taken_of(bff: Bff, naam: str, status: str | None = None) -> list[dict[str, Any]]:
    actor = actor_uuid(bff, naam)
    return [
        t
        for t in bff.sandbox.klantinteracties.internetaken.values()
        if actor in t["toegewezenAanActoren"] and status in (None, t["status"])
    ]


async def _list(bff: Bff, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    r = await bff.client.get("/api/v1/interne-taken", params=params, headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_mij_lists_the_current_medewerkers_taken_with_everything_to_act_on() -> None:
    async with start_bff() as bff:
        expected = {t["uuid"] for t in _taken_of(bff, "Dirk Visser")}
        kc_reads = bff.sandbox.faults.add(
            "klantinteracties", method="GET", path="^/klantcontacten/"
        )
        body = await _list(bff, dirk(bff), toegewezenAan="mij")
        distinct = {t["aanleidinggevendKlantcontact"] for t in _taken_of(bff, "Dirk Visser")}
    assert {t["uuid"] for t in body["items"]} == expected
    assert body["count"] == len(expected)
    assert kc_reads.hits == len(distinct)  # one read per klantcontact, no more
    item = body["items"][0]
    assert item["status"] == {"code": "te_verwerken", "naam": "Te verwerken"}
    assert item["toegewezenAanActoren"][0]["naam"] == "Dirk Visser"
    summary = item["klantcontact"]
    assert set(summary) == {
        "uuid",
        "nummer",
        "digitaleAdressen",
        "referentienummer",
        "onderwerp",
        "klantnaam",
        "kanaal",
        "plaatsgevondenOp",
        "vertrouwelijk",
        "geheimhouding",
    }
    assert summary["klantnaam"]
    assert summary["kanaal"]["naam"]
    assert item["etag"].startswith('"')


async def test_mij_is_the_default_and_a_medewerker_without_taken_gets_an_empty_page() -> None:
    async with start_bff() as bff:
        body = await _list(bff, bff.auth(subject="mdw-nieuw", naam="Nina Nieuw", email="n@x.nl"))
    assert body["items"] == []
    assert body["count"] == 0
    assert body["nextCursor"] is None


async def test_an_afdelings_list_filters_on_status_newest_first_and_pages() -> None:
    async with start_bff() as bff:
        afdeling = actor_uuid(bff, "Burgerzaken")
        verwerkt = _taken_of(bff, "Burgerzaken", "verwerkt")
        first = await _list(bff, bff.auth(), toegewezenAan=afdeling, status="verwerkt", pageSize=4)
        second = await _list(
            bff, bff.auth(), toegewezenAan=afdeling, status="verwerkt", cursor=first["nextCursor"]
        )
    results = first["items"] + second["items"]
    assert {t["uuid"] for t in results} == {t["uuid"] for t in verwerkt}
    assert all(t["status"]["code"] == "verwerkt" for t in results)
    assert all(t["afgehandeldOp"] for t in results)
    moments = [t["toegewezenOp"] for t in results]
    assert moments == sorted(moments, reverse=True)
    assert first["nextCursor"] is not None
    assert second["nextCursor"] is None
    assert (first["pageSize"], second["pageSize"]) == (4, 4)
    assert first["count"] == len(verwerkt)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"toegewezenAan": UNKNOWN}, "toegewezenAan"),
        ({"toegewezenAan": "iedereen"}, "toegewezenAan"),
        ({"status": "open"}, "status"),
        ({"pageSize": "101"}, "pageSize"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"pageSize": "0"}, "pageSize"),
        ({"sort": "oldest"}, "sort"),
    ],
)
async def test_list_refusals_name_the_parameter(params: dict[str, str], name: str) -> None:
    async with start_bff() as bff:
        r = await bff.client.get("/api/v1/interne-taken", params=params, headers=bff.auth())
    assert r.status_code == 422, r.text
    assert [p["name"] for p in r.json()["invalidParams"]] == [name]


async def _patch(bff: Bff, taak_id: str, body: dict[str, Any], etag: str | None) -> Any:
    headers = dirk(bff) if etag is None else {**dirk(bff), "If-Match": etag}
    return await bff.client.patch(f"/api/v1/interne-taken/{taak_id}", json=body, headers=headers)


async def test_finish_then_reopen_an_interne_taak() -> None:
    async with start_bff() as bff:
        item = (await _list(bff, dirk(bff), status="te_verwerken"))["items"][0]
        done = await _patch(bff, item["uuid"], {"status": "verwerkt"}, item["etag"])
        again = await _patch(bff, item["uuid"], {"status": "verwerkt"}, done.headers["ETag"])
        reopened = await _patch(bff, item["uuid"], {"status": "te_verwerken"}, done.json()["etag"])
        stored = bff.sandbox.klantinteracties.internetaken[item["uuid"]]
    assert done.status_code == 200, done.text
    assert done.json()["afgehandeldOp"] is not None
    assert done.headers["ETag"] == done.json()["etag"]
    assert again.status_code == 422
    assert [p["name"] for p in again.json()["invalidParams"]] == ["status"]
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["afgehandeldOp"] is None
    assert (stored["status"], stored["afgehandeldOp"]) == ("te_verwerken", None)


async def test_reopening_an_open_taak_or_sending_afgehandeld_op_is_refused() -> None:
    async with start_bff() as bff:
        item = (await _list(bff, dirk(bff), status="te_verwerken"))["items"][0]
        before = dict(bff.sandbox.klantinteracties.internetaken[item["uuid"]])
        reopen = await _patch(bff, item["uuid"], {"status": "te_verwerken"}, item["etag"])
        stamped = await _patch(
            bff,
            item["uuid"],
            {"status": "verwerkt", "afgehandeldOp": "2026-11-20T10:00:00Z"},
            item["etag"],
        )
        empty = await _patch(bff, item["uuid"], {}, item["etag"])
        after = dict(bff.sandbox.klantinteracties.internetaken[item["uuid"]])
    assert [p["name"] for p in reopen.json()["invalidParams"]] == ["status"]
    assert stamped.status_code == 422
    assert [(p["name"], p["code"]) for p in stamped.json()["invalidParams"]] == [
        ("afgehandeldOp", "read-only")
    ]
    assert [p["name"] for p in empty.json()["invalidParams"]] == ["body"]
    assert after == before


async def test_reassign_to_a_colleague_and_an_afdeling_replaces_the_list() -> None:
    async with start_bff() as bff:
        item = (await _list(bff, dirk(bff), status="te_verwerken"))["items"][0]
        chantal, vergunningen = actor_uuid(bff, "Chantal Bakker"), actor_uuid(bff, "Vergunningen")
        r = await _patch(
            bff, item["uuid"], {"toegewezenAanActoren": [chantal, vergunningen]}, item["etag"]
        )
        stored = bff.sandbox.klantinteracties.internetaken[item["uuid"]]
        mine = await _list(bff, dirk(bff))
        afdeling = await _list(bff, bff.auth(), toegewezenAan=vergunningen)
    assert r.status_code == 200, r.text
    assert [a["naam"] for a in r.json()["toegewezenAanActoren"]] == [
        "Chantal Bakker",
        "Vergunningen",
    ]
    assert stored["toegewezenAanActoren"] == [chantal, vergunningen]
    assert item["uuid"] not in {t["uuid"] for t in mine["items"]}
    assert item["uuid"] in {t["uuid"] for t in afdeling["items"]}


async def test_reassign_to_an_unknown_actor_or_while_verwerkt_is_refused_before_writing() -> None:
    async with start_bff() as bff:
        item = (await _list(bff, dirk(bff), status="te_verwerken"))["items"][0]
        done_item = (await _list(bff, bff.auth(), status="verwerkt"))["items"][0]
        chantal = actor_uuid(bff, "Chantal Bakker")
        before = {k: dict(v) for k, v in bff.sandbox.klantinteracties.internetaken.items()}
        unknown = await _patch(
            bff, item["uuid"], {"toegewezenAanActoren": [chantal, UNKNOWN]}, item["etag"]
        )
        malformed = await _patch(
            bff, item["uuid"], {"toegewezenAanActoren": ["chantal"]}, item["etag"]
        )
        closed = await _patch(
            bff, done_item["uuid"], {"toegewezenAanActoren": [chantal]}, done_item["etag"]
        )
        after = {k: dict(v) for k, v in bff.sandbox.klantinteracties.internetaken.items()}
    assert [p["name"] for p in unknown.json()["invalidParams"]] == ["toegewezenAanActoren.1"]
    assert [p["name"] for p in malformed.json()["invalidParams"]] == ["toegewezenAanActoren.0"]
    assert [p["name"] for p in closed.json()["invalidParams"]] == ["toegewezenAanActoren"]
    assert after == before


async def test_a_stale_etag_is_412_with_the_current_version_and_nothing_is_written() -> None:
    async with start_bff() as bff:
        items = (await _list(bff, dirk(bff), status="te_verwerken"))["items"]
        # not from a vertrouwelijk klantcontact: Dirk may still change it once reassigned
        item = next(i for i in items if not i["klantcontact"]["vertrouwelijk"])
        chantal = actor_uuid(bff, "Chantal Bakker")
        moved = await _patch(bff, item["uuid"], {"toegewezenAanActoren": [chantal]}, item["etag"])
        stale = await _patch(bff, item["uuid"], {"status": "verwerkt"}, item["etag"])
        missing = await _patch(bff, item["uuid"], {"status": "verwerkt"}, None)
        stored = bff.sandbox.klantinteracties.internetaken[item["uuid"]]
    assert moved.status_code == 200
    assert stale.status_code == 412
    assert stale.headers["ETag"] == moved.headers["ETag"]
    assert stale.json()["current"]["toegewezenAanActoren"][0]["naam"] == "Chantal Bakker"
    assert missing.status_code == 428
    assert stored["status"] == "te_verwerken"
