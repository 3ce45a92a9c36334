"""Registration steps for a partij: find or create it by BSN or KvK-nummer, add digitale adressen.

Both steps are idempotent by looking first: the partij by its identificator (globally
unique upstream; a duplicate-identificator race is answered by looking again), the
digitale adressen among the partij's own, compared normalised. They serve the kinds
`partij` (`POST /api/v1/partijen`) and `digitale-adressen`
(`POST /api/v1/partijen/{id}/digitale-adressen`), and the klantcontact plan reuses them.

A partij created for a BSN is named from the BRP. When the BRP fails, the step is retried
(transient) for `BRP_NAAM_ATTEMPTS` attempts, then the partij is created without a name:
a BRP outage delays a registration, it never blocks it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from bff.auth.identity import Medewerker
from bff.compose.partij_registratie_plan import (
    BRP_NAAM_FIELDS,
    DigitaleAdressenPlanInput,
    NieuwDigitaalAdres,
    NieuwePartij,
    PartijPlanInput,
    UitBrp,
    adressen_plan,
    digitaal_adres_create,
    identificator,
    partij_create,
    uit_brp,
    voorkeur,
)
from bff.errors import UpstreamError, UpstreamUnavailable
from bff.etag import Locks
from bff.logs import get_logger
from bff.privacy.purpose import brp_purpose_headers
from bff.registration.plan import Plan, StepContext, StepSpec
from bff.registration.runner import RegistrationRunner
from bff.settings import Settings
from bff.upstreams.brp import BrpClient
from bff.upstreams.klantinteracties import DuplicatePartijIdentificator, KlantinteractiesClient
from bff.upstreams.klantinteracties.models import (
    Partij,
    PartijIdentificatorGroepType,
)
from bff.upstreams.klantinteracties.writes import PartijCreate

log = get_logger("bff.registration.partij")

PARTIJ_KIND = "partij"
DIGITALE_ADRESSEN_KIND = "digitale-adressen"
PARTIJ_ACTIVITY = "partij_registreren"
BRP_NAAM_ATTEMPTS = 3

T = TypeVar("T")


@dataclass(frozen=True)
class PartijUpstreams:
    """What the partij steps need of the running BFF (passed in, not looked up)."""

    klantinteracties: KlantinteractiesClient
    brp: BrpClient
    settings: Settings  # the BRP purpose headers per activity
    write_locks: Locks  # one read-compare-write per partij at a time


async def all_of(calls: Sequence[Awaitable[T]]) -> list[T]:
    """Run calls concurrently, let every one finish, then raise the first failure if any
    (no call is left running unobserved; a retry finds what the others made)."""
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return list(outcomes)  # type: ignore[arg-type]  # no exceptions left


NaamLookup = Callable[[str], Awaitable[UitBrp]]


class PartijSource(Protocol):
    """What finding or creating a partij needs of the Klantinteracties client."""

    name: str

    async def find_partij(self, identificator: PartijIdentificatorGroepType) -> Partij | None: ...

    async def create_partij(self, partij: PartijCreate) -> Partij: ...


def brp_naam(up: PartijUpstreams, *, owner: str, attempt: int, activity: str) -> NaamLookup:
    """Looks up a person's name and geheimhouding in the BRP: nothing when unknown there,
    and nothing (so the partij is made unnamed, without the flag) once the BRP has failed
    `BRP_NAAM_ATTEMPTS` attempts."""
    headers = brp_purpose_headers(up.settings, activity, Medewerker(subject=owner, naam=owner))

    async def lookup(bsn: str) -> UitBrp:
        try:
            personen = await up.brp.raadpleeg_met_burgerservicenummer(
                [bsn], fields=BRP_NAAM_FIELDS, purpose_headers=headers
            )
        except (UpstreamUnavailable, UpstreamError):
            if attempt < BRP_NAAM_ATTEMPTS:
                raise
            log.warning("partij_brp_naam_unavailable", attempt=attempt)
            return UitBrp()
        return uit_brp(personen[0] if personen else None)

    return lookup


async def find_or_create_partij(
    ki: PartijSource, nieuw: NieuwePartij, naam_uit_brp: NaamLookup
) -> dict[str, Any]:
    """`{"partij": uuid, "nieuw": bool}`: the partij with this identificator, made if absent.

    Someone else may register the same BSN between our lookup and our create: Open Klant
    then refuses the duplicate identificator, and the partij is looked up again.
    """
    ident = identificator(nieuw.sleutel)
    found = await ki.find_partij(ident)
    if found is not None:
        return {"partij": found.uuid, "nieuw": False}
    brp = UitBrp()
    if nieuw.sleutel.soort == "bsn":  # also with a given name: the geheimhouding flag
        brp = await naam_uit_brp(nieuw.sleutel.nummer)
    try:
        made = await ki.create_partij(
            partij_create(nieuw, brp.contactnaam, geheimhouding=brp.geheimhouding)
        )
    except DuplicatePartijIdentificator:
        again = await ki.find_partij(ident)
        if again is None:  # removed again meanwhile: try later
            raise UpstreamError(
                ki.name, "The partij was registered and removed meanwhile.", reason="race"
            ) from None
        log.info("partij_found_after_duplicate")
        return {"partij": again.uuid, "nieuw": False}
    return {"partij": made.uuid, "nieuw": True}


async def add_partij_adressen(
    up: PartijUpstreams, partij_uuid: str, wanted: Sequence[NieuwDigitaalAdres]
) -> dict[str, Any]:
    """Add the addresses the partij lacks; make the preferred one its voorkeursDigitaalAdres.

    One GET shows the partij with its addresses (also what an earlier attempt made), the
    missing ones are created concurrently, and the preference is PATCHed only if it changes
    (Open Klant takes it only for an address the partij already has: create, then PATCH).
    Open Klant has no uniqueness on `adres`, so within this BFF the read-compare-write
    holds the partij's write lock; registrations on other replicas may still race.
    """
    async with up.write_locks.hold(f"partij:{partij_uuid}"):
        return await _add_partij_adressen(up.klantinteracties, partij_uuid, wanted)


async def _add_partij_adressen(
    ki: KlantinteractiesClient, partij_uuid: str, wanted: Sequence[NieuwDigitaalAdres]
) -> dict[str, Any]:
    partij = await ki.get_partij(partij_uuid, expand=["digitaleAdressen"])
    present = (partij.expand.digitale_adressen if partij.expand else None) or ()
    plan = adressen_plan(wanted, present)
    made = await all_of(
        [
            ki.create_digitaal_adres(digitaal_adres_create(wanted[i], partij=partij.uuid))
            for i in plan.missing
        ]
    )
    uuids = plan.filled([adres.uuid for adres in made])
    result: dict[str, Any] = {"digitaleAdressen": uuids, "toegevoegd": [a.uuid for a in made]}
    preferred = voorkeur(wanted, uuids)
    if preferred:
        current = partij.voorkeurs_digitaal_adres.uuid if partij.voorkeurs_digitaal_adres else None
        if current != preferred:
            await ki.set_voorkeurs_digitaal_adres(partij, preferred)
        result["voorkeursDigitaalAdres"] = preferred
    return result


def partij_plan(up: PartijUpstreams, payload: Mapping[str, Any]) -> Plan:
    data = PartijPlanInput.model_validate(payload)
    ki = up.klantinteracties

    async def partij(ctx: StepContext) -> dict[str, Any]:
        lookup = brp_naam(up, owner=ctx.owner, attempt=ctx.attempt, activity=PARTIJ_ACTIVITY)
        return await find_or_create_partij(ki, data.partij, lookup)

    async def adressen(ctx: StepContext) -> dict[str, Any]:
        return await add_partij_adressen(
            up, ctx.results["partij"]["partij"], data.digitale_adressen
        )

    plan = {"partij": StepSpec(partij)}
    if data.digitale_adressen:
        plan["digitale-adressen"] = StepSpec(adressen, depends_on=("partij",))
    return plan


def digitale_adressen_plan(up: PartijUpstreams, payload: Mapping[str, Any]) -> Plan:
    data = DigitaleAdressenPlanInput.model_validate(payload)

    async def adressen(ctx: StepContext) -> dict[str, Any]:
        return await add_partij_adressen(up, data.partij, data.digitale_adressen)

    return {"digitale-adressen": StepSpec(adressen)}


def register_partij_plans(runner: RegistrationRunner, up: PartijUpstreams) -> None:
    """The plans behind `POST /api/v1/partijen` and `.../{id}/digitale-adressen`."""
    runner.register_kind(PARTIJ_KIND, lambda payload: partij_plan(up, payload))
    runner.register_kind(
        DIGITALE_ADRESSEN_KIND, lambda payload: digitale_adressen_plan(up, payload)
    )
