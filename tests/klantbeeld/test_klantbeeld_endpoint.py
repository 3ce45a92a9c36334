"""The klantbeeld end to end, over the demo sandbox: content, codes, confidentiality,
paging, the 404/422 answers, and the processing records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from bff.validation import elfproef
from tests.helpers.harness import DEMO_BSN, Bff, start_bff
from tests.klantbeeld.recording import RecordingTransport

PATH = "/api/v1/klantbeeld"


async def klantbeeld(bff: Bff, body: dict[str, Any], **auth: Any) -> httpx.Response:
    headers = bff.auth_vertrouwelijk() if auth.get("vertrouwelijk") else bff.auth()
    return await bff.client.post(PATH, json=body, headers=headers)


def codes_in(value: Any) -> Iterator[dict[str, Any]]:
    """Every `{code, naam}` object anywhere in a JSON document."""
    if isinstance(value, dict):
        if set(value) == {"code", "naam"}:
            yield value
        for item in value.values():
            yield from codes_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from codes_in(item)


async def test_demo_person_has_a_full_klantbeeld_with_every_code_named() -> None:
    async with start_bff() as bff:
        await bff.services.codes.tables()
        r = await klantbeeld(bff, {"bsn": DEMO_BSN, "pageSize": 50})
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    body = r.json()
    for section in ("partij", "persoon", "klantcontacten", "zaken"):
        assert body[section]["status"] == "ok", section
    assert body["partij"]["partij"]["naam"] == body["persoon"]["persoon"]["naam"]
    assert body["partij"]["partij"]["digitaleAdressen"]
    assert body["persoon"]["persoon"]["geboortedatum"]["datum"]
    assert body["nietGeregistreerd"] is False
    klantcontacten = body["klantcontacten"]
    assert (klantcontacten["count"], len(klantcontacten["items"])) == (20, 20)
    moments = [kc["plaatsgevondenOp"] for kc in klantcontacten["items"]]
    assert moments == sorted(moments, reverse=True)
    assert any(kc["interneTaken"] for kc in klantcontacten["items"])
    assert any(kc["bijlagen"] for kc in klantcontacten["items"])
    onderwerpen = [o for kc in klantcontacten["items"] for o in kc["onderwerpobjecten"]]
    assert onderwerpen
    assert all(o["zaak"] and o["zaak"]["zaaktype"] and o["zaak"]["status"] for o in onderwerpen)
    assert body["zaken"]["items"]
    assert all(z["zaaktype"] and z["status"] for z in body["zaken"]["items"])
    taken = [t for kc in klantcontacten["items"] for t in kc["interneTaken"]]
    actoren = [a for t in taken for a in t["toegewezenAanActoren"]]
    assert all(a["naam"] and a["soortActor"] for a in actoren)
    unnamed = [c for c in codes_in(body) if c["naam"] is None]
    assert unnamed == []


async def test_confidential_klantcontacten_are_hidden_for_a_kcc_medewerker() -> None:
    async with start_bff() as bff:
        plain = (await klantbeeld(bff, {"bsn": DEMO_BSN, "pageSize": 50})).json()
        full = (await klantbeeld(bff, {"bsn": DEMO_BSN, "pageSize": 50}, vertrouwelijk=True)).json()
    hidden = [kc for kc in plain["klantcontacten"]["items"] if kc["vertrouwelijk"]]
    shown = [kc for kc in full["klantcontacten"]["items"] if kc["vertrouwelijk"]]
    assert hidden, "the demo person has confidential klantcontacten"
    assert all(kc["inhoudVerborgen"] and kc["inhoud"] is None for kc in hidden)
    assert all(kc["onderwerp"] and kc["kanaal"]["naam"] for kc in hidden)
    assert all(not kc["inhoudVerborgen"] and kc["inhoud"] for kc in shown)
    ordinary = [kc for kc in plain["klantcontacten"]["items"] if not kc["vertrouwelijk"]]
    assert all(kc["inhoud"] for kc in ordinary)


async def test_person_known_only_to_brp_is_niet_geregistreerd() -> None:
    async with start_bff() as bff:
        bsn = list(bff.sandbox.brp.personen)[-1]
        r = await klantbeeld(bff, {"bsn": bsn})
    body = r.json()
    assert r.status_code == 200, r.text
    assert body["nietGeregistreerd"] is True
    assert body["partij"] == {"status": "ok", "problems": [], "partij": None}
    assert body["persoon"]["persoon"]["bsn"] == bsn
    assert body["klantcontacten"]["items"] == []


async def test_klantcontacten_are_paged_with_the_cursor_of_the_previous_answer() -> None:
    async with start_bff() as bff:
        first = (await klantbeeld(bff, {"bsn": DEMO_BSN, "pageSize": 8})).json()["klantcontacten"]
        cursor = first["nextCursor"]
        second = (await klantbeeld(bff, {"bsn": DEMO_BSN, "cursor": cursor})).json()[
            "klantcontacten"
        ]
        third = (await klantbeeld(bff, {"bsn": DEMO_BSN, "cursor": second["nextCursor"]})).json()[
            "klantcontacten"
        ]
    assert [len(p["items"]) for p in (first, second, third)] == [8, 8, 4]
    assert third["nextCursor"] is None
    uuids = [kc["uuid"] for p in (first, second, third) for kc in p["items"]]
    assert len(set(uuids)) == 20
    assert DEMO_BSN not in cursor


async def test_default_page_size_is_the_configured_one() -> None:
    async with start_bff(klantbeeld={"klantcontacten_page_size": 7}) as bff:
        section = (await klantbeeld(bff, {"bsn": DEMO_BSN})).json()["klantcontacten"]
    assert (section["pageSize"], len(section["items"])) == (7, 7)


async def test_klantbeeld_of_a_known_partij_finds_the_person_by_its_bsn() -> None:
    async with start_bff() as bff:
        partij_id = (await klantbeeld(bff, {"bsn": DEMO_BSN})).json()["partij"]["partij"]["uuid"]
        before = len(bff.processing_records())
        r = await bff.client.get(
            f"/api/v1/partijen/{partij_id}/klantbeeld", params={"pageSize": 5}, headers=bff.auth()
        )
        records = bff.processing_records()[before:]
    body = r.json()
    assert r.status_code == 200, r.text
    assert body["persoon"]["persoon"]["bsn"] == DEMO_BSN
    assert body["zaken"]["status"] == "ok"
    assert len(body["klantcontacten"]["items"]) == 5
    assert [rec.data_subject_id_type for rec in records] == ["BSN"]


def _unknown_bsn() -> str:
    return next(f"{n:09d}" for n in range(100000000, 100001000) if elfproef(f"{n:09d}"))


async def test_a_bsn_no_source_knows_is_404_with_a_processing_record() -> None:
    async with start_bff() as bff:
        r = await klantbeeld(bff, {"bsn": _unknown_bsn()})
        records = bff.processing_records()
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert _unknown_bsn() not in r.text
    assert [(rec.data_subject_id_type, rec.status) for rec in records] == [("BSN", "error")]


async def test_an_unknown_partij_id_is_404() -> None:
    async with start_bff() as bff:
        unknown = await bff.client.get(
            "/api/v1/partijen/00000000-0000-4000-8000-000000000000/klantbeeld",
            headers=bff.auth(),
        )
        malformed = await bff.client.get("/api/v1/partijen/abc/klantbeeld", headers=bff.auth())
    assert (unknown.status_code, malformed.status_code) == (404, 404)


async def test_processing_is_recorded_once_per_data_subject_with_an_audit_record() -> None:
    async with start_bff() as bff:
        r = await klantbeeld(bff, {"bsn": DEMO_BSN})
        records, audit = bff.processing_records(), bff.audit_records()
    assert r.status_code == 200
    (record,) = records
    assert record.data_subject_id_type == "BSN"
    assert record.data_subject_id != DEMO_BSN  # pseudonymised
    assert record.processing_activity_id.endswith("klantbeeld")
    assert record.status == "ok"
    assert len(audit) == 1


async def test_bad_input_is_422_naming_every_field_and_nothing_is_sent_upstream() -> None:
    recorder = RecordingTransport()
    async with start_bff(wrap_transport=recorder.wrap) as bff:
        await bff.services.codes.tables()
        recorder.reset()
        answers = {
            "elfproef": await klantbeeld(bff, {"bsn": "123456789"}),
            "two": await klantbeeld(bff, {"bsn": DEMO_BSN, "kvkNummer": "69599084"}),
            "none": await klantbeeld(bff, {"pageSize": 10}),
            "page": await klantbeeld(bff, {"bsn": DEMO_BSN, "pageSize": 500, "cursor": "?"}),
            "query": await bff.client.get(
                "/api/v1/partijen/00000000-0000-4000-8000-000000000000/klantbeeld",
                params={"pageSize": "many", "sort": "x"},
                headers=bff.auth(),
            ),
        }
        records = bff.processing_records()
    names = {k: [p["name"] for p in r.json()["invalidParams"]] for k, r in answers.items()}
    assert {r.status_code for r in answers.values()} == {422}
    assert names == {
        "elfproef": ["bsn"],
        "two": ["bsn", "kvkNummer"],
        "none": ["bsn", "kvkNummer", "partijId"],
        "page": ["pageSize", "cursor"],
        "query": ["pageSize", "sort"],
    }
    assert "123456789" not in answers["elfproef"].text
    assert recorder.calls == []
    assert records == []
