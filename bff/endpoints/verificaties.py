"""`POST /api/v1/verificaties`: verify a caller with control questions against the BRP.

The body names the person (BSN) and the caller's answers (`bff.compose.verificatie`).
The BFF reads the person from the BRP and counts the answers that match; with at least
`verificatie.min_juist` the caller is verified:

    201  verified: `id` (bound to this medewerker and person, valid until `geldigTot`),
         to pass to the klantbeeld and the registration
    200  not verified: how many answers matched and how many attempts are left
    422  a bad request (a bad BSN, a question not asked, too few answers): nothing counted
    429  `verification-locked`: too many failed attempts for this person (`Retry-After`)

A person the BRP does not know is not verified, like wrong answers (the answer does not
tell which). Every attempt is a processing record (activity `verificatie`, the BSN
pseudonymised); the answers are neither logged nor stored, and no BRP value is returned.
"""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import Response

from bff.auth.identity import current_medewerker
from bff.compose.verificatie import (
    BRP_VERIFICATIE_FIELDS,
    VerificatieInput,
    VerificatieView,
    vergelijk,
    verificatie_problems,
)
from bff.endpoints.klantcontact_registratie import read_json, validate
from bff.errors import InvalidInput, InvalidParam, VerificationLocked
from bff.http import api_route, json_response
from bff.privacy.processing import DataSubject
from bff.privacy.purpose import brp_purpose_headers
from bff.privacy.recorder import processing
from bff.services import services

ACTIVITY = "verificatie"
LOCKED = (
    "Too many failed verifications of this person. Verification is possible again after "
    "{until:%H:%M} UTC; until then, help the caller without personal details."
)


async def verifieer(request: Request) -> Response:
    """Verify the caller's answers against the BRP; see the module docstring for answers."""
    medewerker = current_medewerker(request)
    svc = services(request)
    cfg = svc.settings.verificatie
    problems: list[InvalidParam] = []
    raw, _ = await read_json(request)
    body = validate(VerificatieInput, raw, problems)
    if body is not None:
        problems += verificatie_problems(body, cfg.vragen, cfg.min_juist)
    if problems:
        raise InvalidInput(problems)
    async with processing(request, ACTIVITY, action="read", subjects=[DataSubject.bsn(body.bsn)]):
        until = svc.verificaties.locked_until(body.bsn)
        if until is not None:
            wait = math.ceil((until - svc.verificaties.now()).total_seconds())
            raise VerificationLocked(
                LOCKED.format(until=until), headers={"Retry-After": str(max(wait, 1))}
            )
        personen = await svc.upstreams.brp.raadpleeg_met_burgerservicenummer(
            [body.bsn],
            fields=BRP_VERIFICATIE_FIELDS,
            purpose_headers=brp_purpose_headers(svc.settings, ACTIVITY, medewerker),
        )
        juist = vergelijk(personen[0] if personen else None, body.antwoorden, cfg.vragen)
        poging = svc.verificaties.record(
            body.bsn, medewerker.subject, geverifieerd=juist >= cfg.min_juist
        )
    made = poging.verificatie
    view = VerificatieView(
        id=made.id if made else None,
        geverifieerd=made is not None,
        aantal_juist=juist,
        aantal_vereist=cfg.min_juist,
        geldig_tot=made.geldig_tot if made else None,
        pogingen_over=None if made else poging.pogingen_over,
    )
    return json_response(view, 201 if made else 200)


routes = [
    api_route(
        "POST",
        "/api/v1/verificaties",
        verifieer,
        summary="Verify a caller with control questions (compared with the BRP)",
        tag="verificaties",
        request=VerificatieInput,
        responses={200: VerificatieView, 201: VerificatieView, 429: None},
    ),
]
