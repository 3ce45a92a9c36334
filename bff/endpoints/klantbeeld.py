"""The klantbeeld: who is calling and what happened before, in one answer.

    POST /api/v1/klantbeeld                   by bsn, kvkNummer (+ vestigingsnummer) or
                                              partijId, in the body (no BSN in a URL)
    GET  /api/v1/partijen/{id}/klantbeeld     a partij already known to the frontend

Sections (partij, persoon, klantcontacten, zaken) carry their own status; see
`bff.compose.klantbeeld`. Reads run concurrently within `klantbeeld.budget_s`
(`bff.endpoints.klantbeeld_fetch`); what is late is `unavailable`/`timeout` and the answer
is still 200. No section is essential by itself: 503 when every source failed, 404 when
every source answered and none knows the person. A partijId request needs
Klantinteracties: 404 for an unknown partij, 503 when Klantinteracties fails.
With `klantbeeld.require_verification` on, the klantbeeld of a person (a BSN, given or
named by the partij) needs the id of a valid verificatie of that person by this medewerker
(`verificatie`, see `bff.endpoints.verificaties`); without one the answer is 403
`verification-required`, which says only that the person is known (an unknown one is 404).
Processing: one record per data subject (the BSN; else the KvK-/vestigingsnummer or
the partij), activity `klantbeeld`.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response

from bff.admission import remaining_s
from bff.auth.identity import can_read_vertrouwelijk, current_medewerker
from bff.codes import CodeTables
from bff.compose.klantbeeld import Klantbeeld, KlantbeeldSources, compose_klantbeeld, verdict
from bff.compose.klantbeeld_request import (
    KlantbeeldQuery,
    KlantbeeldRequest,
    Subject,
    resolve_query,
    resolve_request,
)
from bff.compose.paging import Paging
from bff.endpoints.klantbeeld_fetch import KlantbeeldUpstreams, gather_klantbeeld
from bff.errors import NotFound, UpstreamUnavailable, VerificationRequired
from bff.http import Param, api_route, json_response, parse_body, parse_query
from bff.privacy.processing import DataSubject
from bff.privacy.purpose import brp_purpose_headers
from bff.privacy.recorder import Processing, processing
from bff.services import services

ACTIVITY = "klantbeeld"
NO_PARTIJ = "There is no partij with this id in Klantinteracties."
UNKNOWN = (
    "No partij, person, klantcontact or zaak is known for this caller. Check the number "
    "with the caller, or register them as a new partij."
)
ALL_FAILED = (
    "None of the registers answered (Klantinteracties, BRP, Zaken). Try again in a moment; "
    "if it persists, report a disruption."
)
UNVERIFIED = (
    "This person is known. Verify the caller first (control questions, "
    "POST /api/v1/verificaties) and ask again with the verificatie id."
)
KI_FAILED = "Klantinteracties did not answer, so this partij cannot be shown. Try again."


async def klantbeeld(request: Request) -> Response:
    """The klantbeeld of a caller found by exactly one of `bsn`, `kvkNummer` (with an
    optional `vestigingsnummer`) or `partijId`. `cursor`/`pageSize` page the klantcontacten."""
    cfg = services(request).settings.klantbeeld
    body = await parse_body(request, KlantbeeldRequest)
    subject, paging = resolve_request(
        body,
        default_page_size=cfg.klantcontacten_page_size,
        max_page_size=cfg.klantcontacten_max_page_size,
    )
    return await _answer(request, subject, paging, body.verificatie)


async def partij_klantbeeld(request: Request) -> Response:
    """The klantbeeld of a known partij; `cursor`/`pageSize` page the klantcontacten."""
    cfg = services(request).settings.klantbeeld
    try:
        partij_id = str(uuid.UUID(request.path_params["id"]))
    except ValueError:
        raise NotFound(NO_PARTIJ) from None
    query = parse_query(request, KlantbeeldQuery)
    subject, paging = resolve_query(
        partij_id,
        query,
        default_page_size=cfg.klantcontacten_page_size,
        max_page_size=cfg.klantcontacten_max_page_size,
    )
    return await _answer(request, subject, paging, query.verificatie)


def _subject(subject: Subject) -> DataSubject | None:
    if subject.bsn is not None:
        return DataSubject.bsn(subject.bsn)
    if subject.vestigingsnummer is not None:
        return DataSubject.vestiging(subject.vestigingsnummer)
    if subject.kvk_nummer is not None:
        return DataSubject.kvk(subject.kvk_nummer)
    return None


async def _answer(
    request: Request, subject: Subject, paging: Paging, verificatie: str | None
) -> Response:
    svc = services(request)
    medewerker = current_medewerker(request)
    cfg = svc.settings.klantbeeld
    up = svc.upstreams
    upstreams = KlantbeeldUpstreams(
        klantinteracties=up.klantinteracties,
        brp=up.brp,
        zaken=up.zaken,
        catalogi=up.catalogi,
        actor_cache=svc.actor_cache,
        codes=svc.codes,
    )
    async with processing(request, ACTIVITY, action="read") as verwerking:
        if (known := _subject(subject)) is not None:
            verwerking.add(known)
        try:
            sources, tables = await gather_klantbeeld(
                upstreams,
                subject,
                paging,
                budget_s=remaining_s(request, cfg.budget_s),  # counted from arrival
                zaken_limit=cfg.zaken_limit,
                brp_headers=brp_purpose_headers(svc.settings, ACTIVITY, medewerker),
            )
        except NotFound:  # only a partijId that does not exist
            _add_partij_subject(verwerking, subject, None)
            raise NotFound(NO_PARTIJ) from None
        _add_partij_subject(verwerking, subject, sources.bsn)
        verified = svc.verificaties.geldig(verificatie, medewerker.subject, bsn=sources.bsn)
        partij = sources.partij.value
        if verified and verificatie is not None and partij is not None:
            svc.verificaties.bind_partij(verificatie, partij.uuid)
        unverified = cfg.require_verification and sources.bsn is not None and not verified
        view = _decide(
            subject,
            sources,
            tables,
            may_read=can_read_vertrouwelijk(medewerker),
            unverified=unverified,
        )
    return json_response(view)


def _add_partij_subject(verwerking: Processing, subject: Subject, bsn: str | None) -> None:
    """For a partijId: the person's BSN once the partij named it, else the partij."""
    if subject.kind == "partij" and subject.partij_id is not None:
        verwerking.add(DataSubject.bsn(bsn) if bsn else DataSubject.partij(subject.partij_id))


