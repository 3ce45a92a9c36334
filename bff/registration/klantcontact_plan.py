"""Registration steps of a klantcontact: everything an agent entered at the end of a call.

The plan (`bff.compose.klantcontact_registratie_plan.step_graph`):

    partij (BSN/KvK: find or create) ──> klantcontact (maak-klantcontact: klantcontact,
    actor (medewerker, cached)            betrokkene, onderwerpobject in one transaction)
    productaanvraag (Objects API)          ├─> actorklantcontact (also waits for actor)
    digitale-adressen (of the partij)      ├─> internetaak
                                           ├─> digitale-adressen-betrokkene
                                           ├─> bijlage (also waits for productaanvraag)
                                           └─> internetaak-productaanvraag (idem)

Every step is idempotent (see `bff.registration.runner`). A step's first attempt cannot
have made anything before, so it creates straight away; a later attempt first looks for
what an earlier one may have made: the klantcontact by its referentienummer, the actor
link, interne taak, bijlage and digitale adressen on the klantcontact or betrokkene, the
productaanvraag object by the uuid the BFF chose for it. A klantcontact found by the
referentienummer must be this call's (`same_klantcontact`); another one carrying the same
number fails the registration for good rather than having this call attached to it. The
partij and its digitale
adressen are always looked up first (`bff.registration.partij_plan`): they may exist
before this registration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from bff.compose.klantcontact_registratie_plan import (
    InterneTaakGegevens,
    KlantcontactPlanInput,
    ProductaanvraagGegevens,
    bijlage_create,
    internetaak_create,
    maak_klantcontact,
    productaanvraag_data,
    productaanvraag_taak,
    productaanvraag_uuid,
    same_internetaak,
    same_klantcontact,
    step_graph,
)
from bff.compose.partij_registratie_plan import adressen_plan, digitaal_adres_create
from bff.errors import InvalidParam, NotFound, UpstreamRejected
from bff.registration.partij_plan import (
    add_partij_adressen,
    all_of,
    brp_naam,
    find_or_create_partij,
)
from bff.registration.plan import Plan, StepCall, StepContext, StepSpec
from bff.services import Services
from bff.upstreams.klantinteracties.models import DigitaalAdres, Klantcontact

KLANTCONTACT_KIND = "klantcontact"
KLANTCONTACT_ACTIVITY = "klantcontact_registreren"
LOOKUP_PAGE_SIZE = 100


def _ids(
    klantcontact: Klantcontact, betrokkene: str | None, onderwerpobject: str | None
) -> dict[str, Any]:
    result: dict[str, Any] = {"klantcontact": klantcontact.uuid}
    if betrokkene:
        result["betrokkene"] = betrokkene
    if onderwerpobject:
        result["onderwerpobject"] = onderwerpobject
    return result


class KlantcontactSteps:
    """The step callables of one registration, over the running BFF's clients."""

    def __init__(self, svc: Services, data: KlantcontactPlanInput) -> None:
        self.svc = svc
        self.data = data
        self.ki = svc.upstreams.klantinteracties

    def calls(self) -> dict[str, StepCall]:
        return {
            "partij": self.partij,
            "actor": self.actor,
            "klantcontact": self.klantcontact,
            "actorklantcontact": self.actorklantcontact,
            "digitale-adressen": self.digitale_adressen,
            "digitale-adressen-betrokkene": self.digitale_adressen_betrokkene,
            "internetaak": self.internetaak,
            "productaanvraag": self.productaanvraag,
            "bijlage": self.bijlage,
            "internetaak-productaanvraag": self.internetaak_productaanvraag,
        }

    def _partij(self, ctx: StepContext) -> str | None:
        if self.data.partij is not None:
            return self.data.partij
        made = ctx.results.get("partij", {}).get("partij")
        return str(made) if made else None

    async def _received_at(self, ctx: StepContext) -> datetime:
        """When the BFF received the request: a retry hours later keeps the call's time."""
        reg = await self.svc.registration_store.get(ctx.registration_id)
        return reg.created_at if reg is not None else datetime.now(UTC)

    async def partij(self, ctx: StepContext) -> dict[str, Any]:
        if self.data.nieuwe_partij is None:  # not in the plan then
            raise ValueError("this registration has no partij to find or create")
        lookup = brp_naam(
            self.svc, owner=ctx.owner, attempt=ctx.attempt, activity=KLANTCONTACT_ACTIVITY
        )
        return await find_or_create_partij(self.ki, self.data.nieuwe_partij, lookup)

    async def actor(self, ctx: StepContext) -> dict[str, Any]:
        found = await self.svc.medewerker_actoren.get_or_create(self.data.medewerker.medewerker())
        return {"actor": found.uuid}

    async def klantcontact(self, ctx: StepContext) -> dict[str, Any]:
        moment = self.data.klantcontact.plaatsgevonden_op or await self._received_at(ctx)
        if ctx.attempt > 1:
            found = await self.ki.find_klantcontact(ctx.referentienummer)
            if found is not None:
                if not same_klantcontact(found, self.data.klantcontact, moment):
                    raise UpstreamRejected(  # never attach this call to someone else's
                        "klantinteracties",
                        "Another klantcontact already has this referentienummer.",
                        invalid_params=[
                            InvalidParam("referentienummer", "in use by another klantcontact")
                        ],
                    )
                betrokkene = found.had_betrokkenen[0].uuid if found.had_betrokkenen else None
                onderwerp = found.ging_over_onderwerpobjecten
                return _ids(found, betrokkene, onderwerp[0].uuid if onderwerp else None)
        body = maak_klantcontact(
            self.data,
            referentienummer=ctx.referentienummer,
            partij=self._partij(ctx),
            plaatsgevonden_op=moment,
        )
        made = await self.ki.maak_klantcontact(body)
        return _ids(
            made.klantcontact,
            made.betrokkene.uuid if made.betrokkene else None,
            made.onderwerpobject.uuid if made.onderwerpobject else None,
        )

    async def actorklantcontact(self, ctx: StepContext) -> dict[str, Any]:
        klantcontact = ctx.results["klantcontact"]["klantcontact"]
        actor = ctx.results["actor"]["actor"]
        if ctx.attempt > 1:
            for link in await self.ki.list_actorklantcontacten(klantcontact_uuid=klantcontact):
                if link.actor.uuid == actor:
                    return {"actorklantcontact": link.uuid}
        made = await self.ki.create_actorklantcontact(
            actor_uuid=actor, klantcontact_uuid=klantcontact
        )
        return {"actorklantcontact": made.uuid}

    async def digitale_adressen(self, ctx: StepContext) -> dict[str, Any]:
        partij = self._partij(ctx)
        if partij is None:  # refused by the input checks before this is journalled
            raise ValueError("digitale adressen for general use need a partij")
        return await add_partij_adressen(self.svc, partij, self.data.adressen_partij)

    async def digitale_adressen_betrokkene(self, ctx: StepContext) -> dict[str, Any]:
        betrokkene = ctx.results["klantcontact"]["betrokkene"]
        wanted = self.data.adressen_betrokkene
        present: Sequence[DigitaalAdres] = ()
        if ctx.attempt > 1:
            found = await self.ki.get_betrokkene(betrokkene, expand=["digitaleAdressen"])
            present = (found.expand.digitale_adressen if found.expand else None) or ()
        plan = adressen_plan(wanted, present)
        made = await all_of(
            [
                self.ki.create_digitaal_adres(
                    digitaal_adres_create(wanted[i], betrokkene=betrokkene)
                )
                for i in plan.missing
            ]
        )
        return {"digitaleAdressen": plan.filled([adres.uuid for adres in made])}

    async def _internetaak(
        self, ctx: StepContext, taak: InterneTaakGegevens, other_step: str
    ) -> dict[str, Any]:
        klantcontact = ctx.results["klantcontact"]["klantcontact"]
        wanted = internetaak_create(taak, klantcontact)
        if ctx.attempt > 1:
            theirs = ctx.results.get(other_step, {}).get("internetaak")
            page = await self.ki.internetaken_page(
                aanleidinggevend_klantcontact_uuid=klantcontact, page_size=LOOKUP_PAGE_SIZE
            )
            for existing in page.items:
                if existing.uuid != theirs and same_internetaak(existing, wanted):
                    return {"internetaak": existing.uuid}
        made = await self.ki.create_internetaak(wanted)
        return {"internetaak": made.uuid}

    async def internetaak(self, ctx: StepContext) -> dict[str, Any]:
        if self.data.interne_taak is None:
            raise ValueError("this registration asks for no interne taak")
        return await self._internetaak(ctx, self.data.interne_taak, "internetaak-productaanvraag")

    def _productaanvraag(self) -> ProductaanvraagGegevens:
        if self.data.productaanvraag is None:
            raise ValueError("this registration has no productaanvraag")
        return self.data.productaanvraag

    async def productaanvraag(self, ctx: StepContext) -> dict[str, Any]:
        """The request data as an object in the Objects API, under a uuid the BFF chose."""
        objecten = self.svc.upstreams.objecten
        object_uuid = productaanvraag_uuid(ctx.registration_id)
        if ctx.attempt > 1:
            try:
                return {"object": (await objecten.get_object(object_uuid)).uuid}
            except NotFound:
                pass
        settings = self.svc.settings.objecten
        try:
            made = await objecten.create_object(
                type_url=str(settings.productaanvraag_objecttype_url),
                type_version=settings.productaanvraag_objecttype_version,
                data=productaanvraag_data(self._productaanvraag()),
                start_at=(await self._received_at(ctx)).astimezone().date(),
                object_uuid=object_uuid,
            )
        except UpstreamRejected as exc:
            if not any(p.name == "uuid" for p in exc.invalid_params):
                raise
            made = await objecten.get_object(object_uuid)  # a parallel attempt made it
        return {"object": made.uuid}

    async def bijlage(self, ctx: StepContext) -> dict[str, Any]:
        klantcontact = ctx.results["klantcontact"]["klantcontact"]
        object_uuid = ctx.results["productaanvraag"]["object"]
        if ctx.attempt > 1:
            for existing in await self.ki.list_bijlagen(klantcontact):
                ident = existing.bijlageidentificator
                if ident is not None and ident.object_id == object_uuid:
                    return {"bijlage": existing.uuid}
        made = await self.ki.create_bijlage(bijlage_create(klantcontact, object_uuid))
        return {"bijlage": made.uuid}

    async def internetaak_productaanvraag(self, ctx: StepContext) -> dict[str, Any]:
        taak = productaanvraag_taak(
            self._productaanvraag(), ctx.results["productaanvraag"]["object"]
        )
        return await self._internetaak(ctx, taak, "internetaak")


def klantcontact_plan(svc: Services, payload: Mapping[str, Any]) -> Plan:
    """The plan of one klantcontact registration, built from its journalled payload."""
    data = KlantcontactPlanInput.model_validate(payload)
    calls = KlantcontactSteps(svc, data).calls()
    return {name: StepSpec(calls[name], deps) for name, deps in step_graph(data).items()}


def register_klantcontact_plans(svc: Services) -> None:
    """The plan behind `POST /api/v1/klantcontacten`, also for resuming after a restart."""
    svc.registrations.register_kind(
        KLANTCONTACT_KIND, lambda payload: klantcontact_plan(svc, payload)
    )
