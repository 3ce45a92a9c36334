"""Every step may run twice (a crash after the upstream wrote, before the journal did):
a second attempt finds what the first one made and creates nothing new."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from bff.app import plan_upstreams
from bff.auth.identity import Medewerker
from bff.compose.klantcontact_registratie import KlantcontactRegistratieInput, plan_input
from bff.compose.partij_registratie import PartijInput, partij_plan_input
from bff.registration.klantcontact_plan import klantcontact_plan
from bff.registration.partij_plan import partij_plan
from bff.registration.plan import Plan, ReferentienummerTaken, StepContext
from bff.sandbox.app import Sandbox
from tests.helpers.harness import start_bff
from tests.registreren.support import KI_TABLES, ZAAK, afdeling, brp_only_bsn, registratie

ANNA = Medewerker("mdw-anna", "Anna de Vries", "anna.devries@gemeente.example")


def _context(
    name: str, attempt: int, payload: Mapping[str, Any], results: Mapping[str, Any]
) -> StepContext:
    return StepContext(
        registration_id="6f1d2c3b-0000-4000-8000-000000000001",
        kind="test",
        owner=ANNA.subject,
        referentienummer="0000004242",
        payload=payload,
        results={k: v for k, v in results.items() if k != name},
        step=name,
        attempt=attempt,
    )


def _counts(sandbox: Sandbox) -> dict[str, int]:
    ki = sandbox.klantinteracties
    return {**{t: len(ki.table(t)) for t in KI_TABLES}, "objects": len(sandbox.objecten.objects)}


async def _run_twice(plan: Plan, payload: Mapping[str, Any], sandbox: Sandbox) -> None:
    first: dict[str, dict[str, Any]] = {}
    for name in plan:  # plan order respects the dependencies
        first[name] = await plan[name].run(_context(name, 1, payload, first))
    made = _counts(sandbox)
    for name in plan:
        again = await plan[name].run(_context(name, 2, payload, first))
        expected = dict(first[name])
        if "nieuw" in expected:
            expected["nieuw"] = False  # the partij is found this time, not created
        if "toegevoegd" in expected:
            expected["toegevoegd"] = []  # the digitale adressen are found, not added
        assert again == expected, name
    assert _counts(sandbox) == made


async def test_every_klantcontact_step_run_again_makes_nothing_twice() -> None:
    async with start_bff() as bff:
        sandbox = bff.sandbox
        body = registratie(
            sandbox,
            klant={"bsn": brp_only_bsn(sandbox), "contactnaam": {"achternaam": "Almenkinders"}},
            zaak=ZAAK,
            digitaleAdressen=[
                {
                    "soortDigitaalAdres": "email",
                    "adres": "a@example.nl",
                    "gebruik": "algemeen",
                    "voorkeur": True,
                },
                {
                    "soortDigitaalAdres": "telefoonnummer",
                    "adres": "0612345678",
                    "gebruik": "dit-verzoek",
                },
            ],
            productaanvraag={
                "productcode": "AFVALPAS",
                "omschrijving": "Nieuwe pas",
                "interneTaak": {"actor": afdeling(sandbox), "toelichting": "Graag vandaag"},
            },
        )
        request = KlantcontactRegistratieInput.model_validate_json(json.dumps(body))
        payload = plan_input(request, ANNA).model_dump(mode="json")
        plan = klantcontact_plan(plan_upstreams(bff.services), payload)
        assert len(plan) == 11  # every step, and opruimen last
        await _run_twice(plan, payload, sandbox)


async def test_every_partij_step_run_again_makes_nothing_twice() -> None:
    async with start_bff() as bff:
        sandbox = bff.sandbox
        request = PartijInput.model_validate_json(
            json.dumps(
                {
                    "bsn": brp_only_bsn(sandbox),
                    "digitaleAdressen": [
                        {"soortDigitaalAdres": "email", "adres": "p@example.nl", "voorkeur": True}
                    ],
                }
            )
        )
        payload = partij_plan_input(request).model_dump(mode="json")
        await _run_twice(
            partij_plan(plan_upstreams(bff.services).partij, payload), payload, sandbox
        )


async def test_a_retry_never_adopts_another_klantcontact_with_the_same_referentienummer() -> None:
    async with start_bff() as bff:
        sandbox = bff.sandbox
        body = registratie(sandbox, klant={"contactnaam": {"achternaam": "Almenkinders"}})
        request = KlantcontactRegistratieInput.model_validate_json(json.dumps(body))
        payload = plan_input(request, ANNA).model_dump(mode="json")
        step = klantcontact_plan(plan_upstreams(bff.services), payload)["klantcontact"]
        taken = next(iter(sandbox.klantinteracties.klantcontacten.values()))
        context = _context("klantcontact", 2, payload, {})
        context = StepContext(**{**context.__dict__, "referentienummer": taken["referentienummer"]})
        made = _counts(sandbox)
        with pytest.raises(ReferentienummerTaken):  # the runner takes the next number
            await step.run(context)
        first = StepContext(**{**context.__dict__, "attempt": 1})
        with pytest.raises(ReferentienummerTaken):  # also when the create is refused
            await step.run(first)
        assert _counts(sandbox) == made
