"""Sandbox Referentielijsten API 0.2.0 (Maykin referentielijsten): tabellen and their items.

No authentication. Items have a validity window (`begindatumGeldigheid`,
`einddatumGeldigheid`, date-times); `isGeldig=true` keeps those valid now, `false` the
others. Tables are reference data every deployment has, so a new store holds them:

| code   | content                                                                       |
|--------|-------------------------------------------------------------------------------|
| KANAAL | the kanalen of the (sandbox) municipality; `fax` has expired                  |
| TAAL   | ISO 639-2 terminology codes with Dutch names (`bff/data/talen.json`); the     |
|        | bibliographic and ISO 639-1 codes in `aanvullendeGegevens` where they exist   |
| LAND   | RvIG Tabel 34 landen with their validity dates (`bff/data/landen.json`)       |

The data files are derived by `scripts/derive_reference_data.py`; they live in `bff/data/`
because the BFF itself falls back on them (`bff.codes`) when a table is absent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bff.sandbox.common import SandboxProblem, invalid, paginated, problem_handler
from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.zgw import ApiVersionHeader

API_VERSION = "0.2.0"
DATA = Path(__file__).resolve().parent.parent / "data"  # bff/data: shared with bff.codes
Record = dict[str, Any]

BEHEERDER: Record = {
    "naam": "Functioneel beheer KCC",
    "email": "kcc-beheer@gemeente.example",
    "afdeling": "Dienstverlening",
    "organisatie": "Sandboxgemeente",
}
KANALEN = (
    ("telefoon", "Telefoon", None),
    ("e-mail", "E-mail", None),
    ("balie", "Balie", None),
    ("brief", "Brief", None),
    ("chat", "Chat", None),
    ("webformulier", "Webformulier", None),
    ("social-media", "Social media", None),
    ("fax", "Fax", "2024-01-01T00:00:00Z"),
)


def _moment(day: str | None) -> str | None:
    return f"{day}T00:00:00Z" if day else None


def _talen() -> list[Record]:
    items = []
    for taal in json.loads((DATA / "talen.json").read_text(encoding="utf-8")):
        extra = {k: taal[k] for k in ("iso639_2b", "iso639_1") if k in taal}
        items.append(
            {
                "code": taal["code"],
                "naam": taal["naam"],
                "begindatumGeldigheid": None,
                "einddatumGeldigheid": None,
                "aanvullendeGegevens": extra or None,
            }
        )
    return items


def _landen() -> list[Record]:
    return [
        {
            "code": land["code"],
            "naam": land["naam"],
            "begindatumGeldigheid": _moment(land["begindatumGeldigheid"]),
            "einddatumGeldigheid": _moment(land["einddatumGeldigheid"]),
            "aanvullendeGegevens": None,
        }
        for land in json.loads((DATA / "landen.json").read_text(encoding="utf-8"))
    ]


class ReferentielijstenStore:
    """`tabellen` keyed by code, and `items` per tabel code; `now` is the clock for `isGeldig`."""

    def __init__(self, seed: int | None = None) -> None:  # seed: same signature as the others
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        kanalen = [
            {
                "code": code,
                "naam": naam,
                "begindatumGeldigheid": "2020-01-01T00:00:00Z",
                "einddatumGeldigheid": einde,
                "aanvullendeGegevens": None,
            }
            for code, naam, einde in KANALEN
        ]
        self.tabellen: dict[str, Record] = {}
        self.items: dict[str, list[Record]] = {}
        self.add_tabel("KANAAL", "Kanalen", kanalen)
        self.add_tabel("TAAL", "Talen (ISO 639-2)", _talen())
        self.add_tabel("LAND", "Landen (RvIG Tabel 34)", _landen())

    def seed_demo(self) -> None:
        """Nothing to add: the tables are already present in a new store."""

    def add_tabel(self, code: str, naam: str, items: list[Record]) -> None:
        self.tabellen[code] = {
            "code": code,
            "naam": naam,
            "beheerder": dict(BEHEERDER),
            "einddatumGeldigheid": None,
        }
        self.items[code] = items

    def is_geldig(self, record: Record) -> bool:
        now = self.now()
        begin, einde = record.get("begindatumGeldigheid"), record.get("einddatumGeldigheid")
        started = begin is None or datetime.fromisoformat(begin) <= now
        return started and (einde is None or datetime.fromisoformat(einde) > now)


def _is_geldig_param(request: Request) -> bool | None:
    raw = request.query_params.get("isGeldig")
    if raw is None:
        return None
    if raw.lower() not in ("true", "false", "1", "0"):
        raise invalid("isGeldig", "Must be a valid boolean.")
    return raw.lower() in ("true", "1")


def create_app(store: ReferentielijstenStore, credentials: SandboxCredentials) -> Starlette:
    """The API over `store`; `credentials` is unused, the service has no authentication."""

    async def tabellen(request: Request) -> Response:
        geldig, code = _is_geldig_param(request), request.query_params.get("code")
        found = [
            t
            for t in store.tabellen.values()
            if code in (None, t["code"]) and geldig in (None, store.is_geldig(t))
        ]
        return paginated(request, found, dict)

    async def items(request: Request) -> Response:
        code = request.query_params.get("tabel__code")
        if not code:
            body = {"name": "tabel__code", "code": "required", "reason": "Dit veld is vereist."}
            return JSONResponse(body, status_code=400)
        geldig = _is_geldig_param(request)
        found = [i for i in store.items.get(code, []) if geldig in (None, store.is_geldig(i))]
        return paginated(request, found, dict)

    return Starlette(
        routes=[Route("/tabellen", tabellen), Route("/items", items)],
        exception_handlers={SandboxProblem: problem_handler},
        middleware=[Middleware(ApiVersionHeader, version=API_VERSION)],
    )
