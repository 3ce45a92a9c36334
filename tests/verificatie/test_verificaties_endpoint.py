"""`POST /api/v1/verificaties` against the sandbox BRP: verified or not, how many matched,
never a BRP value; failed attempts lock the person; every attempt is a processing record."""

from __future__ import annotations

from typing import Any

from bff.sandbox.app import Sandbox
from tests.helpers.harness import DEMO_BSN, start_bff

URL = "/api/v1/verificaties"
OTHER_BSN = "999995571"
UNKNOWN_BSN = "123456782"  # passes the 11-proef, known nowhere


def brp_answers(sandbox: Sandbox, bsn: str = DEMO_BSN) -> dict[str, Any]:
    """What the BRP holds for the person, as a caller who knows it would answer."""
    persoon = sandbox.brp.personen[bsn]
    return {
        "geboortedatum": persoon["geboorte"]["datum"]["datum"],
        "geboorteplaats": persoon["geboorte"]["plaats"]["omschrijving"],
        "postcode": persoon["verblijfplaats"]["verblijfadres"]["postcode"],
        "huisnummer": persoon["verblijfplaats"]["verblijfadres"]["huisnummer"],
    }


WRONG = {"geboortedatum": "1901-01-01", "postcode": "9999ZZ", "huisnummer": 1}


async def test_two_right_answers_verify_the_caller_without_showing_the_brp_values() -> None:
    async with start_bff() as bff:
        known = brp_answers(bff.sandbox)
        answers = {
            "geboortedatum": known["geboortedatum"],
            "postcode": known["postcode"].lower()[:4] + " " + known["postcode"][4:].lower(),
            "huisnummer": known["huisnummer"],
        }
        r = await bff.client.post(
            URL, json={"bsn": DEMO_BSN, "antwoorden": answers}, headers=bff.auth()
        )
        records, audit = bff.processing_records(), bff.audit_records()

    assert r.status_code == 201, r.text
    body = r.json()
    assert body["geverifieerd"] is True
    assert (body["aantalJuist"], body["aantalVereist"]) == (2, 2)
    assert body["id"]
    assert body["geldigTot"]
    for value in (known["geboorteplaats"], known["postcode"], known["geboortedatum"]):
        assert str(value) not in r.text
    [record] = records
    assert (record.activity, record.data_subject_id_type, record.status) == (
        "verificatie",
        "BSN",
        "ok",
    )
    assert DEMO_BSN not in record.data_subject_id
    assert (audit[0].action, audit[0].activity) == ("read", "verificatie")


async def test_one_right_answer_is_not_enough_and_says_how_many_attempts_are_left() -> None:
    async with start_bff() as bff:
        known = brp_answers(bff.sandbox)
        answers = {**WRONG, "geboorteplaats": known["geboorteplaats"].upper()}
        r = await bff.client.post(
            URL, json={"bsn": DEMO_BSN, "antwoorden": answers}, headers=bff.auth()
        )

    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["geverifieerd"], body["aantalJuist"], body["pogingenOver"]) == (False, 1, 2)
    assert body["id"] is None


async def test_an_unknown_person_is_not_verified_like_wrong_answers() -> None:
    async with start_bff() as bff:
        r = await bff.client.post(
            URL, json={"bsn": UNKNOWN_BSN, "antwoorden": WRONG}, headers=bff.auth()
        )

    assert r.status_code == 200, r.text
    assert (r.json()["geverifieerd"], r.json()["aantalJuist"]) == (False, 0)


async def test_too_many_failures_lock_that_person_only_and_each_attempt_is_recorded() -> None:
    async with start_bff() as bff:
        known = brp_answers(bff.sandbox)
        right = {k: known[k] for k in ("geboortedatum", "postcode", "huisnummer")}
        wrong = {"bsn": DEMO_BSN, "antwoorden": WRONG}
        failed = [await bff.client.post(URL, json=wrong, headers=bff.auth()) for _ in range(3)]
        locked = await bff.client.post(
            URL, json={"bsn": DEMO_BSN, "antwoorden": right}, headers=bff.auth(subject="mdw-bram")
        )
        other = await bff.client.post(
            URL, json={"bsn": OTHER_BSN, "antwoorden": WRONG}, headers=bff.auth()
        )
        records = bff.processing_records()

    assert [f.json()["pogingenOver"] for f in failed] == [2, 1, 0]
    assert locked.status_code == 429, locked.text
    assert locked.headers["content-type"] == "application/problem+json"
    assert locked.json()["type"] == "urn:kcc-bff:problem:verification-locked"
    assert int(locked.headers["retry-after"]) > 0
    assert other.status_code == 200
    assert [r.activity for r in records] == ["verificatie"] * 5
    assert [r.status for r in records] == ["ok", "ok", "ok", "error", "ok"]


async def test_bad_requests_are_422_and_count_no_attempt() -> None:
    async with start_bff(verificatie={"vragen": ["geboortedatum", "postcode_huisnummer"]}) as bff:
        asked_not = await bff.client.post(
            URL,
            json={"bsn": DEMO_BSN, "antwoorden": {**WRONG, "geboorteplaats": "Thann"}},
            headers=bff.auth(),
        )
        too_few = await bff.client.post(
            URL,
            json={"bsn": DEMO_BSN, "antwoorden": {"geboortedatum": "1985-12-01"}},
            headers=bff.auth(),
        )
        half = await bff.client.post(
            URL,
            json={"bsn": DEMO_BSN, "antwoorden": {"geboortedatum": "1985-12-01", "huisnummer": 3}},
            headers=bff.auth(),
        )
        bad_bsn = await bff.client.post(
            URL, json={"bsn": "123456789", "antwoorden": WRONG}, headers=bff.auth()
        )
        records = bff.processing_records()

    def names(r: Any) -> list[str]:
        assert r.status_code == 422, r.text
        return [p["name"] for p in r.json()["invalidParams"]]

    assert names(asked_not) == ["antwoorden.geboorteplaats"]
    assert names(too_few) == ["antwoorden"]
    assert names(half) == ["antwoorden.postcode"]
    assert names(bad_bsn) == ["bsn"]
    assert "Thann" not in asked_not.text
    assert records == []
