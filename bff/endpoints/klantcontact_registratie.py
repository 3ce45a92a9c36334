"""`POST /api/v1/klantcontacten`: register a call in one request, and never lose it.

The request is checked completely first (fields, rules across fields, kanaal and taal
against the reference lists, then every id it refers to: the klant's partij, the zaak,
the actoren of its interne taken; `bff.endpoints.references`); a bad one is a 422
naming every bad field, and nothing is journalled or sent upstream. A good one is
journalled as a registration (with a BFF-minted referentienummer) before the first
upstream call, then run by the registration runner (`bff.registration.klantcontact_plan`).
The answer:

    201  every step done; the body holds every created id
    202  not done yet (an upstream failed halfway, or the inline budget ran out): the
         runner keeps going in the background; `Location: /api/v1/registraties/{id}`
    502  `registration-failed`: an upstream refused a step (a permanent failure, never
         retried); the problem carries `registratieId`, `referentienummer` and the status
         of every step, so the agent can quote it and support can see what was made

An `Idempotency-Key` header makes a retry safe: the same key with the same body answers
with the first registration (in its current state), with another body 422.
The helpers here (`idempotency_key`, `validate`, `answer`) serve the other registering
endpoints too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from bff.auth.identity import Medewerker, current_medewerker
from bff.compose.klantbeeld_partij import bsn_of
from bff.compose.klantcontact_registratie import (
    KlantcontactRegistratie,
    KlantcontactRegistratieInput,
    code_problems,
    compose_klantcontact_registratie,
    plan_input,
    registratie_problems,
)
from bff.compose.klantcontact_registratie_plan import BellerVerificatie
from bff.compose.klantcontact_vervolg import toegewezen_actoren
from bff.compose.registratie import compose_registratie_status
from bff.endpoints.references import reference_problems
from bff.errors import BffError, InvalidInput, InvalidParam, NotFound, UpstreamFailure
from bff.http import Param, api_route, json_response, validation_error
from bff.http import read_json as read_json  # the registering endpoints import it from here
from bff.privacy.processing import DataSubject
from bff.privacy.recorder import processing
from bff.registration import Registration, parse_idempotency_key
from bff.registration.klantcontact_plan import KLANTCONTACT_ACTIVITY, KLANTCONTACT_KIND
from bff.services import Services, services

RETRY_AFTER_S = "2"


class RegistrationFailed(BffError):
    """An upstream refused a step for good: the registration ended `failed`."""

    status = 502
    slug = "registration-failed"
    title = "Registration failed"

    def __init__(self, reg: Registration) -> None:
        failed = [s for s in reg.steps if s.status == "failed"]
        upstreams = sorted({s.last_error.upstream for s in failed if s.last_error})
        super().__init__(
            f"{', '.join(upstreams) or 'An upstream'} refused part of this registration "
            f"({', '.join(s.name for s in failed)}); it is not retried. Quote referentienummer "
            f"{reg.referentienummer} to functional support; the registration shows what was made.",
            headers={"Location": status_link(reg)},
        )
        self.registration = reg

    def extra(self) -> dict[str, Any]:
        reg = self.registration
        return {
            "registratieId": reg.id,
            "referentienummer": reg.referentienummer,
            "registratie": compose_registratie_status(reg).model_dump(mode="json", by_alias=True),
        }


def status_link(reg: Registration) -> str:
    return f"/api/v1/registraties/{reg.id}"


def idempotency_key(request: Request, problems: list[InvalidParam]) -> str | None:
    """The `Idempotency-Key` header, or None; a bad one joins `problems`."""
    try:
        return parse_idempotency_key(request.headers.get("Idempotency-Key"))
    except InvalidInput as exc:
        problems.extend(exc.params)
        return None


def validate(model: type[BaseModel], raw: bytes, problems: list[InvalidParam]) -> Any:
    """The parsed model, or None with its field problems added to `problems`."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        problems.extend(validation_error(exc).params)
        return None


def answer(reg: Registration, body: BaseModel, *, done: int = 201) -> Response:
    """`done` when completed, 202 while the runner is still at it, 502 when it failed."""
    if reg.status == "failed":
        raise RegistrationFailed(reg)
    if reg.status == "completed":
        return json_response(body, done)
    headers = {"Location": status_link(reg), "Retry-After": RETRY_AFTER_S}
    return json_response(body, 202, headers=headers)


