"""Interne taken from a vertrouwelijk klantcontact belong to their assignees.

Only a medewerker the taak is assigned to and holders of the role for confidential
contacts see its toelichting and ETag, in the worklist and in a 412 body, and only they
may change it. Linking an actor to a vertrouwelijk klantcontact is authorised before
anything (the caller's own actor included) is written.
"""

from __future__ import annotations

from typing import Any

from tests.helpers.harness import Bff, start_bff
from tests.overdracht.helpers import actor_uuid, dirk

LIST = "/api/v1/interne-taken"


def _confidential_taak_of_dirk(bff: Bff) -> dict[str, Any]:
    """An open taak of Dirk whose klantcontact is made vertrouwelijk, with a toelichting."""
    ki = bff.sandbox.klantinteracties
    dirk_id = actor_uuid(bff, "Dirk Visser")
    taak = next(
        t
        for t in ki.internetaken.values()
        if dirk_id in t["toegewezenAanActoren"] and t["status"] == "te_verwerken"
    )
    taak["toelichting"] = "Vertrouwelijk: schuldhulp, bel alleen mobiel."
    ki.klantcontacten[taak["aanleidinggevendKlantcontact"]]["vertrouwelijk"] = True
    return taak


def _item(body: dict[str, Any], taak_id: str) -> dict[str, Any]:
    return next(t for t in body["items"] if t["uuid"] == taak_id)


async def _list_of_dirk(bff: Bff, headers: dict[str, str]) -> dict[str, Any]:
    params = {"toegewezenAan": actor_uuid(bff, "Dirk Visser")}
    r = await bff.client.get(LIST, params=params, headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_another_medewerker_sees_the_taak_without_its_toelichting_or_etag() -> None:
    async with start_bff() as bff:
        taak = _confidential_taak_of_dirk(bff)
        item = _item(await _list_of_dirk(bff, bff.auth()), taak["uuid"])
    assert item["toelichting"] is None
    assert item["toelichtingVerborgen"] is True
    assert item["etag"] is None
    assert item["gevraagdeHandeling"] == taak["gevraagdeHandeling"]


async def test_the_assignee_and_a_role_holder_see_the_toelichting() -> None:
    async with start_bff() as bff:
        taak = _confidential_taak_of_dirk(bff)
        own = _item(await _list_of_dirk(bff, dirk(bff)), taak["uuid"])
        mij = await bff.client.get(LIST, params={"toegewezenAan": "mij"}, headers=dirk(bff))
        role = _item(await _list_of_dirk(bff, bff.auth_vertrouwelijk()), taak["uuid"])
    assert own["toelichting"] == taak["toelichting"]
    assert _item(mij.json(), taak["uuid"])["toelichting"] == taak["toelichting"]
    assert role["toelichting"] == taak["toelichting"]
    assert role["etag"]
    assert own["etag"] == role["etag"]


async def test_a_medewerker_without_the_role_may_not_change_anothers_confidential_taak() -> None:
    async with start_bff() as bff:
        taak = _confidential_taak_of_dirk(bff)
        etag = _item(await _list_of_dirk(bff, dirk(bff)), taak["uuid"])["etag"]
        path = f"{LIST}/{taak['uuid']}"
        done = await bff.client.patch(
            path, json={"status": "verwerkt"}, headers={**bff.auth(), "If-Match": etag}
        )
        stale = await bff.client.patch(
            path, json={"status": "verwerkt"}, headers={**bff.auth(), "If-Match": '"stale"'}
        )
        stored = bff.sandbox.klantinteracties.internetaken[taak["uuid"]]
    assert done.status_code == 403, done.text
    assert stale.status_code == 403, stale.text  # no 412 body carrying the toelichting
    assert taak["toelichting"] not in stale.text
    assert stored["status"] == "te_verwerken"


async def test_the_assignee_may_finish_a_confidential_taak_and_a_412_shows_it_to_them() -> None:
    async with start_bff() as bff:
        taak = _confidential_taak_of_dirk(bff)
        etag = _item(await _list_of_dirk(bff, dirk(bff)), taak["uuid"])["etag"]
        path = f"{LIST}/{taak['uuid']}"
        stale = await bff.client.patch(
            path, json={"status": "verwerkt"}, headers={**dirk(bff), "If-Match": '"stale"'}
        )
        done = await bff.client.patch(
            path, json={"status": "verwerkt"}, headers={**dirk(bff), "If-Match": etag}
        )
    assert stale.status_code == 412
    assert stale.json()["current"]["toelichting"] == taak["toelichting"]
    assert done.status_code == 200, done.text


async def test_linking_oneself_to_a_confidential_klantcontact_writes_nothing_before_the_403() -> (
    None
):
    async with start_bff() as bff:
        ki = bff.sandbox.klantinteracties
        kc = next(k for k in ki.klantcontacten.values() if k["vertrouwelijk"])
        before = (len(ki.actoren), len(ki.actorklantcontacten))
        new_medewerker = bff.auth(subject="mdw-nieuw", naam="Nieuw", email="nieuw@gemeente.example")
        r = await bff.client.post(
            f"/api/v1/klantcontacten/{kc['uuid']}/actoren", headers=new_medewerker
        )
        after = (len(ki.actoren), len(ki.actorklantcontacten))
    assert r.status_code == 403, r.text
    assert after == before
