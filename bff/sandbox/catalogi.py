"""Sandbox Catalogi API 1.3.1 (Open Zaak 1.30): catalogussen, zaaktypen, statustypen, roltypen.

Read-only over an in-memory `CatalogiStore`; ZGW JWT auth (see `bff.sandbox.zgw`). Open Zaak
does not ask `Accept-Crs` on the Catalogi API, so neither does the sandbox.

Records are dicts with the API's field names; references (`catalogus`, `zaaktype`) hold the
referenced record's uuid, turned into URLs when serialised. Derived fields (`statustypen`,
`roltypen` of a zaaktype, `isEindstatus` of a statustype) are computed, never stored.
A new store is empty: the catalogus is configuration of a deployment, so `seed_demo()`
fills one (see `bff.sandbox.zgw_demo`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bff.sandbox import zgw_demo
from bff.sandbox.common import (
    SandboxProblem,
    UuidFactory,
    check_query,
    invalid,
    paginated,
)
from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.zgw import (
    ApiVersionHeader,
    checked_url,
    own_base,
    require_zgw_jwt,
    uuid_from_url,
    zgw_problem_handler,
)

BASE_PATH = "/catalogi/api/v1"  # must equal bff.sandbox.app.BASE_PATHS["catalogi"]
API_VERSION = "1.3.1"

Record = dict[str, Any]


class CatalogiStore:
    """Catalogussen, zaaktypen, statustypen and roltypen, each a dict keyed by uuid."""

    def __init__(self, seed: int | None = None) -> None:
        self.new_uuid = UuidFactory(seed)
        self.catalogussen: dict[str, Record] = {}
        self.zaaktypen: dict[str, Record] = {}
        self.statustypen: dict[str, Record] = {}
        self.roltypen: dict[str, Record] = {}

    def seed_demo(self) -> None:
        """Fill the demo catalogus (idempotent: does nothing when zaaktypen exist)."""
        if not self.zaaktypen:
            zgw_demo.fill_catalogus(self)

    def add(self, table: str, record: Record) -> str:
        uuid = record.setdefault("uuid", self.new_uuid())
        getattr(self, table)[uuid] = record
        return str(uuid)

    def statustypen_of(self, zaaktype: str) -> list[Record]:
        found = [s for s in self.statustypen.values() if s["zaaktype"] == zaaktype]
        return sorted(found, key=lambda s: int(s["volgnummer"]))

    def is_eindstatus(self, statustype: Record) -> bool:
        return bool(self.statustypen_of(statustype["zaaktype"])[-1]["uuid"] == statustype["uuid"])

    # Serialisers: `base` is the Catalogi API's base URL, e.g. http://host/catalogi/api/v1.

    def catalogus_body(self, uuid: str, base: str) -> Record:
        record = self.catalogussen[uuid]
        zaaktypen = [z["uuid"] for z in self.zaaktypen.values() if z["catalogus"] == uuid]
        return {
            "url": f"{base}/catalogussen/{uuid}",
            **{k: v for k, v in record.items() if k != "uuid"},
            "zaaktypen": [f"{base}/zaaktypen/{z}" for z in zaaktypen],
            "besluittypen": [],
            "informatieobjecttypen": [],
        }

    def zaaktype_body(self, uuid: str, base: str) -> Record:
        record = self.zaaktypen[uuid]
        roltypen = [r["uuid"] for r in self.roltypen.values() if r["zaaktype"] == uuid]
        body = {k: v for k, v in record.items() if k not in ("uuid", "catalogus")}
        return {
            "url": f"{base}/zaaktypen/{uuid}",
            **body,
            "catalogus": f"{base}/catalogussen/{record['catalogus']}",
            "statustypen": [f"{base}/statustypen/{s['uuid']}" for s in self.statustypen_of(uuid)],
            "roltypen": [f"{base}/roltypen/{r}" for r in roltypen],
            "resultaattypen": [],
            "eigenschappen": [],
            "informatieobjecttypen": [],  # Open Zaak sends a list; the 1.3.1 spec says string
            "besluittypen": [],
            "deelzaaktypen": [],
            "gerelateerdeZaaktypen": [],
            "zaakobjecttypen": [],
            "selectielijstProcestype": record.get("selectielijstProcestype", ""),
            "broncatalogus": record.get(
                "broncatalogus", dict.fromkeys(("url", "domein", "rsin"), "")
            ),
            "bronzaaktype": record.get(
                "bronzaaktype", dict.fromkeys(("url", "identificatie", "omschrijving"), "")
            ),
            "beginObject": record.get("beginObject", record["beginGeldigheid"]),
            "eindeObject": record.get("eindeObject"),
        }

    def statustype_body(self, uuid: str, base: str) -> Record:
        record = self.statustypen[uuid]
        zaaktype = self.zaaktypen[record["zaaktype"]]
        body = {k: v for k, v in record.items() if k not in ("uuid", "zaaktype")}
        return {
            "url": f"{base}/statustypen/{uuid}",
            **body,
            "zaaktype": f"{base}/zaaktypen/{zaaktype['uuid']}",
            "zaaktypeIdentificatie": zaaktype["identificatie"],
            "catalogus": f"{base}/catalogussen/{zaaktype['catalogus']}",
            "isEindstatus": self.is_eindstatus(record),
            "checklistitemStatustype": [],
            "eigenschappen": [],
            "zaakobjecttype": "",
        }

    def roltype_body(self, uuid: str, base: str) -> Record:
        record = self.roltypen[uuid]
        zaaktype = self.zaaktypen[record["zaaktype"]]
        return {
            "url": f"{base}/roltypen/{uuid}",
            "zaaktype": f"{base}/zaaktypen/{zaaktype['uuid']}",
            "zaaktypeIdentificatie": zaaktype["identificatie"],
            "omschrijving": record["omschrijving"],
            "omschrijvingGeneriek": record["omschrijvingGeneriek"],
            "catalogus": f"{base}/catalogussen/{zaaktype['catalogus']}",
        }


def _status_filter(request: Request) -> Callable[[Record], bool]:
    status = request.query_params.get("status", "definitief")
    if status not in ("alles", "concept", "definitief"):
        raise invalid("status", f'"{status}" is geen geldige keuze.', "invalid_choice")
    return lambda zaaktype: status == "alles" or bool(zaaktype["concept"]) == (status == "concept")


def _geldig_op(request: Request) -> Callable[[Record], bool]:
    raw = request.query_params.get("datumGeldigheid")
    if raw is None:
        return lambda record: True
    try:
        day = date.fromisoformat(raw).isoformat()
    except ValueError as exc:
        raise invalid("datumGeldigheid", "Voer een geldige datum in.") from exc
    return lambda r: r["beginGeldigheid"] <= day and (r["eindeGeldigheid"] or day) >= day


def create_app(store: CatalogiStore, credentials: SandboxCredentials) -> Starlette:
    def guarded(request: Request, allowed: tuple[str, ...] = ()) -> str:
        require_zgw_jwt(request, credentials)
        check_query(request, allowed)
        return own_base(request)

    def detail(table: str, body: Callable[[str, str], Record]) -> Callable[..., Any]:
        async def handler(request: Request) -> Response:
            base = guarded(request)
            uuid = request.path_params["uuid"].lower()
            if uuid not in getattr(store, table):
                raise SandboxProblem(404, "not_found", "Niet gevonden.")
            return JSONResponse(body(uuid, base))

        return handler

    async def list_catalogussen(request: Request) -> Response:
        base = guarded(request, ("domein", "rsin"))
        q = request.query_params
        found = [
            c["uuid"]
            for c in store.catalogussen.values()
            if q.get("domein", c["domein"]) == c["domein"] and q.get("rsin", c["rsin"]) == c["rsin"]
        ]
        return paginated(request, found, lambda u: store.catalogus_body(u, base))

    async def list_zaaktypen(request: Request) -> Response:
        allowed = ("catalogus", "identificatie", "status", "datumGeldigheid", "trefwoorden")
        base = guarded(request, allowed)
        q, by_status, geldig = request.query_params, _status_filter(request), _geldig_op(request)
        catalogus = None
        if "catalogus" in q:
            catalogus = uuid_from_url(checked_url("catalogus", q["catalogus"]), "catalogussen")
        trefwoorden = set(filter(None, q.get("trefwoorden", "").split(",")))
        found = [
            z["uuid"]
            for z in store.zaaktypen.values()
            if by_status(z)
            and geldig(z)
            and ("catalogus" not in q or z["catalogus"] == catalogus)
            and q.get("identificatie", z["identificatie"]) == z["identificatie"]
            and trefwoorden <= set(z["trefwoorden"])
        ]
        return paginated(request, found, lambda u: store.zaaktype_body(u, base))

    def typen_of_zaaktype(table: str, extra: tuple[str, ...]) -> Callable[..., Any]:
        body = store.statustype_body if table == "statustypen" else store.roltype_body

        async def handler(request: Request) -> Response:
            allowed = ("zaaktype", "zaaktypeIdentificatie", "status", "datumGeldigheid", *extra)
            base = guarded(request, allowed)
            q, by_status, geldig = (
                request.query_params,
                _status_filter(request),
                _geldig_op(request),
            )
            wanted = None
            if "zaaktype" in q:
                wanted = uuid_from_url(checked_url("zaaktype", q["zaaktype"]), "zaaktypen")

            def keep(record: Record) -> bool:
                zaaktype = store.zaaktypen[record["zaaktype"]]
                same = [("zaaktypeIdentificatie", zaaktype["identificatie"])]
                same += [(key, record.get(key)) for key in extra]
                return (
                    by_status(zaaktype)
                    and geldig(zaaktype)
                    and ("zaaktype" not in q or record["zaaktype"] == wanted)
                    and all(q.get(key, value) == value for key, value in same)
                )

            found = [r["uuid"] for r in getattr(store, table).values() if keep(r)]
            return paginated(request, found, lambda u: body(u, base))

        return handler

    routes = [
        Route("/catalogussen", list_catalogussen),
        Route("/catalogussen/{uuid}", detail("catalogussen", store.catalogus_body)),
        Route("/zaaktypen", list_zaaktypen),
        Route("/zaaktypen/{uuid}", detail("zaaktypen", store.zaaktype_body)),
        Route("/statustypen", typen_of_zaaktype("statustypen", ())),
        Route("/statustypen/{uuid}", detail("statustypen", store.statustype_body)),
        Route("/roltypen", typen_of_zaaktype("roltypen", ("omschrijvingGeneriek",))),
        Route("/roltypen/{uuid}", detail("roltypen", store.roltype_body)),
    ]
    return Starlette(
        routes=routes,
        exception_handlers={SandboxProblem: zgw_problem_handler},
        middleware=[Middleware(ApiVersionHeader, version=API_VERSION)],
    )
