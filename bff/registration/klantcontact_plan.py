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
referentienummer must be this call's (`same_klantcontact`); when another klantcontact
carries the number (a fresh or lost journal, another BFF minting from the same range),
the step raises `ReferentienummerTaken` and the runner takes the next free number from
the store: a collision never fails a call, nor attaches it to someone else's. The
partij and its digitale adressen are always looked up first
(`bff.registration.partij_plan`): they may exist before this registration. The steps that
add to the klantcontact are shared with a follow-up (`bff.registration.klantcontact_vervolg`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bff.compose.klantcontact_registratie_plan import (
    KlantcontactPlanInput,
    ProductaanvraagGegevens,
    maak_klantcontact,
    productaanvraag_taak,
    same_klantcontact,
    step_graph,
)
from bff.errors import UpstreamRejected
from bff.medewerker_actor import MedewerkerActors
from bff.registration.klantcontact_opruimen import Opruimen
from bff.registration.klantcontact_vervolg import (
    VERVOLG_KIND,
    VervolgUpstreams,
    add_adressen_betrokkene,
    add_bijlage,
    add_internetaak,
    add_productaanvraag,
    vervolg_plan,
)
from bff.registration.partij_plan import (
    PartijUpstreams,
    add_partij_adressen,
    brp_naam,
    find_or_create_partij,
)
from bff.registration.plan import (
    Plan,
    ReferentienummerTaken,
    StepCall,
    StepContext,
    StepSpec,
    referentienummer_taken,
)
from bff.registration.runner import RegistrationRunner
from bff.upstreams.klantinteracties.models import Klantcontact

KLANTCONTACT_KIND = "klantcontact"
OPRUIMEN = "opruimen"  # removes what a write with an unknown outcome made twice
KLANTCONTACT_ACTIVITY = "klantcontact_registreren"


def _ids(
    klantcontact: Klantcontact, betrokkene: str | None, onderwerpobject: str | None
) -> dict[str, Any]:
    result: dict[str, Any] = {"klantcontact": klantcontact.uuid}
    if betrokkene:
        result["betrokkene"] = betrokkene
    if onderwerpobject:
        result["onderwerpobject"] = onderwerpobject
    return result


@dataclass(frozen=True)
class KlantcontactUpstreams:
    """What the steps of a klantcontact registration need of the running BFF."""

    partij: PartijUpstreams
    vervolg: VervolgUpstreams
    medewerker_actoren: MedewerkerActors


class KlantcontactSteps:
    """The step callables of one registration, over the clients passed in."""

    def __init__(self, upstreams: KlantcontactUpstreams, data: KlantcontactPlanInput) -> None:
        self.upstreams = upstreams
        self.data = data
        self.ki = upstreams.vervolg.klantinteracties
        self.up = upstreams.vervolg

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

    async def partij(self, ctx: StepContext) -> dict[str, Any]:
        if self.data.nieuwe_partij is None:  # not in the plan then
            raise ValueError("this registration has no partij to find or create")
        lookup = brp_naam(
            self.upstreams.partij,
            owner=ctx.owner,
            attempt=ctx.attempt,
            activity=KLANTCONTACT_ACTIVITY,
        )
        return await find_or_create_partij(self.ki, self.data.nieuwe_partij, lookup)

    async def actor(self, ctx: StepContext) -> dict[str, Any]:
        found = await self.upstreams.medewerker_actoren.get_or_create(
            self.data.medewerker.medewerker()
        )
        return {"actor": found.uuid}

    async def klantcontact(self, ctx: StepContext) -> dict[str, Any]:
        moment = self.data.klantcontact.plaatsgevonden_op or await self.up.received_at(ctx)
        if ctx.attempt > 1:
            found = await self._ours(ctx, moment)
            if found is not None:
                return found
        body = maak_klantcontact(
            self.data,
            referentienummer=ctx.referentienummer,
            partij=self._partij(ctx),
            plaatsgevonden_op=moment,
        )
        try:
            made = await self.ki.maak_klantcontact(body)
        except UpstreamRejected as exc:
            if not referentienummer_taken(exc):
                raise
            found = await self._ours(ctx, moment)  # an earlier attempt of ours, committed late?
            if found is None:
                raise ReferentienummerTaken from exc
            return found
        return _ids(
            made.klantcontact,
            made.betrokkene.uuid if made.betrokkene else None,
            made.onderwerpobject.uuid if made.onderwerpobject else None,
        )

    async def _ours(self, ctx: StepContext, moment: datetime) -> dict[str, Any] | None:
        """The ids of the klantcontact with this registration's referentienummer, None when
        there is none; `ReferentienummerTaken` when another klantcontact has the number
        (never attach this call to someone else's: the runner takes the next number)."""
        found = await self.ki.find_klantcontact(ctx.referentienummer)
        if found is None:
            return None
        if not same_klantcontact(found, self.data.klantcontact, moment):
            raise ReferentienummerTaken
        betrokkene = found.had_betrokkenen[0].uuid if found.had_betrokkenen else None
        onderwerp = found.ging_over_onderwerpobjecten
        return _ids(found, betrokkene, onderwerp[0].uuid if onderwerp else None)

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
        return await add_partij_adressen(self.upstreams.partij, partij, self.data.adressen_partij)

    async def digitale_adressen_betrokkene(self, ctx: StepContext) -> dict[str, Any]:
        betrokkene = ctx.results["klantcontact"]["betrokkene"]
        return await add_adressen_betrokkene(
            self.up, ctx, betrokkene, self.data.adressen_betrokkene, look_first=False
        )

    async def internetaak(self, ctx: StepContext) -> dict[str, Any]:
        if self.data.interne_taak is None:
            raise ValueError("this registration asks for no interne taak")
        klantcontact = ctx.results["klantcontact"]["klantcontact"]
        return await add_internetaak(
            self.up,
            ctx,
            klantcontact,
            self.data.interne_taak,
            other_step="internetaak-productaanvraag",
        )

    def _productaanvraag(self) -> ProductaanvraagGegevens:
        if self.data.productaanvraag is None:
            raise ValueError("this registration has no productaanvraag")
        return self.data.productaanvraag

    async def productaanvraag(self, ctx: StepContext) -> dict[str, Any]:
        return await add_productaanvraag(self.up, ctx, self._productaanvraag())

    async def bijlage(self, ctx: StepContext) -> dict[str, Any]:
        klantcontact = ctx.results["klantcontact"]["klantcontact"]
        return await add_bijlage(
            self.up, ctx, klantcontact, ctx.results["productaanvraag"]["object"]
        )

    async def internetaak_productaanvraag(self, ctx: StepContext) -> dict[str, Any]:
        taak = productaanvraag_taak(
            self._productaanvraag(), ctx.results["productaanvraag"]["object"]
        )
        klantcontact = ctx.results["klantcontact"]["klantcontact"]
        return await add_internetaak(self.up, ctx, klantcontact, taak, other_step="internetaak")


def klantcontact_plan(upstreams: KlantcontactUpstreams, payload: Mapping[str, Any]) -> Plan:
    """The plan of one klantcontact registration, built from its journalled payload."""
    data = KlantcontactPlanInput.model_validate(payload)
    calls = KlantcontactSteps(upstreams, data).calls()
    plan = {name: StepSpec(calls[name], deps) for name, deps in step_graph(data).items()}
    opruimen = Opruimen(upstreams.vervolg.klantinteracties, data)
    return {**plan, OPRUIMEN: StepSpec(opruimen, tuple(plan))}  # last: after every write


def register_klantcontact_plans(
    runner: RegistrationRunner, upstreams: KlantcontactUpstreams
) -> None:
    """The plans behind `POST /api/v1/klantcontacten` and `.../{id}/vervolg`, also for
    resuming after a restart."""
    runner.register_kind(KLANTCONTACT_KIND, lambda payload: klantcontact_plan(upstreams, payload))
    runner.register_kind(VERVOLG_KIND, lambda payload: vervolg_plan(upstreams.vervolg, payload))
