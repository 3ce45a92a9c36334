"""`POST /api/v1/partijen` and `POST /api/v1/partijen/{id}/digitale-adressen`.

Registering a partij on its own: a persoon by BSN or an organisatie by KvK-nummer, with
its name (a persoon without one is named from the BRP), adressen and digitale adressen.
When a partij with that identificator exists it is not duplicated: the answer is `200`
with the existing partij (the digitale adressen it lacks are added), `201` when it was
created. Adding digitale adressen to a known partij answers `201` when any was added,
`200` when it had them all already (compared normalised); one may become the preferred.

Both are journalled registrations (`bff.registration.partij_plan`), with the answers of
`bff.endpoints.klantcontact_registratie`: 202 + Location while not done, 422 for a bad
request (nothing journalled), 502 `registration-failed`, and `Idempotency-Key` support.
"""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response

from bff.auth.identity import current_medewerker
from bff.compose.partij_registratie import (
    DigitaleAdressenInput,
    PartijInput,
    PartijRegistratie,
    adressen_problems,
    compose_partij_registratie,
    land_problems,
    nieuwe_adressen,
    partij_plan_input,
    partij_problems,
)
from bff.compose.partij_registratie_plan import DigitaleAdressenPlanInput
from bff.endpoints.klantcontact_registratie import (
    IDEMPOTENCY_KEY,
    answer,
    idempotency_key,
    validate,
)
from bff.errors import InvalidInput, InvalidParam
from bff.http import Param, api_route, read_json
from bff.privacy.processing import DataSubject
from bff.privacy.recorder import processing
from bff.registration.partij_plan import DIGITALE_ADRESSEN_KIND, PARTIJ_ACTIVITY, PARTIJ_KIND
from bff.services import services
from bff.upstreams.klantinteracties import KlantinteractiesClient


async def registreer_partij(request: Request) -> Response:
    """Find the partij with this BSN or KvK-nummer, or create it; add its contact details."""
    medewerker = current_medewerker(request)
    svc = services(request)
    problems: list[InvalidParam] = []
    key = idempotency_key(request, problems)
    raw, parsed = await read_json(request)
    body = validate(PartijInput, raw, problems)
    if isinstance(parsed, dict):
        problems += land_problems(parsed, (await svc.codes.tables()).landen, date.today())
    if body is not None:
        problems += partij_problems(body)
    if problems:
        raise InvalidInput(problems)
    subject = DataSubject.bsn(body.bsn) if body.bsn else DataSubject.kvk(body.kvk_nummer or "")
    async with processing(request, PARTIJ_ACTIVITY, action="create", subjects=[subject]):
        submission = await svc.registrations.register(
            kind=PARTIJ_KIND,
            owner=medewerker.subject,
            payload=partij_plan_input(body).model_dump(mode="json"),
            idempotency_key=key,
        )
    result = compose_partij_registratie(submission.registration)
    return answer(submission.registration, result, done=201 if result.nieuw else 200)


async def voeg_digitale_adressen_toe(request: Request) -> Response:
    """Add contact details to a partij (not twice); one may become its preferred address."""
    medewerker = current_medewerker(request)
    svc = services(request)
    partij = KlantinteractiesClient.check_id(request.path_params["id"], "partij")
    problems: list[InvalidParam] = []
    key = idempotency_key(request, problems)
    raw, _ = await read_json(request)
    body = validate(DigitaleAdressenInput, raw, problems)
    if body is not None:
        problems += adressen_problems(body.digitale_adressen, "digitaleAdressen")
    if problems:
        raise InvalidInput(problems)
    payload = DigitaleAdressenPlanInput(
        partij=partij, digitale_adressen=nieuwe_adressen(body.digitale_adressen)
    )
    async with processing(
        request, PARTIJ_ACTIVITY, action="update", subjects=[DataSubject.partij(partij)]
    ):
        await svc.upstreams.klantinteracties.get_partij(partij)  # 404 before journalling
        submission = await svc.registrations.register(
            kind=DIGITALE_ADRESSEN_KIND,
            owner=medewerker.subject,
            payload=payload.model_dump(mode="json"),
            idempotency_key=key,
        )
    reg = submission.registration
    added = reg.results().get("digitale-adressen", {}).get("toegevoegd")
    return answer(reg, compose_partij_registratie(reg), done=201 if added else 200)


routes = [
    api_route(
        "POST",
        "/api/v1/partijen",
        registreer_partij,
        summary="Register a partij (or find it: never a duplicate)",
        tag="partijen",
        request=PartijInput,
        responses={200: PartijRegistratie, 201: PartijRegistratie, 202: PartijRegistratie},
        params=[IDEMPOTENCY_KEY],
    ),
    api_route(
        "POST",
        "/api/v1/partijen/{id}/digitale-adressen",
        voeg_digitale_adressen_toe,
        summary="Add contact details to a partij, optionally the preferred one",
        tag="partijen",
        request=DigitaleAdressenInput,
        responses={200: PartijRegistratie, 201: PartijRegistratie, 202: PartijRegistratie},
        params=[Param("id", "path", "The partij's uuid.", required=True), IDEMPOTENCY_KEY],
    ),
]
