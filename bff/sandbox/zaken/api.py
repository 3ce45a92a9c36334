"""HTTP layer of the sandbox Zaken API 1.5.1 (Open Zaak 1.30): routes, validation, `expand`.

Every non-DELETE request needs a valid ZGW JWT and `Accept-Crs: EPSG:4326` (412 without);
writes and `_zoek` also `Content-Crs`. Zaak responses carry `Content-Crs`. `expand` takes
the names Open Zaak 1.30 documents (`EXPANDS`) and puts the related resources under
`_expand`; a nested name needs its parent listed too (as observed for Open Klant), else it
expands nothing. The items of a zaak list always carry `_expand` (`{}` when none asked).

As observed on Open Zaak 1.30: `POST /zaken/_zoek` with an empty body is 400
`empty_search_body`, while keys it does not know are ignored (the search returns every
zaak); `expand` in that body must be a list, a comma-separated string is a 500. A zaak
path whose id is no uuid is a 500 too. Error bodies travel as `application/json`.
"""

from __future__ import annotations

import re
import uuid as uuid_lib
from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bff.sandbox.common import (
    SandboxProblem,
    check_query,
    invalid,
    invalid_many,
    json_body,
    paginated,
)
from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.zaken.filters import GET_FILTERS, LIST_FILTERS, VERTROUWELIJKHEID, matches
from bff.sandbox.zaken.search import select_zaken
from bff.sandbox.zaken.store import Record, Serializer, ZakenStore
from bff.sandbox.zgw import (
    CRS,
    ApiVersionHeader,
    require_accept_crs,
    require_content_crs,
    require_zgw_jwt,
    server_fault,
    uuid_from_url,
    zgw_problem_handler,
)

API_VERSION = "1.5.1"
_ZAAK_EXPANDS = (
    "zaaktype",
    "status",
    "status.statustype",
    "rollen",
    "rollen.roltype",
    "resultaat",
    "resultaat.resultaattype",
    "zaakinformatieobjecten",
    "zaakobjecten",
)
EXPANDS = (
    *_ZAAK_EXPANDS,
    "eigenschappen",
    "eigenschappen.eigenschap",
    *(f"{parent}.{name}" for parent in ("deelzaken", "hoofdzaak") for name in _ZAAK_EXPANDS),
    "deelzaken",
    "hoofdzaak",
)
WRITABLE = (
    "identificatie",
    "bronorganisatie",
    "omschrijving",
    "toelichting",
    "registratiedatum",
    "verantwoordelijkeOrganisatie",
    "startdatum",
    "einddatumGepland",
    "uiterlijkeEinddatumAfdoening",
    "communicatiekanaalNaam",
    "vertrouwelijkheidaanduiding",
    "kenmerken",
)
MAX_LENGTHS = {
    "identificatie": 40,
    "omschrijving": 80,
    "toelichting": 1000,
    "communicatiekanaalNaam": 250,
}
DATES = ("startdatum", "registratiedatum", "einddatumGepland", "uiterlijkeEinddatumAfdoening")


def _expand(raw: Any, *, in_body: bool = False) -> frozenset[str] | None:
    """The `expand` names to honour; None when the client asked none."""
    if raw is None:
        return None
    if in_body and isinstance(raw, str):
        raise server_fault("expand in a _zoek body must be a list")  # observed: Open Zaak 1.30
    names = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(names, list) or any(n not in EXPANDS for n in names):
        raise invalid("expand", f"Ondersteund zijn alleen: {', '.join(EXPANDS)}.", "invalid_choice")
    return frozenset(n for n in names if "." not in n or n.rsplit(".", 1)[0] in names)


def _rsin_ok(value: object) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{9}", value):
        return False
    total = sum(int(c) * w for c, w in zip(value[:8], range(9, 1, -1), strict=True))
    return (total - int(value[8])) % 11 == 0


def validate_new_zaak(store: ZakenStore, body: Record) -> Record:
    errors: list[dict[str, str]] = []
    for name in ("bronorganisatie", "startdatum", "verantwoordelijkeOrganisatie", "zaaktype"):
        if body.get(name) in (None, ""):
            errors.append({"name": name, "code": "required", "reason": "Dit veld is vereist."})
    for name in ("bronorganisatie", "verantwoordelijkeOrganisatie"):
        if body.get(name) and not _rsin_ok(body[name]):
            errors.append({"name": name, "code": "invalid", "reason": "Onjuist RSIN formaat."})
    for name in DATES:
        try:
            if body.get(name):
                date.fromisoformat(str(body[name]))
        except ValueError:
            errors.append({"name": name, "code": "invalid", "reason": "Ongeldige datum."})
    for name, limit in MAX_LENGTHS.items():
        if len(str(body.get(name) or "")) > limit:
            reason = f"Zorg dat dit veld niet meer dan {limit} karakters bevat."
            errors.append({"name": name, "code": "max_length", "reason": reason})
    vertrouwelijkheid = body.get("vertrouwelijkheidaanduiding")
    if vertrouwelijkheid is not None and vertrouwelijkheid not in VERTROUWELIJKHEID:
        reason = f'"{vertrouwelijkheid}" is geen geldige keuze.'
        errors.append(
            {"name": "vertrouwelijkheidaanduiding", "code": "invalid_choice", "reason": reason}
        )
    zaaktype = uuid_from_url(body.get("zaaktype"), "zaaktypen")
    if body.get("zaaktype") and zaaktype not in store.catalogus.zaaktypen:
        errors.append({"name": "zaaktype", "code": "bad-url", "reason": "Ongeldige URL."})
    elif zaaktype and store.catalogus.zaaktypen[zaaktype]["concept"]:
        errors.append({"name": "zaaktype", "code": "not-published", "reason": "Concept."})
    taken = {(z["bronorganisatie"], z["identificatie"]) for z in store.zaken.values()}
    if (body.get("bronorganisatie"), body.get("identificatie")) in taken:
        reason = "Deze identificatie bestaat al binnen de bronorganisatie."
        errors.append(
            {"name": "identificatie", "code": "identificatie-niet-uniek", "reason": reason}
        )
    if errors:
        raise invalid_many(errors)
    record = {k: body[k] for k in WRITABLE if k in body}
    return {**record, "zaaktype": zaaktype}