def _decide(
    subject: Subject,
    sources: KlantbeeldSources,
    tables: CodeTables,
    *,
    may_read: bool,
    unverified: bool = False,
) -> Klantbeeld:
    partij_problem = sources.partij.problem
    if subject.kind == "partij" and partij_problem is not None:
        raise UpstreamUnavailable("klantinteracties", KI_FAILED, reason=partij_problem.reason)
    outcome = verdict(sources)
    if outcome == "unavailable":
        problems = [
            f.problem
            for f in (sources.partij, sources.klantcontacten, sources.persoon, sources.zaken)
            if f is not None and f.problem is not None
        ]
        reason = "timeout" if all(p.reason == "timeout" for p in problems) else "failed"
        upstream = ",".join(dict.fromkeys(p.upstream for p in problems))
        raise UpstreamUnavailable(upstream, ALL_FAILED, reason=reason)
    if outcome == "not_found":
        raise NotFound(UNKNOWN)
    if unverified:  # known: that much, and no more, until the caller is verified
        raise VerificationRequired(UNVERIFIED)
    return compose_klantbeeld(sources, codes=tables, may_read_vertrouwelijk=may_read)


_ERRORS = {200: Klantbeeld, 403: None, 404: None, 422: None, 503: None}

routes = [
    api_route(
        "POST",
        "/api/v1/klantbeeld",
        klantbeeld,
        summary="Klantbeeld of a caller (by BSN, KvK-nummer or partij)",
        tag="klantbeeld",
        request=KlantbeeldRequest,
        responses=_ERRORS,
    ),
    api_route(
        "GET",
        "/api/v1/partijen/{id}/klantbeeld",
        partij_klantbeeld,
        summary="Klantbeeld of a known partij",
        tag="klantbeeld",
        responses=_ERRORS,
        params=[
            Param("id", "path", "The uuid of the partij in Klantinteracties.", required=True),
            Param("cursor", "query", "`klantcontacten.nextCursor` of the previous page."),
            Param(
                "pageSize",
                "query",
                "Klantcontacten per page (default 20, at most 50).",
                schema={"type": "integer", "minimum": 1},
            ),
            Param(
                "verificatie",
                "query",
                "The id of the caller's verificatie (with klantbeeld.require_verification).",
                schema={"type": "string", "maxLength": 300},
            ),
        ],
    ),
]
