"""The klantcontacten about a zaak: `GET /api/v1/zaken/{id}/klantcontacten`.

A colleague who works on a zaak sees every call about it, newest first: the klantcontacten
that have the zaak as onderwerpobject (one Open Klant call, with the same expand as the
klantcontact view), the zaak itself fetched alongside (404 when Open Zaak does not know
it). Each item is a klantcontact view as `GET /api/v1/klantcontacten/{id}` shows it; a
vertrouwelijk one is shown without its text to whoever may not read it. Paged in the list
envelope (`items`, `count`, `pageSize`, `nextCursor`).
"""

from __future__ import annotations

import asyncio

from pydantic import ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from bff.auth.identity import can_read_vertrouwelijk, current_medewerker
from bff.compose.actor import ActorViews
from bff.compose.base import InModel, OutModel
from bff.compose.klantcontact import (
    KLANTCONTACT_VIEW_EXPAND,
    KlantcontactView,
    compose_klantcontact,
    expanded_partijen,
    interne_taak_actor_uuids,
    onderwerp_zaak_uuids,
)
from bff.compose.klantcontact_detail import data_subjects
from bff.compose.paging import CURSOR_MAX, next_cursor, resolve_paging
from bff.compose.zaak import compose_zaak
from bff.endpoints.klantcontacten import fetch_zaken
from bff.errors import InvalidInput, NotFound
from bff.http import Param, api_route, json_response, parse_query
from bff.privacy.recorder import processing
from bff.services import services
from bff.upstreams.klantinteracties import KlantinteractiesClient
from bff.upstreams.zaken import Zaak, ZakenClient

ZAAK_KLANTCONTACTEN_CURSOR = "zk1"
PAGE_SIZE = 20
MAX_PAGE = 50
NO_ZAAK = "Open Zaak knows no zaak with this id."


async def _zaak(client: ZakenClient, zaak_id: str) -> Zaak:
    try:
        return await client.get_zaak(zaak_id)
    except NotFound:
        raise NotFound(NO_ZAAK) from None


class ZaakKlantcontactenQuery(InModel):
    model_config = ConfigDict(strict=False)

    cursor: str | None = Field(None, max_length=CURSOR_MAX)
    page_size: int | None = None


class ZaakKlantcontacten(OutModel):
    """The klantcontacten about one zaak, newest first, in the list envelope."""

    items: list[KlantcontactView]
    count: int | None
    page_size: int
    next_cursor: str | None = None


async def zaak_klantcontacten(request: Request) -> Response:
    """The klantcontacten about this zaak (it is their onderwerpobject), newest first, each
    with its betrokkenen, actoren, interne taken and onderwerpobjecten."""
    query = parse_query(request, ZaakKlantcontactenQuery)
    paging, problems = resolve_paging(
        ZAAK_KLANTCONTACTEN_CURSOR,
        query.cursor,
        query.page_size,
        default=PAGE_SIZE,
        maximum=MAX_PAGE,
    )
    if problems:
        raise InvalidInput(problems)
    zaak_id = KlantinteractiesClient.check_id(request.path_params["id"], "zaak")
    svc = services(request)
    medewerker = current_medewerker(request)
    async with processing(request, "klantcontact_raadplegen", action="read") as verwerking:
        zaak, page = await asyncio.gather(
            _zaak(svc.upstreams.zaken, zaak_id),
            svc.upstreams.klantinteracties.klantcontacten_page(
                onderwerp_object_id=zaak_id,
                page=paging.page,
                page_size=paging.page_size,
                expand=KLANTCONTACT_VIEW_EXPAND,
            ),
        )
        klantcontacten = list(page.items)
        verwerking.add(*data_subjects(klantcontacten))
        for kc in klantcontacten:
            svc.actor_cache.remember(kc.had_betrokken_actoren)
        others = [u for u in onderwerp_zaak_uuids(klantcontacten) if u.lower() != zaak_id]
        lookup, zaken, codes = await asyncio.gather(
            svc.actor_cache.get_many(interne_taak_actor_uuids(klantcontacten)),
            fetch_zaken(svc.upstreams.zaken, others),
            svc.codes.tables(),
        )
    zaken[zaak_id] = compose_zaak(zaak)
    partijen = expanded_partijen(klantcontacten)
    may_read = can_read_vertrouwelijk(medewerker)
    actor_views = ActorViews(codes, lookup.found)
    body = ZaakKlantcontacten(
        items=[
            compose_klantcontact(
                kc,
                codes=codes,
                actors_by_uuid=lookup.found,
                zaken_by_uuid=zaken,
                may_read_vertrouwelijk=may_read,
                partijen_by_uuid=partijen,
                actor_views=actor_views,
            )
            for kc in klantcontacten
        ],
        count=page.count,
        page_size=paging.page_size,
        next_cursor=next_cursor(ZAAK_KLANTCONTACTEN_CURSOR, paging, has_next=page.has_next),
    )
    return json_response(body)


routes = [
    api_route(
        "GET",
        "/api/v1/zaken/{id}/klantcontacten",
        zaak_klantcontacten,
        summary="The klantcontacten about a zaak",
        tag="klantcontacten",
        responses={200: ZaakKlantcontacten},
        params=[
            Param("id", "path", "The zaak's uuid.", required=True),
            Param("cursor", description="`nextCursor` of the previous page, unchanged."),
            Param("pageSize", description="1-50, default 20.", schema={"type": "integer"}),
        ],
    ),
]
