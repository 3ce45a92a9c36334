"""`POST /api/v1/partijen/zoeken`: finding the caller in Klantinteracties and the BRP.

Personal data travels in the body only. One criterion per search, each with its own
fetch plan (upstream calls bounded by `zoeken.max_hits` and run concurrently, at most
`zoeken.lookup_concurrency` partij lookups at once):

    bsn              partij by identificator  ||  BRP RaadpleegMetBurgerservicenummer
    geslachtsnaam / postcode
                     BRP zoek (needed: 503 when it fails) -> partij per BSN found
    telefoonnummer / emailadres
                     digitale adressen -> their partijen -> one BRP raadplegen (enrichment:
                     200 with a warning when it fails)
    kvkNummer        partij by KvK-nummer (|| by vestigingsnummer); no HR upstream

Klantinteracties is needed by every plan (it says whether the caller is registered), so
its failures are answered as they come. Every hit returned is one processing record.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response

from bff.auth.identity import current_medewerker
from bff.compose.zoeken import (
    BRP_FIELDS,
    PartijSearchResult,
    PartijSearchWarning,
    brp_unavailable,
    bsns_of,
    compose_search_result,
    data_subjects,
    merge_hits,
    partij_uuids,
    rank_personen,
    same_emailadres,
)
from bff.compose.zoeken_criteria import (
    ByAdres,
    ByBsn,
    ByEmailadres,
    ByKvkNummer,
    ByNaam,
    ByTelefoonnummer,
    Criterion,
    PartijSearchRequest,
    telefoonnummer_variants,
)
from bff.errors import BffError, NotFound, UpstreamFailure, UpstreamRejected, UpstreamUnavailable
from bff.http import api_route, json_response, parse_body
from bff.privacy.purpose import brp_purpose_headers
from bff.privacy.recorder import processing
from bff.services import Services, services
from bff.upstreams.brp import Persoon
from bff.upstreams.klantinteracties.models import DigitaalAdres, Partij
from bff.upstreams.klantinteracties.models import PartijIdentificatorGroepType as Identificator

ACTIVITY = "partijen_zoeken"
T = TypeVar("T")


@dataclass
class Found:
    """What the upstreams gave for one search, before merging."""

    partijen: list[Partij] = field(default_factory=list)
    personen: list[Persoon] = field(default_factory=list)
    omitted: int = 0  # candidates beyond max_hits, never looked up


@asynccontextmanager
async def _task_group() -> AsyncIterator[asyncio.TaskGroup]:
    """A TaskGroup (siblings cancelled on failure) raising our first error, not a group."""
    try:
        async with asyncio.TaskGroup() as group:
            yield group
    except ExceptionGroup as failed:
        leaves = failed.exceptions
        first = next((e for e in leaves if isinstance(e, BffError)), None)
        if first is None:
            raise
        raise first from first.__cause__


class _Search:
    """The fetch plans of one search request."""

    def __init__(self, svc: Services, request: Request) -> None:
        self.ki = svc.upstreams.klantinteracties
        self.brp = svc.upstreams.brp
        self.max_hits = svc.settings.zoeken.max_hits
        self.slots = asyncio.Semaphore(svc.settings.zoeken.lookup_concurrency)
        self.brp_headers = brp_purpose_headers(svc.settings, ACTIVITY, current_medewerker(request))
        self.warnings: list[PartijSearchWarning] = []

    async def run(self, criterion: Criterion) -> Found:
        match criterion:
            case ByBsn():
                return await self.by_bsn(criterion)
            case ByKvkNummer():
                return await self.by_kvk_nummer(criterion)
            case ByNaam():
                return await self.with_partijen(await self.brp_needed(self.zoek_naam(criterion)))
            case ByAdres():
                return await self.with_partijen(await self.brp_needed(self.zoek_adres(criterion)))
            case ByTelefoonnummer():
                return await self.by_telefoonnummer(criterion)
            case ByEmailadres():
                return await self.by_emailadres(criterion)

    # -- plans ------------------------------------------------------------------------

    async def by_bsn(self, criterion: ByBsn) -> Found:
        async with _task_group() as group:
            partij = group.create_task(self.ki.find_partij(Identificator.bsn(criterion.bsn)))
            personen = group.create_task(self.brp_enrichment([criterion.bsn]))
        found = partij.result()
        return Found([found] if found else [], personen.result())

    async def by_kvk_nummer(self, criterion: ByKvkNummer) -> Found:
        lookups = [self.ki.find_partij(Identificator.kvk_nummer(criterion.kvk_nummer))]
        if criterion.vestigingsnummer:  # the vestiging first: it is what the caller named
            lookups.insert(
                0, self.ki.find_partij(Identificator.vestigingsnummer(criterion.vestigingsnummer))
            )
        return Found([p for p in await self.bounded(lookups) if p is not None])

    async def by_telefoonnummer(self, criterion: ByTelefoonnummer) -> Found:
        variants = telefoonnummer_variants(criterion.telefoonnummer)
        lists = await self.bounded(
            self.ki.find_digitale_adressen(v, soort="telefoonnummer") for v in variants
        )
        return await self.via_adressen([a for found in lists for a in found])

    async def by_emailadres(self, criterion: ByEmailadres) -> Found:
        found = await self.ki.find_digitale_adressen_containing(criterion.emailadres, soort="email")
        return await self.via_adressen(same_emailadres(found, criterion.emailadres))

    # -- steps --------------------------------------------------------------------------

    def zoek_naam(self, c: ByNaam) -> Awaitable[list[Persoon]]:
        return self.brp.zoek_met_geslachtsnaam_en_geboortedatum(
            geslachtsnaam=c.geslachtsnaam,
            geboortedatum=c.geboortedatum,
            voornamen=c.voornamen,
            voorvoegsel=c.voorvoegsel,
            fields=BRP_FIELDS,
            purpose_headers=self.brp_headers,
        )

    def zoek_adres(self, c: ByAdres) -> Awaitable[list[Persoon]]:
        return self.brp.zoek_met_postcode_en_huisnummer(
            postcode=c.postcode,
            huisnummer=c.huisnummer,
            huisletter=c.huisletter,
            huisnummertoevoeging=c.huisnummertoevoeging,
            fields=BRP_FIELDS,
            purpose_headers=self.brp_headers,
        )

    async def with_partijen(self, personen: list[Persoon]) -> Found:
        """The partij of each BRP person kept (one lookup per BSN: no multi-value filter)."""
        ranked = rank_personen(personen)
        kept = ranked[: self.max_hits]
        bsns = [p.burgerservicenummer for p in kept if p.burgerservicenummer]
        found = await self.bounded(self.ki.find_partij(Identificator.bsn(b)) for b in bsns)
        partijen = [p for p in found if p is not None]
        return Found(partijen, kept, omitted=len(ranked) - len(kept))

    async def via_adressen(self, adressen: Sequence[DigitaalAdres]) -> Found:
        uuids = partij_uuids(adressen)
        kept = uuids[: self.max_hits]
        found = await self.bounded(self.partij_or_none(u) for u in kept)
        partijen = [p for p in found if p is not None]
        return Found(partijen, await self.brp_enrichment(bsns_of(partijen)), len(uuids) - len(kept))

    async def partij_or_none(self, uuid: str) -> Partij | None:
        try:
            return await self.ki.get_partij(uuid)
        except NotFound:  # removed since its digitaal adres was read
            return None

    async def brp_needed(self, call: Awaitable[list[Persoon]]) -> list[Persoon]:
        """A BRP search: without its answer there is nothing to show (503 naming brp)."""
        try:
            return await call
        except UpstreamRejected:
            raise  # our request was wrong: a bug, not an outage
        except UpstreamFailure as exc:
            raise UpstreamUnavailable(
                "brp",
                "The BRP is not available right now. Search by BSN, phone number or e-mail "
                "address (Klantinteracties), or try again in a moment.",
                reason=exc.reason,
            ) from exc

    async def brp_enrichment(self, bsns: list[str]) -> list[Persoon]:
        """BRP data for partijen already found; when the BRP fails, a warning instead."""
        if not bsns:
            return []
        try:
            return await self.brp.raadpleeg_met_burgerservicenummer(
                bsns, fields=BRP_FIELDS, purpose_headers=self.brp_headers
            )
        except UpstreamRejected:
            raise
        except UpstreamFailure as exc:
            self.warnings.append(brp_unavailable(exc.reason))
            return []

    async def bounded(self, calls: Iterable[Awaitable[T]]) -> list[T]:
        """Run `calls` concurrently, at most `lookup_concurrency` at once, in order."""

        async def one(call: Awaitable[T]) -> T:
            async with self.slots:
                return await call

        async with _task_group() as group:
            tasks = [group.create_task(one(call)) for call in calls]
        return [t.result() for t in tasks]


async def zoek_partijen(request: Request) -> Response:
    """Find the caller by exactly one criterion: BSN, KvK-nummer, geslachtsnaam with
    geboortedatum, postcode with huisnummer, phone number or e-mail address. Every hit
    says whether the person is known in Klantinteracties (`bron`: klantinteracties,
    beide) or only to the BRP (`brp`: not yet registered). At most `zoeken.max_hits` hits;
    `count` and `truncated` say when more matched. A search the BRP must answer (name,
    address) is a 503 when the BRP is down; otherwise the hits come with a warning."""
    criterion = (await parse_body(request, PartijSearchRequest)).criterion()
    svc = services(request)
    search = _Search(svc, request)
    async with processing(request, ACTIVITY, action="search") as verwerking:
        found = await search.run(criterion)
        result = compose_search_result(
            merge_hits(found.partijen, found.personen),
            max_hits=search.max_hits,
            omitted=found.omitted,
            warnings=search.warnings,
        )
        verwerking.add(*data_subjects(result))
    return json_response(result)


routes = [
    api_route(
        "POST",
        "/api/v1/partijen/zoeken",
        zoek_partijen,
        summary="Find the caller (partijen and BRP persons)",
        tag="partijen",
        request=PartijSearchRequest,
        responses={200: PartijSearchResult},
    ),
]
