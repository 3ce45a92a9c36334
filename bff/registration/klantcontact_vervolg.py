"""Registration steps that add to a klantcontact: at registration time and as a follow-up.

A registration (`bff.registration.klantcontact_plan`) and a follow-up on an existing
klantcontact (`POST /api/v1/klantcontacten/{id}/vervolg`, kind `klantcontact-vervolg`)
share these steps, and their names:

    internetaak                   an interne taak, assigned to one or more actoren
    onderwerpobject               the zaak it was about (follow-up only: a registration
                                  makes it inside maak-klantcontact)
    digitale-adressen-betrokkene  contact details for this request, of the betrokkene
    productaanvraag               an Objects API object under a uuid fixed per registration
    bijlage                       the bijlage naming that productaanvraag
    internetaak-productaanvraag   the colleague's interne taak to make the zaak from it
    bijlage-object                a bijlage naming an existing object (follow-up only)

Each step is idempotent (`bff.registration.runner`). Creating what is already there is
avoided by looking first: on a later attempt always, and for a follow-up also on the
first (the klantcontact existed before: linking a zaak or object it already names, or
giving a contact detail its betrokkene already has, adds nothing). The steps get the
upstream clients they need (`VervolgUpstreams`), not the whole running BFF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bff.compose.klantcontact_registratie_plan import (
    PRODUCTAANVRAAG_OBJECTTYPE,
    InterneTaakGegevens,
    ProductaanvraagGegevens,
    bijlage_create,
    internetaak_create,
    productaanvraag_data,
    productaanvraag_taak,
    productaanvraag_uuid,
    same_internetaak,
    zaak_identificator,
)
from bff.compose.klantcontact_vervolg import (
    UNKNOWN_OBJECT,
    VervolgPlanInput,
    bijlage_code,
    vervolg_step_graph,
)
from bff.compose.partij_registratie_plan import (
    NieuwDigitaalAdres,
    adressen_plan,
    digitaal_adres_create,
)
from bff.errors import InvalidInput, NotFound, UpstreamRejected
from bff.registration.plan import Plan, StepContext, StepSpec
from bff.registration.store import RegistrationStore
from bff.settings import ObjectenUpstreamSettings
from bff.upstreams.klantinteracties import KlantinteractiesClient
from bff.upstreams.klantinteracties.models import DigitaalAdres
from bff.upstreams.klantinteracties.writes import OnderwerpobjectCreate
from bff.upstreams.objecten import ObjectenClient

VERVOLG_KIND = "klantcontact-vervolg"
VERVOLG_ACTIVITY = "klantcontact_vervolg"
LOOKUP_PAGE_SIZE = 100


@dataclass(frozen=True)
class VervolgUpstreams:
    """What the steps that add to a klantcontact need of the running BFF."""

    klantinteracties: KlantinteractiesClient
    objecten: ObjectenClient
    objecten_settings: ObjectenUpstreamSettings  # the productaanvraag objecttype
    store: RegistrationStore  # when the request was received

    async def received_at(self, ctx: StepContext) -> datetime:
        """When the BFF received the request: a retry hours later keeps its time."""
        reg = await self.store.get(ctx.registration_id)
        return reg.created_at if reg is not None else datetime.now(UTC)


async def add_internetaak(
    up: VervolgUpstreams,
    ctx: StepContext,
    klantcontact: str,
    taak: InterneTaakGegevens,
    *,
    other_step: str,
) -> dict[str, Any]:
    """The interne taak; a later attempt first looks for the one an earlier attempt made
    (not the one `other_step` of this registration made)."""
    ki = up.klantinteracties
    wanted = internetaak_create(taak, klantcontact)
    if ctx.attempt > 1:
        theirs = ctx.results.get(other_step, {}).get("internetaak")
        page = await ki.internetaken_page(
            aanleidinggevend_klantcontact_uuid=klantcontact, page_size=LOOKUP_PAGE_SIZE
        )
        for existing in page.items:
            if existing.uuid != theirs and same_internetaak(existing, wanted):
                return {"internetaak": existing.uuid}
    made = await ki.create_internetaak(wanted)
    return {"internetaak": made.uuid}


async def add_adressen_betrokkene(
    up: VervolgUpstreams,
    ctx: StepContext,
    betrokkene: str,
    wanted: Sequence[NieuwDigitaalAdres],
    *,
    look_first: bool,
) -> dict[str, Any]:
    """Contact details for this request: digitale adressen the betrokkene does not have yet."""
    ki = up.klantinteracties
    present: Sequence[DigitaalAdres] = ()
    if look_first or ctx.attempt > 1:
        found = await ki.get_betrokkene(betrokkene, expand=["digitaleAdressen"])
        present = (found.expand.digitale_adressen if found.expand else None) or ()
    plan = adressen_plan(wanted, present)
    made = [
        await ki.create_digitaal_adres(digitaal_adres_create(wanted[i], betrokkene=betrokkene))
        for i in plan.missing
    ]
    return {"digitaleAdressen": plan.filled([adres.uuid for adres in made])}


async def add_productaanvraag(
    up: VervolgUpstreams, ctx: StepContext, pa: ProductaanvraagGegevens
) -> dict[str, Any]:
    """The request data as an object in the Objects API, under a uuid the BFF chose."""
    objecten = up.objecten
    object_uuid = productaanvraag_uuid(ctx.registration_id)
    if ctx.attempt > 1:
        try:
            return {"object": (await objecten.get_object(object_uuid)).uuid}
        except NotFound:
            pass
    settings = up.objecten_settings
    try:
        made = await objecten.create_object(
            type_url=str(settings.productaanvraag_objecttype_url),
            type_version=settings.productaanvraag_objecttype_version,
            data=productaanvraag_data(pa),
            start_at=(await up.received_at(ctx)).astimezone().date(),
            object_uuid=object_uuid,
        )
    except UpstreamRejected as exc:
        if not any(p.name == "uuid" for p in exc.invalid_params):
            raise
        made = await objecten.get_object(object_uuid)  # a parallel attempt made it
    return {"object": made.uuid}


async def add_bijlage(
    up: VervolgUpstreams,
    ctx: StepContext,
    klantcontact: str,
    object_uuid: str,
    *,
    code_objecttype: str = PRODUCTAANVRAAG_OBJECTTYPE,
    look_first: bool = False,
) -> dict[str, Any]:
    """A bijlage naming the object, unless the klantcontact already has one naming it."""
    ki = up.klantinteracties
    if look_first or ctx.attempt > 1:
        for existing in await ki.list_bijlagen(klantcontact):
            ident = existing.bijlageidentificator
            if ident is not None and ident.object_id == object_uuid:
                return {"bijlage": existing.uuid}
    made = await ki.create_bijlage(bijlage_create(klantcontact, object_uuid, code_objecttype))
    return {"bijlage": made.uuid}


async def add_onderwerpobject(up: VervolgUpstreams, klantcontact: str, zaak: str) -> dict[str, Any]:
    """The zaak as onderwerpobject, unless the klantcontact is already about it."""
    ki = up.klantinteracties
    for existing in await ki.list_onderwerpobjecten(klantcontact):
        ident = existing.onderwerpobjectidentificator
        if ident is not None and ident.code_objecttype == "zaak" and ident.object_id == zaak:
            return {"onderwerpobject": existing.uuid}
    made = await ki.create_onderwerpobject(
        OnderwerpobjectCreate(
            klantcontact=klantcontact, onderwerpobjectidentificator=zaak_identificator(zaak)
        )
    )
    return {"onderwerpobject": made.uuid}


def vervolg_plan(up: VervolgUpstreams, payload: Mapping[str, Any]) -> Plan:
    """The plan of one follow-up, built from its journalled payload."""
    data = VervolgPlanInput.model_validate(payload)
    kc = data.klantcontact

    async def internetaak(ctx: StepContext) -> dict[str, Any]:
        if data.interne_taak is None:  # not in the plan then
            raise ValueError("this follow-up asks for no interne taak")
        return await add_internetaak(
            up, ctx, kc, data.interne_taak, other_step="internetaak-productaanvraag"
        )

    async def onderwerpobject(ctx: StepContext) -> dict[str, Any]:
        if data.zaak is None:
            raise ValueError("this follow-up links no zaak")
        return await add_onderwerpobject(up, kc, data.zaak)

    async def adressen(ctx: StepContext) -> dict[str, Any]:
        if data.betrokkene is None:  # refused before this is journalled
            raise ValueError("contact details for this request need a betrokkene")
        return await add_adressen_betrokkene(
            up, ctx, data.betrokkene, data.adressen_betrokkene, look_first=True
        )

    def pa() -> ProductaanvraagGegevens:
        if data.productaanvraag is None:
            raise ValueError("this follow-up has no productaanvraag")
        return data.productaanvraag

    async def productaanvraag(ctx: StepContext) -> dict[str, Any]:
        return await add_productaanvraag(up, ctx, pa())

    async def bijlage(ctx: StepContext) -> dict[str, Any]:
        return await add_bijlage(up, ctx, kc, ctx.results["productaanvraag"]["object"])

    async def internetaak_productaanvraag(ctx: StepContext) -> dict[str, Any]:
        taak = productaanvraag_taak(pa(), ctx.results["productaanvraag"]["object"])
        return await add_internetaak(up, ctx, kc, taak, other_step="internetaak")

    async def bijlage_object(ctx: StepContext) -> dict[str, Any]:
        if data.bijlage is None:
            raise ValueError("this follow-up attaches no object")
        code = data.bijlage.code_objecttype
        if code is None:  # not checked when journalled: the Objects API was down
            try:
                found = await up.objecten.get_object(data.bijlage.uuid)
            except NotFound:
                raise InvalidInput.one("bijlage.object", UNKNOWN_OBJECT, "unknown-object") from None
            code = bijlage_code(found, up.objecten_settings)
        return await add_bijlage(
            up, ctx, kc, data.bijlage.uuid, code_objecttype=code, look_first=True
        )

    calls = {
        "internetaak": internetaak,
        "onderwerpobject": onderwerpobject,
        "digitale-adressen-betrokkene": adressen,
        "productaanvraag": productaanvraag,
        "bijlage": bijlage,
        "internetaak-productaanvraag": internetaak_productaanvraag,
        "bijlage-object": bijlage_object,
    }
    return {name: StepSpec(calls[name], deps) for name, deps in vervolg_step_graph(data).items()}
