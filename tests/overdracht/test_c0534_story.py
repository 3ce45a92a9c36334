"""Story C0534, end to end against the sandbox: hand-over of a klantcontact to a colleague.

Agent 1 (Anna, KCC) takes a call from a caller who is not known as a partij, cannot
answer, registers the klantcontact (unknown caller: contactnaam only) with an interne taak
for afdeling Vergunningen, and transfers the caller to Dirk at vergunningen with the
referentienummer. Dirk looks the klantcontact up by that number, adds the answer with
If-Match, is recorded as involved, and finishes the afdeling's interne taak. An edit
made meanwhile by someone else is caught with 412 and nothing is overwritten.

Every step goes through the BFF: agent 1 registers with `POST /api/v1/klantcontacten`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tests.helpers.harness import Bff, start_bff
from tests.overdracht.helpers import actor_uuid, dirk, sandbox_klantinteracties

VRAAG = "Vraagt of voor een dakkapel aan de achterkant een vergunning nodig is."
ANTWOORD = "Aan de achterkant vergunningvrij, mits binnen de regels; checklist gemaild."


async def _register_as_agent_1(bff: Bff) -> dict[str, Any]:
    """Anna registers the call through the BFF: unknown caller, interne taak for Vergunningen."""
    r = await bff.client.post(
        "/api/v1/klantcontacten",
        json={
            "klantcontact": {
                "kanaal": "telefoon",
                "onderwerp": "Dakkapel",
                "inhoud": VRAAG,
                "indicatieContactGelukt": False,
                "verdereActieOndernomen": True,
            },
            "klant": {"contactnaam": {"voornaam": "Piet", "achternaam": "Onbekend"}},
            "interneTaak": {
                "actor": actor_uuid(bff, "Vergunningen"),
                "gevraagdeHandeling": "Vraag over dakkapel beantwoorden",
            },
        },
        headers=bff.auth(),
    )
    assert r.status_code == 201, r.text
    made: dict[str, Any] = r.json()
    assert made["partij"] is None  # an unknown caller stays a betrokkene with a contactnaam
    return made


async def test_c0534_hand_over_answer_involvement_and_follow_up() -> None:
    async with start_bff() as bff:
        registered = await _register_as_agent_1(bff)
        kc_id = registered["klantcontact"]
        referentienummer = registered["referentienummer"]
        store = bff.sandbox.klantinteracties

        # Dirk looks the klantcontact up by the number Anna gave.
        found = await bff.client.get(
            "/api/v1/klantcontacten",
            params={"referentienummer": referentienummer},
            headers=dirk(bff),
        )
        assert found.status_code == 200, found.text
        view = found.json()
        assert view["uuid"] == kc_id
        assert view["inhoud"] == VRAAG
        assert view["kanaal"] == {"code": "telefoon", "naam": "Telefoon"}
        assert [(b["naam"], b["rol"]["code"]) for b in view["betrokkenen"]] == [
            ("Piet Onbekend", "klant")
        ]
        assert [a["naam"] for a in view["actoren"]] == ["Anna de Vries"]
        assert view["interneTaken"][0]["toegewezenAanActoren"][0]["naam"] == "Vergunningen"
        etag = found.headers["ETag"]
        assert found.headers["Content-Location"] == f"/api/v1/klantcontacten/{kc_id}"

        # Meanwhile Anna, who still has it open, sharpens the question: a new version.
        anna_edit = await bff.client.patch(
            f"/api/v1/klantcontacten/{kc_id}",
            json={"inhoud": VRAAG + " Woning is een rijtjeshuis."},
            headers={**bff.auth(), "If-Match": etag},
        )
        assert anna_edit.status_code == 200, anna_edit.text

        # Dirk's answer on the version he read is refused; Anna's edit stays.
        stale = await bff.client.patch(
            f"/api/v1/klantcontacten/{kc_id}",
            json={"reactie": ANTWOORD},
            headers={**dirk(bff), "If-Match": etag},
        )
        assert stale.status_code == 412, stale.text
        assert stale.headers["content-type"] == "application/problem+json"
        assert stale.headers["ETag"] == anna_edit.headers["ETag"]
        assert stale.json()["current"]["inhoud"].endswith("rijtjeshuis.")
        assert store.klantcontacten[kc_id]["reactie"] == ""
        assert store.klantcontacten[kc_id]["inhoud"].endswith("rijtjeshuis.")

        # With the current ETag his answer goes in.
        answered = await bff.client.patch(
            f"/api/v1/klantcontacten/{kc_id}",
            json={"reactie": ANTWOORD},
            headers={**dirk(bff), "If-Match": stale.headers["ETag"]},
        )
        assert answered.status_code == 200, answered.text
        assert answered.json()["reactie"] == ANTWOORD
        assert store.klantcontacten[kc_id]["reactie"] == ANTWOORD
        assert store.klantcontacten[kc_id]["inhoud"].endswith("rijtjeshuis.")

        # Dirk is recorded as involved, once, however often the frontend asks.
        first = await bff.client.post(f"/api/v1/klantcontacten/{kc_id}/actoren", headers=dirk(bff))
        again = await bff.client.post(f"/api/v1/klantcontacten/{kc_id}/actoren", headers=dirk(bff))
        assert (first.status_code, again.status_code) == (201, 200), first.text
        assert first.json()["actor"]["naam"] == "Dirk Visser"
        dirk_id = actor_uuid(bff, "Dirk Visser")
        links = [
            link
            for link in store.actorklantcontacten.values()
            if (link["actor"], link["klantcontact"]) == (dirk_id, kc_id)
        ]
        assert len(links) == 1
        linked = await bff.client.get(f"/api/v1/klantcontacten/{kc_id}", headers=dirk(bff))
        assert {a["naam"] for a in linked.json()["actoren"]} == {"Anna de Vries", "Dirk Visser"}
        assert linked.headers["ETag"] == answered.headers["ETag"]  # linking is no edit

        # The afdeling's interne taak: found in Vergunningen's list, finished by Dirk.
        afdeling = actor_uuid(bff, "Vergunningen")
        taken = await bff.client.get(
            "/api/v1/interne-taken",
            params={"toegewezenAan": afdeling, "status": "te_verwerken"},
            headers=dirk(bff),
        )
        assert taken.status_code == 200, taken.text
        item = next(t for t in taken.json()["items"] if t["uuid"] == registered["interneTaak"])
        assert item["klantcontact"]["referentienummer"] == referentienummer
        assert item["klantcontact"]["klantnaam"] == "Piet Onbekend"
        done = await bff.client.patch(
            f"/api/v1/interne-taken/{item['uuid']}",
            json={"status": "verwerkt"},
            headers={**dirk(bff), "If-Match": item["etag"]},
        )
        assert done.status_code == 200, done.text
        assert done.json()["status"] == {"code": "verwerkt", "naam": "Verwerkt"}
        assert done.json()["afgehandeldOp"] is not None

        # Every read and write of the unknown caller's data was recorded.
        subjects = {(r.activity, r.data_subject_id_type) for r in bff.processing_records()}
    assert ("klantcontact_raadplegen", "betrokkene") in subjects
    assert ("klantcontact_wijzigen", "betrokkene") in subjects
    assert ("interne_taken_raadplegen", "betrokkene") in subjects


async def test_two_simultaneous_answers_on_one_version_one_wins_the_other_gets_412() -> None:
    async with start_bff() as bff:
        registered = await _register_as_agent_1(bff)
        kc_id = registered["klantcontact"]
        read = await bff.client.get(f"/api/v1/klantcontacten/{kc_id}", headers=dirk(bff))
        etag = read.headers["ETag"]
        # a slow upstream, so both requests are in flight between read and write
        bff.sandbox.faults.add("klantinteracties", latency_s=0.01)
        answers = await asyncio.gather(
            *(
                bff.client.patch(
                    f"/api/v1/klantcontacten/{kc_id}",
                    json={"reactie": f"Antwoord {n}"},
                    headers={**dirk(bff), "If-Match": etag},
                )
                for n in (1, 2)
            )
        )
        stored = bff.sandbox.klantinteracties.klantcontacten[kc_id]["reactie"]
    assert sorted(r.status_code for r in answers) == [200, 412]
    winner = next(r for r in answers if r.status_code == 200)
    assert stored == winner.json()["reactie"]


async def test_an_edit_made_directly_upstream_is_caught_too() -> None:
    async with start_bff() as bff:
        registered = await _register_as_agent_1(bff)
        kc_id = registered["klantcontact"]
        read = await bff.client.get(f"/api/v1/klantcontacten/{kc_id}", headers=dirk(bff))
        async with sandbox_klantinteracties(bff) as ki:
            other = await ki.patch(f"klantcontacten/{kc_id}", json={"reactie": "Via e-mail."})
            assert other.status_code == 200
        refused = await bff.client.patch(
            f"/api/v1/klantcontacten/{kc_id}",
            json={"reactie": ANTWOORD},
            headers={**dirk(bff), "If-Match": read.headers["ETag"]},
        )
        stored = bff.sandbox.klantinteracties.klantcontacten[kc_id]["reactie"]
    assert refused.status_code == 412
    assert refused.json()["current"]["reactie"] == "Via e-mail."
    assert stored == "Via e-mail."
