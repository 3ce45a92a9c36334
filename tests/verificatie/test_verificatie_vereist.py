"""`klantbeeld.require_verification`: without a valid verificatie a person's klantbeeld says
only that the person is known, and a registration records that the caller was not verified.
Off by default."""

from __future__ import annotations

from typing import Any

from tests.helpers.harness import DEMO_BSN, Bff, start_bff
from tests.registreren.support import partij_of, parts, registratie
from tests.verificatie.test_verificaties_endpoint import brp_answers

UNKNOWN_BSN = "123456782"
ON = {"klantbeeld": {"require_verification": True}}


async def verified(bff: Bff, bsn: str = DEMO_BSN, **auth: Any) -> str:
    known = brp_answers(bff.sandbox, bsn)
    answers = {k: known[k] for k in ("geboortedatum", "postcode", "huisnummer")}
    r = await bff.client.post(
        "/api/v1/verificaties", json={"bsn": bsn, "antwoorden": answers}, headers=bff.auth(**auth)
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def test_without_a_verificatie_the_klantbeeld_says_only_that_the_person_is_known() -> None:
    async with start_bff(**ON) as bff:
        naam = bff.sandbox.brp.personen[DEMO_BSN]["naam"]["geslachtsnaam"]
        r = await bff.client.post("/api/v1/klantbeeld", json={"bsn": DEMO_BSN}, headers=bff.auth())
        unknown = await bff.client.post(
            "/api/v1/klantbeeld", json={"bsn": UNKNOWN_BSN}, headers=bff.auth()
        )

    assert r.status_code == 403, r.text
    assert r.json()["type"] == "urn:kcc-bff:problem:verification-required"
    assert r.json()["bekend"] is True
    assert naam not in r.text
    assert unknown.status_code == 404


async def test_a_valid_verificatie_opens_the_klantbeeld_for_its_own_medewerker_only() -> None:
    async with start_bff(**ON) as bff:
        ver = await verified(bff)
        own = await bff.client.post(
            "/api/v1/klantbeeld", json={"bsn": DEMO_BSN, "verificatie": ver}, headers=bff.auth()
        )
        partij = partij_of(bff.sandbox)
        by_partij = await bff.client.get(
            f"/api/v1/partijen/{partij}/klantbeeld",
            params={"verificatie": ver},
            headers=bff.auth(),
        )
        by_partij_without = await bff.client.get(
            f"/api/v1/partijen/{partij}/klantbeeld", headers=bff.auth()
        )
        colleague = await bff.client.post(
            "/api/v1/klantbeeld",
            json={"bsn": DEMO_BSN, "verificatie": ver},
            headers=bff.auth(subject="mdw-bram", naam="Bram Jansen", email="bram@x.example"),
        )

    assert own.status_code == 200, own.text
    assert by_partij.status_code == 200, by_partij.text
    assert by_partij_without.status_code == 403
    assert colleague.status_code == 403


async def test_off_by_default_the_klantbeeld_needs_no_verificatie() -> None:
    async with start_bff() as bff:
        r = await bff.client.post("/api/v1/klantbeeld", json={"bsn": DEMO_BSN}, headers=bff.auth())

    assert r.status_code == 200, r.text


async def test_a_registration_records_whether_the_caller_was_verified() -> None:
    async with start_bff(**ON) as bff:
        ver = await verified(bff)
        without = await bff.client.post(
            "/api/v1/klantcontacten", json=registratie(bff.sandbox), headers=bff.auth()
        )
        withv = await bff.client.post(
            "/api/v1/klantcontacten",
            json=registratie(bff.sandbox, verificatie=ver),
            headers=bff.auth(),
        )

    assert (without.status_code, withv.status_code) == (201, 201), without.text
    assert without.json()["verificatie"] == "niet-geverifieerd"
    assert withv.json()["verificatie"] == "geverifieerd"
    kc = parts(bff.sandbox, without.json()["referentienummer"]).klantcontact
    assert kc["metadata"] == {"verificatie": "niet-geverifieerd"}
    kc = parts(bff.sandbox, withv.json()["referentienummer"]).klantcontact
    assert kc["metadata"] == {"verificatie": "geverifieerd"}


async def test_off_by_default_a_registration_records_nothing_about_verification() -> None:
    async with start_bff() as bff:
        r = await bff.client.post(
            "/api/v1/klantcontacten", json=registratie(bff.sandbox), headers=bff.auth()
        )

    assert r.status_code == 201, r.text
    assert r.json()["verificatie"] is None
    assert not parts(bff.sandbox, r.json()["referentienummer"]).klantcontact.get("metadata")


async def test_the_demo_shows_both_modes_and_a_verificatie_that_verifies() -> None:
    from bff.cli import build_parser
    from bff.sandbox.demo import demo_settings
    from bff.sandbox.demo_guide import describe_demo, verificatie_example

    async with start_bff() as bff:
        example = verificatie_example(bff.sandbox)
        r = await bff.client.post("/api/v1/verificaties", json=example, headers=bff.auth())
        url = "http://127.0.0.1:8081"
        off = demo_settings(bff.sandbox, url, host="127.0.0.1", port=8080)
        on = demo_settings(bff.sandbox, url, host="127.0.0.1", port=8080, require_verification=True)
        told_off = describe_demo(bff.sandbox, off, url)
        told_on = describe_demo(bff.sandbox, on, url)

    assert r.status_code == 201, r.text
    assert (off.klantbeeld.require_verification, on.klantbeeld.require_verification) == (
        False,
        True,
    )
    assert "Verification is optional" in told_off
    assert "Verification is required" in told_on
    assert '"bsn": "999993653"' in told_on
    args = build_parser().parse_args(["demo", "--require-verification"])
    assert args.require_verification is True


async def test_a_retry_after_the_verificatie_expired_keeps_the_first_outcome() -> None:
    from datetime import UTC, datetime, timedelta

    from bff.privacy.pseudonym import Pseudonymiser
    from bff.verificaties import Verificaties

    async with start_bff(**ON) as bff:
        ver = await verified(bff)
        body = registratie(bff.sandbox, verificatie=ver)
        headers = {**bff.auth(), "Idempotency-Key": "verificatie-retry-1"}
        first = await bff.client.post("/api/v1/klantcontacten", json=body, headers=headers)
        settings = bff.services.settings
        later = datetime.now(UTC) + timedelta(hours=2)
        bff.services.verificaties = Verificaties(  # two hours on: the verificatie expired
            settings.verificatie,
            Pseudonymiser(settings.privacy.pseudonymisation_key),
            clock=lambda: later,
        )
        again = await bff.client.post("/api/v1/klantcontacten", json=body, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json()
    assert again.json()["verificatie"] == "geverifieerd"


async def test_a_partij_seen_in_the_klantbeeld_is_verified_without_a_lookup_even_when_down() -> (
    None
):
    async with start_bff(**ON) as bff:
        ver = await verified(bff)
        partij = partij_of(bff.sandbox)
        seen = await bff.client.get(
            f"/api/v1/partijen/{partij}/klantbeeld",
            params={"verificatie": ver},
            headers=bff.auth(),
        )
        bff.sandbox.faults.add("klantinteracties", status=503)
        r = await bff.client.post(
            "/api/v1/klantcontacten",
            json=registratie(bff.sandbox, verificatie=ver),
            headers=bff.auth(),
        )
        bff.sandbox.faults.clear("klantinteracties")

    assert seen.status_code == 200
    assert r.status_code == 202, r.text
    assert r.json()["verificatie"] == "geverifieerd"


async def test_a_partij_not_yet_seen_is_looked_up_and_an_outage_keeps_the_call() -> None:
    async with start_bff(**ON) as bff:
        ver = await verified(bff)
        looked_up = await bff.client.post(
            "/api/v1/klantcontacten",
            json=registratie(bff.sandbox, verificatie=ver),
            headers=bff.auth(),
        )
        other = await verified(bff)
        bff.sandbox.faults.add("klantinteracties", status=503)
        down = await bff.client.post(
            "/api/v1/klantcontacten",
            json=registratie(bff.sandbox, verificatie=other),
            headers=bff.auth(),
        )
        bff.sandbox.faults.clear("klantinteracties")

    assert looked_up.json()["verificatie"] == "geverifieerd"
    assert down.status_code == 202, down.text
    assert down.json()["verificatie"] == "niet-geverifieerd"
