"""Nothing twice: an `Idempotency-Key` makes a repeated request answer with the first one."""

from __future__ import annotations

import asyncio

from tests.helpers.harness import start_bff
from tests.registreren.support import assert_complete, finished, parts, registratie

ANNA = "anna.devries@gemeente.example"
URL = "/api/v1/klantcontacten"


async def test_the_same_key_and_body_again_answers_with_the_first_registration() -> None:
    async with start_bff() as bff:
        headers = {**bff.auth(), "Idempotency-Key": "call-2026-11-20-0001"}
        body = registratie(bff.sandbox)
        first = await bff.client.post(URL, json=body, headers=headers)
        again = await bff.client.post(URL, json=body, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert_complete(bff.sandbox, first.json()["referentienummer"], medewerker=ANNA)


async def test_the_same_key_with_another_body_is_422_and_changes_nothing() -> None:
    async with start_bff() as bff:
        headers = {**bff.auth(), "Idempotency-Key": "call-2026-11-20-0002"}
        first = await bff.client.post(URL, json=registratie(bff.sandbox), headers=headers)
        before = len(bff.sandbox.klantinteracties.klantcontacten)
        other = registratie(bff.sandbox)
        other["klantcontact"]["onderwerp"] = "Iets anders"
        r = await bff.client.post(URL, json=other, headers=headers)

    assert first.status_code == 201
    assert r.status_code == 422
    assert [p["name"] for p in r.json()["invalidParams"]] == ["Idempotency-Key"]
    assert len(bff.sandbox.klantinteracties.klantcontacten) == before


async def test_one_key_sent_twice_at_once_makes_one_klantcontact() -> None:
    async with start_bff() as bff:
        headers = {**bff.auth(), "Idempotency-Key": "call-2026-11-20-0003"}
        body = registratie(bff.sandbox)
        answers = await asyncio.gather(
            bff.client.post(URL, json=body, headers=headers),
            bff.client.post(URL, json=body, headers=headers),
        )
        ids = {a.json()["registratieId"] for a in answers}
        status = await finished(bff, ids.pop())

    assert {a.status_code for a in answers} <= {201, 202}
    assert 201 in {a.status_code for a in answers}
    assert not ids  # both answers name the same registration
    assert len({a.json()["referentienummer"] for a in answers}) == 1
    assert status["status"] == "completed"
    assert_complete(bff.sandbox, status["referentienummer"], medewerker=ANNA)


async def test_a_key_belongs_to_its_medewerker() -> None:
    async with start_bff() as bff:
        key = {"Idempotency-Key": "shared-key"}
        body = registratie(bff.sandbox)
        anna = await bff.client.post(URL, json=body, headers={**bff.auth(), **key})
        bram = await bff.client.post(
            URL,
            json=body,
            headers={
                **bff.auth(
                    subject="mdw-bram", naam="Bram Jansen", email="bram.jansen@gemeente.example"
                ),
                **key,
            },
        )

    assert (anna.status_code, bram.status_code) == (201, 201)
    assert anna.json()["registratieId"] != bram.json()["registratieId"]
    assert len(parts(bff.sandbox, bram.json()["referentienummer"]).klantcontacten) == 1


async def test_a_replayed_failed_registration_answers_502_again() -> None:
    async with start_bff() as bff:
        headers = {**bff.auth(), "Idempotency-Key": "call-2026-11-20-0004"}
        body = registratie(bff.sandbox)
        # Klantinteracties refuses the interne taak (400): a permanent failure
        bff.sandbox.faults.add("klantinteracties", method="POST", path="^/internetaken", status=400)
        first = await bff.client.post(URL, json=body, headers=headers)
        again = await bff.client.post(URL, json=body, headers=headers)

    assert (first.status_code, again.status_code) == (502, 502)
    assert again.json()["registratieId"] == first.json()["registratieId"]
    assert len(parts(bff.sandbox, first.json()["referentienummer"]).internetaken) == 0
