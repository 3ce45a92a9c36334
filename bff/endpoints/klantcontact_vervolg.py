"""`POST /api/v1/klantcontacten/{id}/vervolg`: add to a klantcontact after the call.

One or more parts (`bff.compose.klantcontact_vervolg`): an interne taak assigned to one or
more actoren, the zaak it was about, a productaanvraag or an existing object as bijlage,
contact details for this request. The request is checked whole first, then every
reference it makes: the klantcontact (404; it also decides who may change it), each actor
(known and active), the zaak, the object, and for contact details a betrokkene on the
klantcontact. Any problem is a 422 naming the field, before anything is journalled or
written. As for a registration (`bff.endpoints.references`), an actor, zaak or object
that cannot be checked because its register is down does not refuse the follow-up: the
step that uses it checks it. A good request is journalled
(kind `klantcontact-vervolg`) and run like a registration, with its answers (201, 202 +
Location, 502 `registration-failed`) and `Idempotency-Key` (the same key and body answer
with the first follow-up, another body 422).

A klantcontact that is vertrouwelijk is changed only by a medewerker who may read it (403).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bff.auth.identity import can_read_vertrouwelijk, current_medewerker
from bff.compose.klantbeeld_partij import bsn_of
from bff.compose.klantcontact_vervolg import (
    UNKNOWN_OBJECT,
    BijlageObject,
    KlantcontactVervolg,
    VervolgInput,
    VervolgPlanInput,
    bijlage_code,
    compose_klantcontact_vervolg,
    toegewezen_actoren,
    vervolg_problems,
)
from bff.compose.partij_registratie import nieuwe_adressen
from bff.endpoints.klantcontact_registratie import (
    IDEMPOTENCY_KEY,
    answer,
    idempotency_key,
    read_json,
    validate,
)
from bff.endpoints.klantcontacten import VERTROUWELIJK
from bff.endpoints.references import reference_problems
from bff.errors import Forbidden, InvalidInput, InvalidParam, NotFound, UpstreamFailure
from bff.http import Param, api_route
from bff.logs import get_logger
from bff.privacy.processing import DataSubject
from bff.privacy.recorder import processing
from bff.registration.klantcontact_vervolg import VERVOLG_ACTIVITY, VERVOLG_KIND
from bff.services import Services, services
from bff.upstreams.klantinteracties import KlantinteractiesClient
from bff.upstreams.klantinteracties.models import Betrokkene

log = get_logger("bff.references")


async def _bijlage_object(svc: Services, body: VervolgInput) -> BijlageObject | InvalidParam | None:
    if body.bijlage is None:
        return None
    try:
        found = await svc.upstreams.objecten.get_object(body.bijlage.object)
    except NotFound:
        return InvalidParam("bijlage.object", UNKNOWN_OBJECT, "unknown-object")
    except UpstreamFailure as exc:  # as bff.endpoints.references: the step checks it
        log.warning("reference_check_skipped", kind="object", upstream=exc.upstream)
        return BijlageObject(uuid=body.bijlage.object, code_objecttype=None)
    code = bijlage_code(found, svc.settings.objecten)
    return BijlageObject(uuid=found.uuid, code_objecttype=code)


async def _aanvrager_bsn(svc: Services, body: VervolgInput, partij: str | None) -> str | None:
    """The BSN of the caller for a productaanvraag, when the betrokkene is a known persoon."""
    if body.productaanvraag is None or partij is None:
        return None
    return bsn_of(await svc.upstreams.klantinteracties.get_partij(partij))


async def _checked(*checks: Awaitable[Any]) -> list[Any]:
    return list(await asyncio.gather(*checks))


async def voeg_vervolg_toe(request: Request) -> Response:
    """Add an interne taak, a zaak, a productaanvraag or object, or contact details to a
    klantcontact. See the module docstring for the answers."""
    medewerker = current_medewerker(request)
    svc = services(request)
    ki = svc.upstreams.klantinteracties
    kc_id = KlantinteractiesClient.check_id(request.path_params["id"], "klantcontact")
    problems: list[InvalidParam] = []
    key = idempotency_key(request, problems)
    raw, _ = await read_json(request)
    body = validate(VervolgInput, raw, problems)
    if body is not None:
        problems += vervolg_problems(body)
    if problems:
        raise InvalidInput(problems)
    async with processing(request, VERVOLG_ACTIVITY, action="update") as verwerking:
        kc = await ki.get_klantcontact(kc_id, expand=("hadBetrokkenen",))  # 404 first
        if kc.vertrouwelijk and not can_read_vertrouwelijk(medewerker):
            raise Forbidden(VERTROUWELIJK)
        betrokkenen: tuple[Betrokkene, ...] = (
            kc.expand.had_betrokkenen if kc.expand else None
        ) or ()
        betrokkene = betrokkenen[0] if betrokkenen else None
        partij = betrokkene.was_partij.uuid if betrokkene and betrokkene.was_partij else None
        if partij:
            verwerking.add(DataSubject.partij(partij))
        pa_taak = body.productaanvraag.interne_taak if body.productaanvraag else None
        actoren = toegewezen_actoren(
            [("interneTaak", body.interne_taak), ("productaanvraag.interneTaak", pa_taak)]
        )
        problems, bijlage, bsn = await _checked(
            reference_problems(svc, actoren=actoren, zaak=("zaak", body.zaak)),
            _bijlage_object(svc, body),
            _aanvrager_bsn(svc, body, partij),
        )
        if isinstance(bijlage, InvalidParam):
            problems.append(bijlage)
        if body.digitale_adressen and betrokkene is None:
            problems.append(
                InvalidParam(
                    "digitaleAdressen",
                    "This klantcontact has no betrokkene to give contact details for.",
                    "no-betrokkene",
                )
            )
        if problems:
            raise InvalidInput(problems)
        payload = VervolgPlanInput(
            klantcontact=kc.uuid,
            betrokkene=betrokkene.uuid if betrokkene else None,
            interne_taak=body.interne_taak.gegevens() if body.interne_taak else None,
            zaak=body.zaak,
            productaanvraag=body.productaanvraag.gegevens(bsn) if body.productaanvraag else None,
            bijlage=bijlage,
            adressen_betrokkene=nieuwe_adressen(body.digitale_adressen),
        )
        submission = await svc.registrations.register(
            kind=VERVOLG_KIND,
            owner=medewerker.subject,
            payload=payload.model_dump(mode="json"),
            idempotency_key=key,
        )
    reg = submission.registration
    return answer(reg, compose_klantcontact_vervolg(reg))


routes = [
    api_route(
        "POST",
        "/api/v1/klantcontacten/{id}/vervolg",
        voeg_vervolg_toe,
        summary="Follow up a klantcontact: interne taak, zaak, productaanvraag, bijlage, "
        "contact details",
        tag="klantcontacten",
        request=VervolgInput,
        responses={201: KlantcontactVervolg, 202: KlantcontactVervolg},
        params=[Param("id", "path", "The klantcontact's uuid.", required=True), IDEMPOTENCY_KEY],
    ),
]
