"""The klantbeeld: everything a KCC agent needs about a caller, in one answer of sections.

Pure. The endpoint gathers `KlantbeeldSources` (each part `Fetched`: a value, or the
upstream that timed out or failed) within its time budget; `compose_klantbeeld` turns
them into sections, each with its own `status`:

    ok           everything the section needs arrived
    partial      the section is shown, but something it refers to is missing (the actoren
                 of interne taken, the zaaktype/status of zaken); `problems` says what
    unavailable  its source timed out or failed; `problems` names the upstream and reason

Sections: `partij` (Klantinteracties), `persoon` (BRP; null when no BSN is known),
`klantcontacten` (Klantinteracties, newest first, paged with an opaque cursor), `zaken`
(Zaken API; by BSN or KvK-nummer, a vestiging's by vestigingsnummer; null when neither is
known). No section is essential by itself: `verdict` says 503 only when every source
failed, and 404 when every source answered and none knows the person. A request by
partijId needs Klantinteracties (the endpoint's rule).
`nietGeregistreerd`: BRP knows the BSN, Klantinteracties has no partij for it.
`geheimhouding`: the partij or the BRP says the person's data are confidential.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, Literal, TypeVar

from bff.codes import CodeTables
from bff.compose import paging
from bff.compose.actor import ActorViews
from bff.compose.base import OutModel
from bff.compose.klantbeeld_partij import PartijView, compose_partij
from bff.compose.klantbeeld_persoon import PersoonView, compose_persoon
from bff.compose.klantcontact import KlantcontactView, compose_klantcontact, expanded_partijen
from bff.compose.zaak import ZaakParts, ZaakView, compose_zaak, index_zaken, zaken_newest_first
from bff.upstreams.brp import Persoon
from bff.upstreams.klantinteracties import PageOf
from bff.upstreams.klantinteracties.models import Actor, Klantcontact, Partij
from bff.upstreams.zaken import Zaak

T = TypeVar("T", covariant=True)  # a frozen outcome: Fetched[Partij] is a Fetched[object]
SectionStatus = Literal["ok", "partial", "unavailable"]
Reason = Literal["timeout", "failed"]
Verdict = Literal["ok", "not_found", "unavailable"]
_UNDATED = datetime.min.replace(tzinfo=UTC)


class SectionProblem(OutModel):
    """Which upstream let the section down, and whether it timed out or failed."""

    upstream: str
    reason: Reason


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """One source's outcome: `value` (None: nothing there), or the `problem` that stopped it."""

    value: T | None = None
    problem: SectionProblem | None = None

    @classmethod
    def failed(cls, upstream: str, reason: Reason) -> Fetched[T]:
        return cls(problem=SectionProblem(upstream=upstream, reason=reason))


@dataclass(frozen=True)
class KlantbeeldSources:
    """What the endpoint gathered. None: not applicable (`persoon`: no BSN; `zaken`: no BSN
    and no KvK-nummer)."""

    partij: Fetched[Partij]
    klantcontacten: Fetched[PageOf[Klantcontact]]
    actoren: Fetched[Mapping[str, Actor]]
    persoon: Fetched[Persoon] | None
    zaken: Fetched[list[Zaak]] | None
    zaak_parts: Fetched[Mapping[str, ZaakParts]]
    bsn: str | None
    page: int
    page_size: int


class PartijSection(OutModel):
    status: SectionStatus
    problems: list[SectionProblem]
    partij: PartijView | None = None


class PersoonSection(OutModel):
    status: SectionStatus
    problems: list[SectionProblem]
    persoon: PersoonView | None = None


class KlantcontactenSection(OutModel):
    """`count`: all klantcontacten of the partij; `nextCursor`: pass it for the next page."""

    status: SectionStatus
    problems: list[SectionProblem]
    items: list[KlantcontactView]
    count: int | None = None
    page_size: int
    next_cursor: str | None = None


class ZakenSection(OutModel):
    status: SectionStatus
    problems: list[SectionProblem]
    items: list[ZaakView]


class Klantbeeld(OutModel):
    """`persoon` is null when no BSN is known; `zaken` when neither a BSN nor a KvK-nummer is."""

    partij: PartijSection
    persoon: PersoonSection | None = None
    klantcontacten: KlantcontactenSection
    zaken: ZakenSection | None = None
    niet_geregistreerd: bool
    geheimhouding: bool
    codes_stale: bool = False


# -- cursor ---------------------------------------------------------------------------

KLANTBEELD_CURSOR = "kb1"


def encode_cursor(page: int, page_size: int) -> str:
    return paging.encode_cursor(KLANTBEELD_CURSOR, page, page_size)


def decode_cursor(cursor: str) -> tuple[int, int]:
    """(page, page size) from a klantbeeld cursor; ValueError for anything else."""
    return paging.decode_cursor(KLANTBEELD_CURSOR, cursor)


