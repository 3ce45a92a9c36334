"""The hand-over of a klantcontact: look it up, answer it, record who was involved.

    GET   /api/v1/klantcontacten/{id}                     the klantcontact, ETag header
    GET   /api/v1/klantcontacten?referentienummer=...     the same, found by its number
    PATCH /api/v1/klantcontacten/{id}                     inhoud and/or reactie, If-Match
    POST  /api/v1/klantcontacten/{id}/actoren             record an actor as involved

One Open Klant call brings the klantcontact with its betrokkenen (and their partijen),
interne taken and onderwerpobjecten (`expand`); its actoren come inline. The actoren of
its interne taken come from the actor cache, the zaken of its onderwerpobjecten from the
Zaken API (concurrently; a zaak that cannot be fetched shows its identificator only).
A confidential klantcontact is shown without inhoud and reactie, and without an ETag, to
whoever may not read it; that medewerker may not change it either (403).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from starlette.requests import Request
from starlette.responses import Response

from bff.auth.identity import Medewerker, can_read_vertrouwelijk, current_medewerker
from bff.compose.actor import compose_actor
from bff.compose.klantcontact import (
    KLANTCONTACT_VIEW_EXPAND,
    KlantcontactView,
    compose_klantcontact,
    expanded_partijen,
    interne_taak_actor_uuids,
    onderwerp_zaak_uuids,
)
from bff.compose.klantcontact_detail import (
    ActorLink,
    ActorLinkView,
    KlantcontactChange,
    KlantcontactLookup,
    data_subjects,
    nummer_candidates,
    plan_patch,
)
from bff.compose.zaak import ZaakView, compose_zaak
from bff.errors import Forbidden, InvalidInput, NotFound, UpstreamFailure, UpstreamRejected
from bff.etag import conditional_write, if_match, klantcontact_etag
from bff.http import Param, api_route, json_response, parse_body, parse_query
from bff.privacy.recorder import Processing, processing, record_processing
from bff.services import Services, services
from bff.upstreams.klantinteracties.models import Actor, Klantcontact
from bff.upstreams.zaken import ZakenClient

ZAAK_CONCURRENCY = 4
PATH = "/api/v1/klantcontacten"
NOT_FOUND_NUMMER = "No klantcontact has this number. Check the number with the caller."
VERTROUWELIJK = (
    "This klantcontact is vertrouwelijk and your account may not read it, so you may not "
    "change it either. Hand it to a colleague with the role for confidential contacts."
)


async def fetch_zaken(client: ZakenClient, uuids: Iterable[str]) -> dict[str, ZaakView]:
    """The zaken with these uuids that could be fetched; the others are simply absent."""
    limit = asyncio.Semaphore(ZAAK_CONCURRENCY)

    async def one(uuid: str) -> ZaakView | None:
        async with limit:
            try:
                return compose_zaak(await client.get_zaak(uuid))
            except (NotFound, UpstreamFailure):  # shown by its identificator only
                return None

    found = await asyncio.gather(*(one(u) for u in dict.fromkeys(uuids)))
    return {z.uuid.lower(): z for z in found if z is not None}


async def _fetch(svc: Services, kc_id: str, verwerking: Processing) -> Klantcontact:
    kc = await svc.upstreams.klantinteracties.get_klantcontact(
        kc_id, expand=KLANTCONTACT_VIEW_EXPAND
    )
    verwerking.add(*data_subjects([kc]))
    return kc


async def _view(svc: Services, kc: Klantcontact, medewerker: Medewerker) -> KlantcontactView:
    svc.actor_cache.remember(kc.had_betrokken_actoren)
    lookup, zaken, codes = await asyncio.gather(
        svc.actor_cache.get_many(interne_taak_actor_uuids([kc])),
        fetch_zaken(svc.upstreams.zaken, onderwerp_zaak_uuids([kc])),
        svc.codes.tables(),
    )
    return compose_klantcontact(
        kc,
        codes=codes,
        actors_by_uuid=lookup.found,
        zaken_by_uuid=zaken,
        may_read_vertrouwelijk=can_read_vertrouwelijk(medewerker),
        partijen_by_uuid=expanded_partijen([kc]),
    )


async def _find_by_number(svc: Services, typed: str) -> Klantcontact | None:
    """By referentienummer, then by Open Klant's `nummer`; each as typed and zero-padded,
    concurrently (one round trip per kind of number)."""
    client = svc.upstreams.klantinteracties
    for by in ("referentienummer", "nummer"):
        found = await asyncio.gather(
            *(
                client.find_klantcontact(c, by=by, expand=KLANTCONTACT_VIEW_EXPAND)
                for c in nummer_candidates(typed)
            )
        )
        hit = next((kc for kc in found if kc is not None), None)
        if hit is not None:
            return hit
    return None


def _headers(kc: Klantcontact, medewerker: Medewerker) -> dict[str, str]:
    """The ETag, unless the medewerker may not read (so not change) this klantcontact: a
    hash over hidden text must not let anyone confirm a guess of it."""
    if kc.vertrouwelijk and not can_read_vertrouwelijk(medewerker):
        return {}
    return {"ETag": klantcontact_etag(kc)}


async def _respond(request: Request, kc_id: str | None, lookup: str | None) -> Response:
    medewerker = current_medewerker(request)
    svc = services(request)
    async with processing(request, "klantcontact_raadplegen", action="read") as verwerking:
        if kc_id is not None:
            kc = await _fetch(svc, kc_id, verwerking)
        else:
            found = await _find_by_number(svc, lookup or "")
            if found is None:
                raise NotFound(NOT_FOUND_NUMMER)
            kc = found
            verwerking.add(*data_subjects([kc]))
        view = await _view(svc, kc, medewerker)
    headers = _headers(kc, medewerker)
    headers["Content-Location"] = f"{PATH}/{kc.uuid}"
    return json_response(view, headers=headers)


async def klantcontact(request: Request) -> Response:
    """A klantcontact with its betrokkenen, actoren, interne taken and onderwerpobjecten
    (zaken named). The `ETag` header is what a PATCH sends back as If-Match."""
    client = services(request).upstreams.klantinteracties
    kc_id = client.check_id(request.path_params["id"], "klantcontact")
    return await _respond(request, kc_id, None)


async def zoek_klantcontact(request: Request) -> Response:
    """The klantcontact with this referentienummer (the number the caller was given; spaces
    and leading zeros optional; Open Klant's own `nummer` is found too), as
    `GET /api/v1/klantcontacten/{id}` shows it; 404 when no klantcontact has it."""
    query = parse_query(request, KlantcontactLookup)
    return await _respond(request, None, query.referentienummer)


async def wijzig_klantcontact(request: Request) -> Response:
    """Change the question (`inhoud`) and/or the answer (`reactie`). Send the ETag you read
    as If-Match; when someone changed the klantcontact meanwhile the answer is 412 with
    the current version and its ETag, and nothing is written."""
    medewerker = current_medewerker(request)
    svc = services(request)
    client = svc.upstreams.klantinteracties
    kc_id = client.check_id(request.path_params["id"], "klantcontact")
    change = await parse_body(request, KlantcontactChange)
    tags = if_match(request)
    async with processing(request, "klantcontact_wijzigen", action="update") as verwerking:

        async def read() -> Klantcontact:
            kc = await client.get_klantcontact(kc_id, expand=KLANTCONTACT_VIEW_EXPAND)
            if kc.vertrouwelijk and not can_read_vertrouwelijk(medewerker):
                raise Forbidden(VERTROUWELIJK)
            verwerking.add(*data_subjects([kc]))
            return kc

        async def current(kc: Klantcontact) -> dict[str, object]:
            return (await _view(svc, kc, medewerker)).model_dump(mode="json", by_alias=True)

        async def write(kc: Klantcontact) -> Klantcontact:
            patched = await client.patch_klantcontact(kc_id, plan_patch(change))
            return patched.model_copy(update={"expand": kc.expand})  # PATCH answers unexpanded

        updated = await conditional_write(
            svc.write_locks,
            kind="klantcontact",
            key=kc_id,
            tags=tags,
            read=read,
            etag_of=klantcontact_etag,
            current_body=current,
            write=write,
        )
        view = await _view(svc, updated, medewerker)
    return json_response(view, headers={"ETag": klantcontact_etag(updated)})


async def _actor(request: Request, svc: Services, link: ActorLink) -> Actor:
    if link.actor is None:
        return await svc.medewerker_actoren.get_or_create(current_medewerker(request))
    lookup = await svc.actor_cache.get_many([link.actor])
    found = lookup.found.get(link.actor)
    if found is None:
        if lookup.failure is not None:
            raise lookup.failure
        raise InvalidInput.one("actor", "There is no actor with this id.", "unknown-actor")
    return found


async def betrokken_actor(request: Request) -> Response:
    """Record an actor as involved in the klantcontact: yourself (empty body) or `actor`.
    201 when recorded now, 200 when it already was; never a second link."""
    medewerker = current_medewerker(request)
    svc = services(request)
    client = svc.upstreams.klantinteracties
    kc_id = client.check_id(request.path_params["id"], "klantcontact")
    link = await parse_body(request, ActorLink)
    async with svc.write_locks.hold(f"actorklantcontact:{kc_id}"):
        # its hadBetrokkenActoren are the links now; hadBetrokkenen name the data subjects
        kc = await client.get_klantcontact(kc_id, expand=("hadBetrokkenen",))
        if kc.vertrouwelijk and not can_read_vertrouwelijk(medewerker):
            raise Forbidden(VERTROUWELIJK)  # before anything is written, the actor too
        actor = await _actor(request, svc, link)
        created = all(a.uuid != actor.uuid for a in kc.had_betrokken_actoren)
        if created:
            try:
                await client.create_actorklantcontact(
                    actor_uuid=actor.uuid, klantcontact_uuid=kc_id
                )
            except UpstreamRejected as exc:  # another replica linked it first
                if not any(p.code == "unique" for p in exc.invalid_params):
                    raise
                created = False
    await record_processing(
        request, "klantcontact_actor_registreren", data_subjects([kc]), action="update"
    )
    codes = await svc.codes.tables()
    view = ActorLinkView(klantcontact=kc_id, actor=compose_actor(actor, codes))
    return json_response(view, status_code=201 if created else 200)


ID = Param("id", "path", "The klantcontact's uuid.", required=True)

routes = [
    api_route(
        "GET",
        PATH,
        zoek_klantcontact,
        summary="Find a klantcontact by referentienummer",
        tag="klantcontacten",
        responses={200: KlantcontactView},
        params=[
            Param(
                "referentienummer",
                description="Up to 10 digits, spaces and leading zeros optional; the "
                "referentienummer or Open Klant's own nummer of the klantcontact.",
                required=True,
                schema={"type": "string", "pattern": "^\\s*[0-9](\\s*[0-9]){0,9}\\s*$"},
            )
        ],
    ),
    api_route(
        "GET",
        PATH + "/{id}",
        klantcontact,
        summary="A klantcontact with everything that hangs off it",
        tag="klantcontacten",
        responses={200: KlantcontactView},
        params=[ID],
    ),
    api_route(
        "PATCH",
        PATH + "/{id}",
        wijzig_klantcontact,
        summary="Answer a klantcontact (inhoud, reactie)",
        tag="klantcontacten",
        request=KlantcontactChange,
        responses={200: KlantcontactView},
        params=[
            ID,
            Param("If-Match", "header", "The ETag of the version you read.", required=True),
        ],
    ),
    api_route(
        "POST",
        PATH + "/{id}/actoren",
        betrokken_actor,
        summary="Record an actor as involved in a klantcontact",
        tag="klantcontacten",
        request=ActorLink,
        responses={200: ActorLinkView, 201: ActorLinkView},
        params=[ID],
    ),
]