def referenced_actoren(body: KlantcontactRegistratieInput) -> list[tuple[str, str]]:
    """(field, actor uuid) of every actor an interne taak of this request is assigned to."""
    pa_taak = body.productaanvraag.interne_taak if body.productaanvraag else None
    return toegewezen_actoren(
        [("interneTaak", body.interne_taak), ("productaanvraag.interneTaak", pa_taak)]
    )


def data_subject(body: KlantcontactRegistratieInput) -> list[DataSubject]:
    klant = body.klant
    if klant.bsn:
        return [DataSubject.bsn(klant.bsn)]
    if klant.kvk_nummer:
        return [DataSubject.kvk(klant.kvk_nummer)]
    if klant.partij_id:
        return [DataSubject.partij(klant.partij_id)]
    return []  # an unknown caller: the audit record still says who registered what


async def beller_verificatie(
    svc: Services, body: KlantcontactRegistratieInput, medewerker: Medewerker, key: str | None
) -> BellerVerificatie | None:
    """What the klantcontact records about verifying the caller: with
    `klantbeeld.require_verification` always, otherwise only a valid verificatie.

    A retry with the same `Idempotency-Key` keeps what the first request found (the
    verificatie may have expired since, or been forgotten by a restart). A partij not
    shown in a klantbeeld under this verificatie is looked up for its BSN; when
    Klantinteracties cannot say, the caller counts as not verified (the call is kept).
    """
    if key is not None:
        earlier = await svc.registration_store.get_by_idempotency_key(key, medewerker.subject)
        if earlier is not None and earlier.kind == KLANTCONTACT_KIND:
            found = earlier.payload.get("verificatie")
            if found == "geverifieerd":
                return "geverifieerd"
            return "niet-geverifieerd" if found == "niet-geverifieerd" else None
    required = svc.settings.klantbeeld.require_verification
    ver, klant = body.verificatie, body.klant
    geldig = svc.verificaties.geldig
    if geldig(ver, medewerker.subject, bsn=klant.bsn, partij=klant.partij_id):
        return "geverifieerd"
    if ver is not None and klant.bsn is None and klant.partij_id is not None:
        try:  # a verificatie is of a person: the partij's BSN
            partij = await svc.upstreams.klantinteracties.get_partij(klant.partij_id)
        except (NotFound, UpstreamFailure):
            partij = None
        if partij is not None and geldig(ver, medewerker.subject, bsn=bsn_of(partij)):
            return "geverifieerd"
    return "niet-geverifieerd" if required else None


async def registreer_klantcontact(request: Request) -> Response:
    """Register a klantcontact with its betrokkene, onderwerp, actor, contact details,
    interne taak and productaanvraag in one request. See the module docstring for the
    answers (201, 202 + Location, 422, 502 registration-failed)."""
    medewerker = current_medewerker(request)
    svc = services(request)
    problems: list[InvalidParam] = []
    key = idempotency_key(request, problems)
    raw, parsed = await read_json(request)
    body = validate(KlantcontactRegistratieInput, raw, problems)
    problems += code_problems(parsed, await svc.codes.tables(), date.today())
    if body is not None:
        problems += registratie_problems(
            body, allow_unidentified=svc.settings.registration.allow_unidentified_callers
        )
    if problems:
        raise InvalidInput(problems)
    problems = await reference_problems(
        svc,
        actoren=referenced_actoren(body),
        partij=("klant.partijId", body.klant.partij_id),
        zaak=("zaak", body.zaak),
    )
    if problems:
        raise InvalidInput(problems)
    verificatie = await beller_verificatie(svc, body, medewerker, key)
    payload = plan_input(body, medewerker, verificatie).model_dump(mode="json")
    async with processing(
        request, KLANTCONTACT_ACTIVITY, action="create", subjects=data_subject(body)
    ):
        submission = await svc.registrations.register(
            kind=KLANTCONTACT_KIND,
            owner=medewerker.subject,
            payload=payload,
            idempotency_key=key,
        )
    reg = submission.registration
    return answer(reg, compose_klantcontact_registratie(reg))


IDEMPOTENCY_KEY = Param(
    "Idempotency-Key",
    "header",
    "Makes a retry safe: the same key and body answer with the first registration.",
    schema={"type": "string", "maxLength": 200},
)

routes = [
    api_route(
        "POST",
        "/api/v1/klantcontacten",
        registreer_klantcontact,
        summary="Register a call: klantcontact, klant, contact details, interne taak",
        tag="klantcontacten",
        request=KlantcontactRegistratieInput,
        responses={201: KlantcontactRegistratie, 202: KlantcontactRegistratie},
        params=[IDEMPOTENCY_KEY],
    ),
]