# -- sections -------------------------------------------------------------------------


def _status(main: SectionProblem | None, extra: list[SectionProblem]) -> SectionStatus:
    if main is not None:
        return "unavailable"
    return "partial" if extra else "ok"


def _problems(*fetched: Fetched[object] | None) -> list[SectionProblem]:
    return [f.problem for f in fetched if f is not None and f.problem is not None]


def _zaken_section(
    zaken: Fetched[list[Zaak]], parts: Fetched[Mapping[str, ZaakParts]]
) -> ZakenSection:
    resolved = parts.value or {}
    views = [
        compose_zaak(
            z,
            zaaktype=resolved.get(z.uuid, ZaakParts()).zaaktype,
            status=resolved.get(z.uuid, ZaakParts()).status,
            statustype=resolved.get(z.uuid, ZaakParts()).statustype,
        )
        for z in zaken.value or ()
    ]
    extra = _problems(parts) if zaken.problem is None else []
    return ZakenSection(
        status=_status(zaken.problem, extra),
        problems=_problems(zaken) + extra,
        items=zaken_newest_first(views),
    )


def _klantcontacten_section(
    sources: KlantbeeldSources,
    codes: CodeTables,
    zaken: Mapping[str, ZaakView],
    may_read_vertrouwelijk: bool,
) -> KlantcontactenSection:
    page = sources.klantcontacten.value
    items = list(page.items) if page else []
    partijen = expanded_partijen(items)
    if sources.partij.value is not None:
        partijen.setdefault(sources.partij.value.uuid, sources.partij.value)
    actors_by_uuid = sources.actoren.value or {}
    actor_views = ActorViews(codes, actors_by_uuid)
    views = [
        compose_klantcontact(
            kc,
            codes=codes,
            actors_by_uuid=actors_by_uuid,
            zaken_by_uuid=zaken,
            may_read_vertrouwelijk=may_read_vertrouwelijk,
            partijen_by_uuid=partijen,
            actor_views=actor_views,
        )
        for kc in items
    ]
    # newest first, as Open Klant sends them; sorted again so the contract holds anyway
    views.sort(key=lambda v: v.plaatsgevonden_op or _UNDATED, reverse=True)
    main = sources.klantcontacten.problem
    extra = _problems(sources.actoren) if main is None and items else []
    return KlantcontactenSection(
        status=_status(main, extra),
        problems=_problems(sources.klantcontacten) + extra,
        items=views,
        count=page.count if page else None,
        page_size=sources.page_size,
        next_cursor=encode_cursor(sources.page + 1, sources.page_size)
        if page and page.has_next
        else None,
    )


def compose_klantbeeld(
    sources: KlantbeeldSources, *, codes: CodeTables, may_read_vertrouwelijk: bool
) -> Klantbeeld:
    partij = sources.partij.value
    persoon = sources.persoon.value if sources.persoon else None
    zaken_section = (
        _zaken_section(sources.zaken, sources.zaak_parts) if sources.zaken is not None else None
    )
    zaken_index = index_zaken(zaken_section.items) if zaken_section else {}
    persoon_section = None
    if sources.persoon is not None:
        persoon_section = PersoonSection(
            status=_status(sources.persoon.problem, []),
            problems=_problems(sources.persoon),
            persoon=compose_persoon(persoon, sources.bsn or "", codes) if persoon else None,
        )
    return Klantbeeld(
        partij=PartijSection(
            status=_status(sources.partij.problem, []),
            problems=_problems(sources.partij),
            partij=compose_partij(partij, codes) if partij else None,
        ),
        persoon=persoon_section,
        klantcontacten=_klantcontacten_section(sources, codes, zaken_index, may_read_vertrouwelijk),
        zaken=zaken_section,
        niet_geregistreerd=(
            persoon is not None and partij is None and sources.partij.problem is None
        ),
        geheimhouding=bool(
            (partij and partij.indicatie_geheimhouding)
            or (persoon and persoon.geheimhouding_persoonsgegevens)
        ),
        codes_stale=codes.stale,
    )


def verdict(sources: KlantbeeldSources) -> Verdict:
    """`unavailable` when every source failed; `not_found` when all answered, none knows."""
    main: list[Fetched[object]] = [sources.partij, sources.klantcontacten]
    main += [f for f in (sources.persoon, sources.zaken) if f is not None]
    if all(f.problem is not None for f in main):
        return "unavailable"
    if any(f.problem is not None for f in main):
        return "ok"
    page = sources.klantcontacten.value
    known = (
        sources.partij.value is not None
        or (sources.persoon is not None and sources.persoon.value is not None)
        or bool(page and page.items)
        or bool(sources.zaken is not None and sources.zaken.value)
    )
    return "ok" if known else "not_found"
