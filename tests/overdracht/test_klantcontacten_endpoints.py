"""The hand-over endpoints on klantcontacten: lookup, answer (If-Match), involvement, rules."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.helpers.harness import Bff, start_bff
from tests.overdracht.helpers import actor_uuid, dirk

ANY_ETAG = '"00000000000000000000000000000000"'


def _klantcontact(bff: Bff, *, vertrouwelijk: bool) -> dict[str, Any]:
    """A demo klantcontact with a partij as klant, confidential or not."""
    store = bff.sandbox.klantinteracties
    return next(
        kc
        for kc in store.klantcontacten.values()
        if kc["vertrouwelijk"] is vertrouwelijk
        and any(b["wasPartij"] for b in store.betrokkenen_of_klantcontact(kc["uuid"]))
    )


def _snapshot(bff: Bff, kc_id: str) -> dict[str, Any]:
    return dict(bff.sandbox.klantinteracties.klantcontacten[kc_id])


async def test_get_by_id_has_an_etag_and_records_processing_for_the_partij() -> None:
    async with start_bff() as bff:
        kc = _klantcontact(bff, vertrouwelijk=False)
        r = await bff.client.get(f"/api/v1/klantcontacten/{kc['uuid']}", headers=bff.auth())
        partijen = {
            b["wasPartij"]
            for b in bff.sandbox.klantinteracties.betrokkenen_of_klantcontact(kc["uuid"])
        }
        records = [
            rec for rec in bff.processing_records() if rec.activity == "klantcontact_raadplegen"
        ]
    assert r.status_code == 200, r.text
    assert r.headers["ETag"].startswith('"')
    assert r.json()["referentienummer"] == kc["referentienummer"]
    assert len(records) == len(partijen)
    assert {rec.data_subject_id_type for rec in records} == {"partij"}
    assert not {rec.data_subject_id for rec in records} & partijen  # pseudonymised


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/klantcontacten/4b6a4d7e-0000-4000-8000-000000000000", 404),
        ("/api/v1/klantcontacten/not-a-uuid", 404),
        ("/api/v1/klantcontacten?referentienummer=1234567899", 404),
        ("/api/v1/klantcontacten?referentienummer=12345678901", 422),
        ("/api/v1/klantcontacten?referentienummer=12a4", 422),
        ("/api/v1/klantcontacten", 422),
        ("/api/v1/klantcontacten?referentienummer=1&bsn=999993653", 422),
    ],
)
async def test_lookup_refusals(path: str, status: int) -> None:
    async with start_bff() as bff:
        r = await bff.client.get(path, headers=bff.auth())
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"


async def test_confidential_klantcontact_is_shown_without_text_or_etag_and_cannot_be_changed():
    async with start_bff() as bff:
        kc = _klantcontact(bff, vertrouwelijk=True)
        before = _snapshot(bff, kc["uuid"])
        shown = await bff.client.get(f"/api/v1/klantcontacten/{kc['uuid']}", headers=bff.auth())
        patched = await bff.client.patch(
            f"/api/v1/klantcontacten/{kc['uuid']}",
            json={"reactie": "Gelezen."},
            headers={**bff.auth(), "If-Match": ANY_ETAG},
        )
        linked = await bff.client.post(
            f"/api/v1/klantcontacten/{kc['uuid']}/actoren", headers=bff.auth()
        )
        after = _snapshot(bff, kc["uuid"])
        allowed = await bff.client.get(
            f"/api/v1/klantcontacten/{kc['uuid']}", headers=bff.auth_vertrouwelijk()
        )
    assert shown.status_code == 200
    assert (shown.json()["inhoud"], shown.json()["inhoudVerborgen"]) == (None, True)
    assert "ETag" not in shown.headers
    assert patched.status_code == 403
    assert linked.status_code == 403
    assert after == before
    assert allowed.json()["inhoud"] == kc["inhoud"]
    assert "ETag" in allowed.headers


async def test_medewerker_with_the_role_may_answer_a_confidential_klantcontact() -> None:
    async with start_bff() as bff:
        kc = _klantcontact(bff, vertrouwelijk=True)
        read = await bff.client.get(
            f"/api/v1/klantcontacten/{kc['uuid']}", headers=bff.auth_vertrouwelijk()
        )
        r = await bff.client.patch(
            f"/api/v1/klantcontacten/{kc['uuid']}",
            json={"reactie": "Teruggebeld."},
            headers={**bff.auth_vertrouwelijk(), "If-Match": read.headers["ETag"]},
        )
    assert r.status_code == 200, r.text
    assert r.json()["reactie"] == "Teruggebeld."
    assert r.headers["ETag"] != read.headers["ETag"]


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({"inhoud": "x" * 1001}, ["inhoud"]),
        ({"reactie": "x" * 4001}, ["reactie"]),
        ({"inhoud": "x" * 1001, "reactie": "x" * 4001}, ["inhoud", "reactie"]),
        ({}, ["body"]),
        ({"reactie": None}, ["reactie"]),
        ({"reactie": "ok", "onderwerp": "Ander onderwerp"}, ["onderwerp"]),
        ({"reactie": 42}, ["reactie"]),
    ],
)
async def test_patch_validates_fields_before_if_match_and_changes_nothing(
    body: dict[str, Any], names: list[str]
) -> None:
    async with start_bff() as bff:
        kc = _klantcontact(bff, vertrouwelijk=False)
        before = _snapshot(bff, kc["uuid"])
        r = await bff.client.patch(
            f"/api/v1/klantcontacten/{kc['uuid']}", json=body, headers=bff.auth()
        )
        after = _snapshot(bff, kc["uuid"])
    assert r.status_code == 422, r.text
    assert [p["name"] for p in r.json()["invalidParams"]] == names
    assert after == before


async def test_patch_at_the_limits_is_accepted() -> None:
    async with start_bff() as bff:
        kc = _klantcontact(bff, vertrouwelijk=False)
        read = await bff.client.get(f"/api/v1/klantcontacten/{kc['uuid']}", headers=bff.auth())
        r = await bff.client.patch(
            f"/api/v1/klantcontacten/{kc['uuid']}",
            json={"inhoud": "v" * 1000, "reactie": "a" * 4000},
            headers={**bff.auth(), "If-Match": read.headers["ETag"]},
        )
        stored = _snapshot(bff, kc["uuid"])
    assert r.status_code == 200, r.text
    assert (len(stored["inhoud"]), len(stored["reactie"])) == (1000, 4000)


@pytest.mark.parametrize("if_match", [None, "*"])
async def test_patch_without_a_precise_if_match_is_428(if_match: str | None) -> None:
    async with start_bff() as bff:
        kc = _klantcontact(bff, vertrouwelijk=False)
        before = _snapshot(bff, kc["uuid"])
        headers = bff.auth() if if_match is None else {**bff.auth(), "If-Match": if_match}
        r = await bff.client.patch(
            f"/api/v1/klantcontacten/{kc['uuid']}", json={"reactie": "Nieuw."}, headers=headers
        )
        after = _snapshot(bff, kc["uuid"])
    assert r.status_code == 428
    assert r.json()["type"] == "urn:kcc-bff:problem:precondition-required"
    assert after == before


async def test_an_empty_text_clears_the_answer() -> None:
    async with start_bff() as bff:
        kc = _klantcontact(bff, vertrouwelijk=False)
        read = await bff.client.get(f"/api/v1/klantcontacten/{kc['uuid']}", headers=bff.auth())
        r = await bff.client.patch(
            f"/api/v1/klantcontacten/{kc['uuid']}",
            json={"reactie": ""},
            headers={**bff.auth(), "If-Match": read.headers["ETag"]},
        )
        stored = _snapshot(bff, kc["uuid"])
    assert r.status_code == 200, r.text
    assert stored["reactie"] == ""
    assert stored["inhoud"] == kc["inhoud"]


async def test_linking_a_given_afdeling_and_refusing_an_unknown_actor() -> None:
    async with start_bff() as bff:
        kc = _klantcontact(bff, vertrouwelijk=False)
        afdeling = actor_uuid(bff, "Vergunningen")
        made = await bff.client.post(
            f"/api/v1/klantcontacten/{kc['uuid']}/actoren",
            json={"actor": afdeling},
            headers=bff.auth(),
        )
        links_before = len(bff.sandbox.klantinteracties.actorklantcontacten)
        unknown = await bff.client.post(
            f"/api/v1/klantcontacten/{kc['uuid']}/actoren",
            json={"actor": "4b6a4d7e-0000-4000-8000-000000000000"},
            headers=bff.auth(),
        )
        malformed = await bff.client.post(
            f"/api/v1/klantcontacten/{kc['uuid']}/actoren",
            json={"actor": "vergunningen"},
            headers=bff.auth(),
        )
        links_after = len(bff.sandbox.klantinteracties.actorklantcontacten)
    assert made.status_code == 201, made.text
    assert made.json()["actor"]["naam"] == "Vergunningen"
    assert made.json()["actor"]["soortActor"]["code"] == "organisatorische_eenheid"
    assert unknown.status_code == 422
    assert [p["name"] for p in unknown.json()["invalidParams"]] == ["actor"]
    assert malformed.status_code == 422
    assert [p["name"] for p in malformed.json()["invalidParams"]] == ["actor"]
    assert links_after == links_before


async def test_concurrent_requests_to_record_the_same_actor_make_one_link() -> None:
    async with start_bff() as bff:
        kc = _klantcontact(bff, vertrouwelijk=False)
        await bff.services.actoren_index.snapshot()  # actor known: no get-or-create race here
        posts = bff.sandbox.faults.add(
            "klantinteracties", method="POST", path="^/actorklantcontacten", latency_s=0.01
        )
        bff.sandbox.faults.add("klantinteracties", latency_s=0.01)
        answers = await asyncio.gather(
            *(
                bff.client.post(f"/api/v1/klantcontacten/{kc['uuid']}/actoren", headers=dirk(bff))
                for _ in range(4)
            )
        )
        dirk_id = actor_uuid(bff, "Dirk Visser")
        links = [
            link
            for link in bff.sandbox.klantinteracties.actorklantcontacten.values()
            if (link["actor"], link["klantcontact"]) == (dirk_id, kc["uuid"])
        ]
    assert sorted(r.status_code for r in answers) == [200, 200, 200, 201]
    assert len(links) == 1
    assert posts.hits == 1  # serialised in the BFF: the others saw the link and wrote nothing