def _next_identificatie(store: ZakenStore, startdatum: str) -> str:
    prefix = f"ZAAK-{startdatum[:4]}-"
    suffixes = [z["identificatie"].removeprefix(prefix) for z in store.zaken.values()]
    taken = [int(s) for s in suffixes if s.isdigit()]
    return f"{prefix}{max(taken, default=0) + 1:07d}"


RENDER = {"rollen": "rol", "statussen": "status", "zaakobjecten": "zaakobject"}


def _known(table: dict[str, Record], request: Request, *, uuid_checked: bool = True) -> str:
    uuid = str(request.path_params["uuid"]).lower()
    if not uuid_checked:
        try:
            uuid_lib.UUID(uuid)
        except ValueError:
            raise server_fault("'" + uuid + "' is geen geldige UUID.") from None  # observed
    if uuid not in table:
        raise SandboxProblem(404, "not_found", "Niet gevonden.")
    return uuid


def create_app(store: ZakenStore, credentials: SandboxCredentials) -> Starlette:
    def guard(request: Request, allowed: tuple[str, ...] = ()) -> Serializer:
        require_zgw_jwt(request, credentials)
        require_accept_crs(request)
        check_query(request, allowed)
        return Serializer(store, request)

    def with_crs(response: Response) -> Response:
        response.headers["Content-Crs"] = CRS
        return response

    async def list_zaken(request: Request) -> Response:
        out = guard(request, (*GET_FILTERS, "expand", "ordering"))
        expand = _expand(request.query_params.get("expand")) or frozenset()
        found = [z["uuid"] for z in select_zaken(store, request.query_params, out.catalogi)]
        return with_crs(paginated(request, found, lambda u: out.zaak(u, expand)))

    async def zoek_zaken(request: Request) -> Response:
        out = guard(request, ("expand",))
        require_content_crs(request)
        body = await json_body(request)
        if not body:
            reason = "Zoekparameters mogen niet leeg zijn."
            raise invalid("nonFieldErrors", reason, "empty_search_body")
        if "expand" in body:
            expand = _expand(body["expand"], in_body=True)
        else:
            expand = _expand(request.query_params.get("expand"))
        found = [z["uuid"] for z in select_zaken(store, body, out.catalogi)]
        return with_crs(paginated(request, found, lambda u: out.zaak(u, expand or frozenset())))

    async def create_zaak(request: Request) -> Response:
        out = guard(request)
        require_content_crs(request)
        record = validate_new_zaak(store, await json_body(request))
        if not record.get("identificatie"):
            record["identificatie"] = _next_identificatie(store, record["startdatum"])
        body = out.zaak(store.add_zaak(record))
        return with_crs(JSONResponse(body, status_code=201, headers={"Location": body["url"]}))

    async def get_zaak(request: Request) -> Response:
        out = guard(request, ("expand",))
        uuid = _known(store.zaken, request, uuid_checked=False)
        return with_crs(JSONResponse(out.zaak(uuid, _expand(request.query_params.get("expand")))))

    def _latest(status: Record) -> bool:
        current = store.current_status(status["zaak"])
        return current is not None and current["uuid"] == status["uuid"]

    def listing(table: str) -> Callable[[Request], Any]:
        async def handler(request: Request) -> Response:
            out = guard(request, tuple(LIST_FILTERS[table]))
            records = list(getattr(store, table).values())[::-1]  # newest first
            if table == "statussen":  # derived, yet a filter
                records = [{**r, "indicatieLaatstGezetteStatus": _latest(r)} for r in records]
            found = [r["uuid"] for r in records if matches(r, request.query_params, table)]
            return paginated(request, found, lambda u: getattr(out, RENDER[table])(u))

        return handler

    def detail(table: str) -> Callable[[Request], Any]:
        async def handler(request: Request) -> Response:
            out = guard(request)
            return JSONResponse(getattr(out, RENDER[table])(_known(getattr(store, table), request)))

        return handler

    routes = [
        Route("/zaken", list_zaken, methods=["GET"]),
        Route("/zaken", create_zaak, methods=["POST"]),
        Route("/zaken/_zoek", zoek_zaken, methods=["POST"]),
        Route("/zaken/{uuid}", get_zaak, methods=["GET"]),
    ]
    for table in RENDER:
        routes.append(Route(f"/{table}", listing(table), methods=["GET"]))
        routes.append(Route(f"/{table}/{{uuid}}", detail(table), methods=["GET"]))
    return Starlette(
        routes=routes,
        exception_handlers={SandboxProblem: zgw_problem_handler},
        middleware=[Middleware(ApiVersionHeader, version=API_VERSION)],
    )
