"""Interne taken: `GET /api/v1/interne-taken` (a worker's or an afdeling's list) and
`PATCH /api/v1/interne-taken/{id}` (finish, reopen, reassign; with If-Match).

A list page costs one Klantinteracties call for the taken, one per distinct klantcontact
behind them (concurrently, at most `KLANTCONTACT_CONCURRENCY` at a time; interne taken
have no expand) and none for actoren the actor cache or the actoren index already hold.

A taak from a vertrouwelijk klantcontact shows its toelichting and ETag only to its
assignees and holders of the role for confidential contacts; only they may PATCH it
(403 before anything is compared or written; `bff.compose.internetaken.may_handle`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from pydantic import ConfigDict, Field, field_validator
from starlette.requests import Request
from starlette.responses import Response

from bff.auth.identity import can_read_vertrouwelijk, current_medewerker
from bff.codes import CodeTables
from bff.compose.base import InModel
from bff.compose.internetaken import (
    INTERNE_TAKEN_CURSOR,
    InterneTaakChange,
    InterneTaakDetail,
    InterneTakenPage,
    Reader,
    check_assignees,
    compose_internetaak,
    compose_page,
    explain_read_only,
    may_handle,
    plan_change,
)
from bff.compose.klantcontact_detail import data_subjects
from bff.compose.paging import CURSOR_MAX, resolve_paging
from bff.errors import Forbidden, InvalidInput, NotFound
from bff.etag import conditional_write, if_match, internetaak_etag
from bff.http import Param, api_route, json_response, parse_body, parse_query
from bff.privacy.recorder import Processing, processing, record_processing
from bff.services import Services, services
from bff.upstreams.klantinteracties import KlantinteractiesClient
from bff.upstreams.klantinteracties.models import (
    Actor,
    InterneTaak,
    InterneTaakStatus,
    Klantcontact,
)

KLANTCONTACT_CONCURRENCY = 8
PAGE_SIZE = 20
MAX_PAGE = 100
SUMMARY_EXPAND = ("hadBetrokkenen", "hadBetrokkenen.wasPartij", "hadBetrokkenen.digitaleAdressen")
MIJ = "mij"
NOT_YOURS = (
    "This interne taak comes from a vertrouwelijk klantcontact and is not assigned to you, "
    "so you may not change it. Ask an assignee or a colleague with the role for "
    "confidential contacts."
)


class InterneTakenQuery(InModel):
    """`toegewezenAan`: `mij` (default), or the id of an actor (a medewerker or an afdeling)."""

    model_config = ConfigDict(strict=False)

    toegewezen_aan: str = MIJ
    status: InterneTaakStatus | None = None
    cursor: str | None = Field(None, max_length=CURSOR_MAX)
    page_size: int | None = None

    @field_validator("toegewezen_aan")
    @classmethod
    def _mij_or_actor(cls, value: str) -> str:
        if value.lower() == MIJ:
            return MIJ
        try:
            return KlantinteractiesClient.check_id(value, "actor")
        except NotFound:
            raise ValueError("Use 'mij' or the id (uuid) of a medewerker or afdeling.") from None


async def fetch_klantcontacten(
    client: KlantinteractiesClient, uuids: Iterable[str]
) -> dict[str, Klantcontact]:
    """The klantcontacten with these uuids (with their betrokkenen), fetched concurrently."""
    limit = asyncio.Semaphore(KLANTCONTACT_CONCURRENCY)

    async def one(uuid: str) -> Klantcontact | None:
        async with limit:
            try:
                return await client.get_klantcontact(uuid, expand=SUMMARY_EXPAND)
            except NotFound:  # deleted meanwhile: the taak shows no klantcontact
                return None

    found = await asyncio.gather(*(one(u) for u in dict.fromkeys(uuids)))
    return {kc.uuid: kc for kc in found if kc is not None}


async def _reader(request: Request, own_actor: str | None = None) -> Reader:
    """Who is asking; their own actor is looked up only when it can matter."""
    medewerker = current_medewerker(request)
    if can_read_vertrouwelijk(medewerker):
        return Reader(may_read_vertrouwelijk=True, actor=own_actor)
    if own_actor is None:
        own_actor = (await services(request).medewerker_actoren.get_or_create(medewerker)).uuid
    return Reader(may_read_vertrouwelijk=False, actor=own_actor)


async def _assigned_actor(request: Request, query: InterneTakenQuery) -> str:
    svc = services(request)
    if query.toegewezen_aan == MIJ:
        actor = await svc.medewerker_actoren.get_or_create(current_medewerker(request))
        return actor.uuid
    lookup = await svc.actor_cache.get_many([query.toegewezen_aan])
    if query.toegewezen_aan not in lookup.found:
        if lookup.failure is not None:
            raise lookup.failure
        raise InvalidInput.one("toegewezenAan", "There is no actor with this id.", "unknown-actor")
    return query.toegewezen_aan


async def _details(
    svc: Services, taken: list[InterneTaak]
) -> tuple[dict[str, Klantcontact], dict[str, Actor], CodeTables]:
    """The klantcontacten, actoren and code tables that the views of `taken` need."""
    actor_ids = [ref.uuid for taak in taken for ref in taak.toegewezen_aan_actoren]
    kc_ids = [taak.aanleidinggevend_klantcontact.uuid for taak in taken]
    klantcontacten, lookup, codes = await asyncio.gather(
        fetch_klantcontacten(svc.upstreams.klantinteracties, kc_ids),
        svc.actor_cache.get_many(actor_ids),
        svc.codes.tables(),
    )
    return klantcontacten, lookup.found, codes


async def interne_taken(request: Request) -> Response:
    """The interne taken assigned to you (`toegewezenAan=mij`), to an afdeling or to another
    actor, newest first, optionally only one status. Each comes with its actoren, the
    klantcontact that caused it and the ETag to change it with."""
    query = parse_query(request, InterneTakenQuery)
    paging, problems = resolve_paging(
        INTERNE_TAKEN_CURSOR, query.cursor, query.page_size, default=PAGE_SIZE, maximum=MAX_PAGE
    )
    if problems:
        raise InvalidInput(problems)
    svc = services(request)
    actor_uuid = await _assigned_actor(request, query)
    page = await svc.upstreams.klantinteracties.internetaken_page(
        toegewezen_aan_actor_uuid=actor_uuid,
        status=query.status,
        page=paging.page,
        page_size=paging.page_size,
    )
    klantcontacten, actors, codes = await _details(svc, page.items)
    mine = actor_uuid if query.toegewezen_aan == MIJ else None
    if mine is None and not any(kc.vertrouwelijk for kc in klantcontacten.values()):
        reader = Reader(may_read_vertrouwelijk=True)  # nothing on this page to withhold
    else:
        reader = await _reader(request, mine)
    body = compose_page(
        page.items,
        codes=codes,
        actors_by_uuid=actors,
        klantcontacten=klantcontacten,
        reader=reader,
        paging=paging,
        count=page.count,
        has_next=page.has_next,
    )
    await record_processing(
        request, "interne_taken_raadplegen", data_subjects(klantcontacten.values()), action="read"
    )
    return json_response(body)


async def _detail(
    svc: Services, taak: InterneTaak, verwerking: Processing, reader: Reader
) -> InterneTaakDetail:
    klantcontacten, actors, codes = await _details(svc, [taak])
    verwerking.add(*data_subjects(klantcontacten.values()))
    return compose_internetaak(
        taak,
        codes=codes,
        actors_by_uuid=actors,
        klantcontact=klantcontacten.get(taak.aanleidinggevend_klantcontact.uuid),
        reader=reader,
    )


async def _authorise(svc: Services, taak: InterneTaak, reader: Reader) -> None:
    """403 unless `reader` may change `taak` (see `may_handle`)."""
    if reader.may_read_vertrouwelijk:
        return
    try:
        kc = await svc.upstreams.klantinteracties.get_klantcontact(
            taak.aanleidinggevend_klantcontact.uuid
        )
    except NotFound:
        return  # the klantcontact is gone: nothing confidential left to protect
    if not may_handle(taak, kc, reader):
        raise Forbidden(NOT_YOURS)


async def _change(request: Request) -> InterneTaakChange:
    try:
        return await parse_body(request, InterneTaakChange)
    except InvalidInput as exc:
        raise explain_read_only(exc) from None


async def _check_assignees(svc: Services, change: InterneTaakChange) -> None:
    if change.toegewezen_aan_actoren is None:
        return
    assignees = change.assignees()
    lookup = await svc.actor_cache.get_many(assignees)
    if lookup.failure is not None and len(lookup.found) < len(assignees):
        raise lookup.failure  # cannot tell unknown from unreachable: write nothing
    check_assignees(change.toegewezen_aan_actoren, lookup.found)


async def wijzig_interne_taak(request: Request) -> Response:
    """Finish (`status: verwerkt`), reopen (`status: te_verwerken`) or reassign
    (`toegewezenAanActoren`, replacing the list) an interne taak. Send the ETag you read as
    If-Match: a change made meanwhile by someone else is a 412 with the current version."""
    svc = services(request)
    client = svc.upstreams.klantinteracties
    taak_id = client.check_id(request.path_params["id"], "interne taak")
    change = await _change(request)
    tags = if_match(request)
    await _check_assignees(svc, change)
    reader = await _reader(request)
    async with processing(request, "interne_taak_wijzigen", action="update") as verwerking:

        async def read() -> InterneTaak:
            taak = await client.get_internetaak(taak_id)
            await _authorise(svc, taak, reader)
            return taak

        async def current(taak: InterneTaak) -> dict[str, object]:
            view = await _detail(svc, taak, verwerking, reader)
            return view.model_dump(mode="json", by_alias=True)

        async def write(taak: InterneTaak) -> InterneTaak:
            return await client.patch_internetaak(taak_id, plan_change(taak, change))

        updated = await conditional_write(
            svc.write_locks,
            kind="interne taak",
            key=taak_id,
            tags=tags,
            read=read,
            etag_of=internetaak_etag,
            current_body=current,
            write=write,
        )
        detail = await _detail(svc, updated, verwerking, reader)
    headers = {"ETag": detail.etag} if detail.etag else {}
    return json_response(detail, headers=headers)


STATUS_PARAM = {"type": "string", "enum": ["te_verwerken", "verwerkt"]}

routes = [
    api_route(
        "GET",
        "/api/v1/interne-taken",
        interne_taken,
        summary="Interne taken of a medewerker or afdeling",
        tag="interne taken",
        responses={200: InterneTakenPage},
        params=[
            Param("toegewezenAan", description="`mij` (default) or an actor id (uuid)."),
            Param("status", description="Only this status.", schema=STATUS_PARAM),
            Param("cursor", description="`nextCursor` of the previous page, unchanged."),
            Param("pageSize", description="1-100, default 20.", schema={"type": "integer"}),
        ],
    ),
    api_route(
        "PATCH",
        "/api/v1/interne-taken/{id}",
        wijzig_interne_taak,
        summary="Finish, reopen or reassign an interne taak",
        tag="interne taken",
        request=InterneTaakChange,
        responses={200: InterneTaakDetail},
        params=[
            Param("id", "path", "The interne taak's uuid.", required=True),
            Param("If-Match", "header", "The ETag of the version you read.", required=True),
        ],
    ),
]
