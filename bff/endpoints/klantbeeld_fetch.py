"""Fetching the klantbeeld: every upstream read, concurrently, within one time budget.

    round 1   Klantinteracties partij (+ digitale adressen)      by identificator or uuid
              Klantinteracties klantcontacten page (+ betrokkenen, partij, interne taken,
                onderwerpobjecten, bijlagen: one call)           by identificator or uuid
              BRP persoon (minimal `fields`)                     by BSN
              Zaken `_zoek` (+ zaaktype, status, statustype)     by BSN or KvK-nummer
                (a vestiging's: the zaken list by vestigingsnummer)
    round 2   actoren of interne taken (TTL cache, fetched concurrently when missing)
              for a partijId: BRP and Zaken, once the partij named its BSN (Zaken also
                for its KvK-nummer / vestigingsnummer)
              zaaktype/status through the Catalogi cache, only if Zaken ignored `expand`
    round 3   statustypen, in that same fallback

When the budget runs out, what has not arrived is `timeout`; what failed is `failed`;
the rest is composed. Only a partijId whose partij does not exist raises (`NotFound`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from bff.actor_cache import ActorCache, ActorLookup
from bff.codes import CodeTables
from bff.codes_cache import Codes
from bff.compose.klantbeeld import Fetched, KlantbeeldSources, SectionProblem
from bff.compose.klantbeeld_partij import bsn_of, organisatie_of
from bff.compose.klantbeeld_persoon import BRP_FIELDS
from bff.compose.klantbeeld_request import Subject
from bff.compose.klantcontact import (
    KLANTCONTACT_VIEW_EXPAND,
    inline_actoren,
    interne_taak_actor_uuids,
)
from bff.compose.paging import Paging
from bff.compose.zaak import ZaakParts
from bff.errors import UpstreamFailure, UpstreamUnavailable
from bff.upstreams.brp import BrpClient, Persoon
from bff.upstreams.catalogi import CatalogiClient, StatusType, ZaakType
from bff.upstreams.klantinteracties import KlantinteractiesClient
from bff.upstreams.klantinteracties.models import Actor, Partij, PartijIdentificatorGroepType
from bff.upstreams.zaken import ZAAK_EXPAND, Status, Zaak, ZakenClient

T = TypeVar("T")
R = TypeVar("R")
PARTIJ_VIEW_EXPAND = ("digitaleAdressen",)


@dataclass(frozen=True)
class KlantbeeldUpstreams:
    klantinteracties: KlantinteractiesClient
    brp: BrpClient
    zaken: ZakenClient
    catalogi: CatalogiClient
    actor_cache: ActorCache
    codes: Codes


def identificator_of(subject: Subject) -> PartijIdentificatorGroepType | None:
    """The partij-identificator to look the subject up by (None for a partijId)."""
    if subject.bsn is not None:
        return PartijIdentificatorGroepType.bsn(subject.bsn)
    if subject.vestigingsnummer is not None:
        return PartijIdentificatorGroepType.vestigingsnummer(subject.vestigingsnummer)
    if subject.kvk_nummer is not None:
        return PartijIdentificatorGroepType.kvk_nummer(subject.kvk_nummer)
    return None


class _Run:
    """The tasks of one klantbeeld; each section's outcome is read off its task."""

    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[Any]] = []

    def spawn(self, work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.ensure_future(work)
        self.tasks.append(task)
        return task

    async def wait(self, budget_s: float) -> None:
        await asyncio.wait(self.tasks, timeout=budget_s)

    async def cancel_rest(self) -> None:
        """Cancel what is still running; every outcome counts as retrieved."""
        pending = [t for t in self.tasks if not t.done()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in self.tasks:
            if not task.cancelled():
                task.exception()


def problem_of(error: UpstreamFailure) -> SectionProblem:
    timeout = isinstance(error, UpstreamUnavailable) and error.reason == "timeout"
    return SectionProblem(upstream=error.upstream, reason="timeout" if timeout else "failed")


def outcome(task: asyncio.Task[T | None], upstream: str) -> Fetched[T]:
    """The task's value, or why there is none: not done (budget passed) is a timeout."""
    if not task.done() or task.cancelled():
        return Fetched.failed(upstream, "timeout")
    error = task.exception()
    if error is None:
        return Fetched(value=task.result())
    if isinstance(error, UpstreamFailure):
        return Fetched(problem=problem_of(error))
    raise error  # NotFound of a requested partij, or a bug: not a section's problem


async def _persoon(brp: BrpClient, bsn: str | None, headers: Mapping[str, str]) -> Persoon | None:
    if bsn is None:
        return None
    found = await brp.raadpleeg_met_burgerservicenummer(
        [bsn], fields=BRP_FIELDS, purpose_headers=headers
    )
    return found[0] if found else None


class StatusSource(Protocol):
    async def get_status(self, ref: str) -> Status: ...


class CatalogiSource(Protocol):
    async def get_zaaktype(self, url: str) -> ZaakType: ...

    async def get_statustype(self, url: str) -> StatusType: ...


async def resolve_zaak_parts(
    zaken_client: StatusSource, catalogi: CatalogiSource, zaken: Sequence[Zaak]
) -> Fetched[dict[str, ZaakParts]]:
    """The Catalogi-cache fallback for zaken that came without `expand`.

    Each lookup fails on its own: a zaaktype that cannot be resolved (unreachable, or on
    a host we do not talk to) leaves that one zaak without it, the others stay complete,
    and the first failure is reported so the zaken section shows `partial`.
    """
    failures: list[UpstreamFailure] = []

    async def quiet(call: Coroutine[Any, Any, R]) -> R | None:
        try:
            return await call
        except UpstreamFailure as exc:
            failures.append(exc)
            return None

    async def one(zaak: Zaak) -> ZaakParts:
        status_call = quiet(zaken_client.get_status(zaak.status)) if zaak.status else _none()
        zaaktype, status = await asyncio.gather(
            quiet(catalogi.get_zaaktype(zaak.zaaktype)), status_call
        )
        statustype = await quiet(catalogi.get_statustype(status.statustype)) if status else None
        return ZaakParts(zaaktype=zaaktype, status=status, statustype=statustype)

    bare = [z for z in zaken if z.expand is None]
    resolved = await asyncio.gather(*(one(z) for z in bare))
    parts = {z.uuid: p for z, p in zip(bare, resolved, strict=True)}
    return Fetched(value=parts, problem=problem_of(failures[0]) if failures else None)


async def _none() -> None:
    return None


async def gather_klantbeeld(
    up: KlantbeeldUpstreams,
    subject: Subject,
    paging: Paging,
    *,
    budget_s: float,
    zaken_limit: int,
    brp_headers: Mapping[str, str],
) -> tuple[KlantbeeldSources, CodeTables]:
    """Run every read of the klantbeeld within `budget_s`; see the module docstring."""
    ki, run = up.klantinteracties, _Run()
    ident = identificator_of(subject)
    if ident is not None:
        partij_t = run.spawn(ki.find_partij(ident, expand=PARTIJ_VIEW_EXPAND))
        kc_t = run.spawn(
            ki.klantcontacten_page(
                partij_identificator=ident,
                page=paging.page,
                page_size=paging.page_size,
                expand=KLANTCONTACT_VIEW_EXPAND,
            )
        )
    else:
        partij_id = subject.partij_id or ""
        partij_t = run.spawn(ki.get_partij(partij_id, expand=PARTIJ_VIEW_EXPAND))
        kc_t = run.spawn(
            ki.klantcontacten_page(
                partij_uuid=partij_id,
                page=paging.page,
                page_size=paging.page_size,
                expand=KLANTCONTACT_VIEW_EXPAND,
            )
        )

    async def bsn() -> str | None:
        if subject.kind == "bsn":
            return subject.bsn
        if subject.kind == "kvk":
            return None
        partij = await asyncio.shield(partij_t)
        return bsn_of(partij) if partij else None

    async def actoren() -> ActorLookup:
        page = await asyncio.shield(kc_t)
        up.actor_cache.remember(inline_actoren(page.items))
        return await up.actor_cache.get_many(interne_taak_actor_uuids(page.items))

    async def persoon() -> Persoon | None:
        return await _persoon(up.brp, await bsn(), brp_headers)

    async def zaken() -> list[Zaak] | None:
        partij = await asyncio.shield(partij_t) if subject.kind == "partij" else None
        betrokkene = zaken_betrokkene(subject, partij)
        if betrokkene is None:
            return None
        if isinstance(betrokkene, str):
            return await up.zaken.zaken_of_persoon(
                betrokkene, page_size=zaken_limit, limit=zaken_limit, expand=ZAAK_EXPAND
            )
        kvk_nummer, vestigingsnummer = betrokkene
        return await up.zaken.zaken_of_organisatie(
            kvk_nummer,
            vestigingsnummer=vestigingsnummer,
            page_size=zaken_limit,
            limit=zaken_limit,
            expand=ZAAK_EXPAND,
        )

    async def parts() -> Fetched[dict[str, ZaakParts]]:
        found = await asyncio.shield(zaken_t)
        return await resolve_zaak_parts(up.zaken, up.catalogi, found or [])

    codes_t = run.spawn(up.codes.tables())
    actoren_t = run.spawn(actoren())
    persoon_t = run.spawn(persoon())
    zaken_t = run.spawn(zaken())
    parts_t = run.spawn(parts())
    try:
        await run.wait(budget_s)
        partij = outcome(partij_t, "klantinteracties")
        known_bsn = _known_bsn(subject, partij)
        sources = KlantbeeldSources(
            partij=partij,
            klantcontacten=outcome(kc_t, "klantinteracties"),
            actoren=_found(outcome(actoren_t, "klantinteracties")),
            persoon=outcome(persoon_t, "brp") if known_bsn else None,
            zaken=_list(outcome(zaken_t, "zaken")) if _has_zaken(subject, partij) else None,
            zaak_parts=_flatten(outcome(parts_t, "catalogi")),
            bsn=known_bsn,
            page=paging.page,
            page_size=paging.page_size,
        )
        tables = codes_t.result() if codes_t.done() else up.codes.snapshot()
    finally:
        await run.cancel_rest()
    return sources, tables


def _flatten(fetched: Fetched[Fetched[T]]) -> Fetched[T]:
    """The inner outcome when the task itself finished, else why it did not."""
    return fetched.value if fetched.value is not None else Fetched(problem=fetched.problem)


def zaken_betrokkene(
    subject: Subject, partij: Partij | None
) -> str | tuple[str, str | None] | None:
    """Whose zaken: a BSN, or a KvK-nummer with the vestigingsnummer of a vestiging.

    From the request, or for a partijId from the partij's identificatoren (the BSN first).
    """
    if subject.kind == "bsn":
        return subject.bsn
    if subject.kind == "kvk" and subject.kvk_nummer is not None:
        return subject.kvk_nummer, subject.vestigingsnummer
    if partij is None:
        return None
    return bsn_of(partij) or organisatie_of(partij)


def _has_zaken(subject: Subject, partij: Fetched[Partij]) -> bool:
    """Whether the zaken section applies (a partij that did not arrive: unknown, not shown)."""
    return zaken_betrokkene(subject, partij.value) is not None


def _known_bsn(subject: Subject, partij: Fetched[Partij]) -> str | None:
    if subject.kind == "bsn":
        return subject.bsn
    if subject.kind == "partij" and partij.value is not None:
        return bsn_of(partij.value)
    return None


def _list(fetched: Fetched[list[Zaak] | None]) -> Fetched[list[Zaak]]:
    """No zaken found is an empty list, not "nothing there"."""
    return Fetched(value=fetched.value or [], problem=fetched.problem)


def _found(fetched: Fetched[ActorLookup]) -> Fetched[Mapping[str, Actor]]:
    """The actoren found, with the problem of those that could not be fetched."""
    lookup = fetched.value
    if lookup is None:
        return Fetched(problem=fetched.problem)
    problem = problem_of(lookup.failure) if lookup.failure else None
    return Fetched(value=lookup.found, problem=problem)
