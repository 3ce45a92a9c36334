"""Sandbox BRP Personen bevragen 2.7 (Haal Centraal BRP API): `POST /personen` over test persons.

The persons are 40 fictitious RvIG test persons, derived once from the public Haal Centraal
mock data by `scripts/derive_brp_personen.py` into `data/brp_personen.json` (already in
the 2.x response shape: date objects with `langFormaat`, codes with `omschrijving`).
All seven query types are served; the zoek types leave out deceased persons unless
`inclusiefOverledenPersonen` is true. Every request needs the API-key header of the
credentials (401 otherwise). Errors are Haal Centraal problem bodies: a 400 names every
bad parameter once in `invalidParams` (`burgerservicenummer[0]`, `fields[2]`, ...).
`fields` selection is in `bff.sandbox.brp_fields`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bff.sandbox.brp_fields import PERSOON, PERSOON_BEPERKT, WHOLE, is_automatic, project, resolve
from bff.sandbox.common import PROBLEM_JSON, SandboxProblem, problem_handler
from bff.sandbox.credentials import SandboxCredentials

DATA_FILE = Path(__file__).parent / "data" / "brp_personen.json"
Persoon = dict[str, Any]

_NAAM = r"^[a-zA-Z0-9À-ž \.\-\']{1,200}$|^[a-zA-Z0-9À-ž \.\-\']{3,199}\*{1}$"
_ID16 = r"^(?!0{16})[0-9]{16}$"
PATTERNS = {
    "geslachtsnaam": _NAAM,
    "voornamen": r"^[a-zA-Z0-9À-ž \.\-\']{1,199}\*{0,1}$",
    "voorvoegsel": r"^[a-zA-Z \']{1,10}$",
    "geslacht": r"^([Mm]|[Vv]|[Oo])$",
    "postcode": r"^[1-9]{1}[0-9]{3}[ ]?[A-Za-z]{2}$",
    "huisletter": r"^[a-zA-Z]{1}$",
    "huisnummertoevoeging": r"^[a-zA-Z0-9 \-]{1,4}$",
    "gemeenteVanInschrijving": r"^[0-9]{4}$",
    "straat": r"^[a-zA-Z0-9À-ž \-\'\.]{1,80}$|^[a-zA-Z0-9À-ž \-\'\.]{7,79}\*{1}$|"
    r"^\*{1}[a-zA-Z0-9À-ž \-\'\.]{7,79}$",
    "nummeraanduidingIdentificatie": _ID16,
    "adresseerbaarObjectIdentificatie": _ID16,
}
_ZOEK = ("inclusiefOverledenPersonen", "gemeenteVanInschrijving")
_ADRES = ("huisletter", "huisnummertoevoeging")
# type -> (required parameters, optional parameters)
TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "RaadpleegMetBurgerservicenummer": (("burgerservicenummer",), ("gemeenteVanInschrijving",)),
    "ZoekMetGeslachtsnaamEnGeboortedatum": (
        ("geslachtsnaam", "geboortedatum"),
        ("voornamen", "voorvoegsel", "geslacht", *_ZOEK),
    ),
    "ZoekMetNaamEnGemeenteVanInschrijving": (
        ("geslachtsnaam", "voornamen", "gemeenteVanInschrijving"),
        ("voorvoegsel", "geslacht", "inclusiefOverledenPersonen"),
    ),
    "ZoekMetPostcodeEnHuisnummer": (
        ("postcode", "huisnummer"),
        (*_ADRES, "geboortedatum", "geslachtsnaam", *_ZOEK),
    ),
    "ZoekMetStraatHuisnummerEnGemeenteVanInschrijving": (
        ("straat", "huisnummer", "gemeenteVanInschrijving"),
        (*_ADRES, "inclusiefOverledenPersonen"),
    ),
    "ZoekMetNummeraanduidingIdentificatie": (("nummeraanduidingIdentificatie",), _ZOEK),
    "ZoekMetAdresseerbaarObjectIdentificatie": (("adresseerbaarObjectIdentificatie",), _ZOEK),
}


def load_personen() -> list[Persoon]:
    """The sandbox's test persons (BRP 2.x response shape), in burgerservicenummer order."""
    personen: list[Persoon] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return personen


class BrpStore:
    """The test persons keyed by burgerservicenummer; `calls` records each query's type and headers.

    `today` fixes the date `leeftijd` is computed on (tests); it defaults to the real date.
    """

    def __init__(self, today: Callable[[], date] = date.today) -> None:
        self.personen: dict[str, Persoon] = {p["burgerservicenummer"]: p for p in load_personen()}
        self.today = today
        self.calls: list[dict[str, Any]] = []

    def with_leeftijd(self, persoon: Persoon) -> Persoon:
        geboren = persoon.get("geboorte", {}).get("datum", {})
        if geboren.get("type") != "Datum" or "overlijden" in persoon:
            return persoon
        born, today = date.fromisoformat(geboren["datum"]), self.today()
        leeftijd = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return {**persoon, "leeftijd": leeftijd}


_PROBLEM_TYPES = {
    400: "rfc7231#section-6.5.1",
    401: "rfc7235#section-3.1",
    415: "rfc7231#section-6.5.13",
}


class BrpProblem(SandboxProblem):
    """A Haal Centraal problem body (`type`, `title`, `status`, `detail`, `instance`, `code`)."""

    def response(self, request: Request) -> Response:
        body: dict[str, Any] = {
            "type": f"https://datatracker.ietf.org/doc/html/{_PROBLEM_TYPES[self.status]}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": request.url.path,
            "code": self.code,
        }
        if self.invalid_params:
            body["invalidParams"] = self.invalid_params
        return JSONResponse(body, status_code=self.status, media_type=PROBLEM_JSON)


def _bad(errors: list[dict[str, str]]) -> BrpProblem:
    names = ", ".join(e["name"] for e in errors)
    return BrpProblem(
        400,
        "paramsValidation",
        "Een of meerdere parameters zijn niet correct.",
        f"De foutieve parameter(s) zijn: {names}.",
        errors,
    )


def _error(name: str, code: str, reason: str) -> dict[str, str]:
    return {"name": name, "code": code, "reason": reason}


def _check_value(name: str, value: Any, pattern: str | None = None) -> list[dict[str, str]]:
    if name == "burgerservicenummer":
        if not isinstance(value, list):
            return [_error(name, "array", "Parameter is geen array.")]
        if not 1 <= len(value) <= 20:
            size = ("minItems", "minder dan 1") if not value else ("maxItems", "meer dan 20")
            return [_error(name, size[0], f"Array bevat {size[1]} items.")]
        pattern = "Waarde voldoet niet aan patroon ^[0-9]{9}$."
        return [
            _error(f"{name}[{i}]", "pattern", pattern)
            for i, bsn in enumerate(value)
            if not (isinstance(bsn, str) and re.fullmatch(r"[0-9]{9}", bsn))
        ]
    if name == "huisnummer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [_error(name, "integer", "Waarde is geen geldig getal.")]
        if not 1 <= value <= 99999:
            return [
                _error(name, "maximum" if value > 1 else "minimum", "Waarde valt buiten 1-99999.")
            ]
        return []
    if name == "inclusiefOverledenPersonen":
        ok = isinstance(value, bool)
        return [] if ok else [_error(name, "boolean", "Waarde is geen boolean.")]
    if name == "geboortedatum":
        try:
            date.fromisoformat(value if isinstance(value, str) else "")
        except ValueError:
            return [_error(name, "date", "Waarde is geen geldige datum.")]
        return []
    pattern = pattern or PATTERNS[name]
    if not isinstance(value, str) or not re.search(pattern, value):
        return [_error(name, "pattern", f"Waarde voldoet niet aan patroon {pattern}.")]
    return []


def _check_fields(value: Any, tree: dict[str, Any]) -> tuple[list[tuple[str, ...]], list[Any]]:
    if value is None:
        return [], [_error("fields", "required", "Parameter is verplicht.")]
    if not isinstance(value, list):
        return [], [_error("fields", "array", "Parameter is geen array.")]
    if not 1 <= len(value) <= 130:
        size = ("minItems", "minder dan 1") if not value else ("maxItems", "meer dan 130")
        return [], [_error("fields", size[0], f"Array bevat {size[1]} items.")]
    paths, errors = [], []
    for i, field in enumerate(value):
        name = f"fields[{i}]"
        if not isinstance(field, str) or not re.fullmatch(r"[a-zA-Z0-9\._]{1,200}", field):
            errors.append(_error(name, "pattern", "Waarde voldoet niet aan patroon."))
        elif is_automatic(field):
            errors.append(_error(name, "fields", "Parameter bevat een niet toegestane veldnaam."))
        elif (segments := resolve(field, tree)) is None:
            errors.append(_error(name, "fields", "Parameter bevat een niet bestaande veldnaam."))
        else:
            paths.append(segments)
    return paths, errors


def _text_matches(wanted: str, actual: object) -> bool:
    """Case-insensitive; a `*` at the end (or, for straat, the start) is a wildcard."""
    have, want = str(actual or "").lower(), wanted.lower()
    if want.startswith("*"):
        return have.endswith(want[1:])
    return have.startswith(want[:-1]) if want.endswith("*") else have == want


def _matches(persoon: Persoon, name: str, value: Any) -> bool:
    naam = persoon.get("naam", {})
    adres = persoon.get("verblijfplaats", {}).get("verblijfadres", {})
    actual: dict[str, Callable[[], bool]] = {
        "geslachtsnaam": lambda: _text_matches(value, naam.get("geslachtsnaam")),
        "voornamen": lambda: _text_matches(value, naam.get("voornamen")),
        "voorvoegsel": lambda: _text_matches(value, naam.get("voorvoegsel")),
        "geslacht": lambda: _text_matches(value, persoon["geslacht"]["code"]),
        "geboortedatum": lambda: persoon["geboorte"]["datum"].get("datum") == value,
        "gemeenteVanInschrijving": lambda: persoon["gemeenteVanInschrijving"]["code"] == value,
        "postcode": lambda: adres.get("postcode") == value.replace(" ", "").upper(),
        "huisnummer": lambda: adres.get("huisnummer") == value,
        "huisletter": lambda: _text_matches(value, adres.get("huisletter")),
        "huisnummertoevoeging": lambda: _text_matches(value, adres.get("huisnummertoevoeging")),
        "straat": lambda: (
            _text_matches(value, adres.get("korteStraatnaam"))
            or _text_matches(value, adres.get("officieleStraatnaam"))
        ),
    }
    if name in actual:
        return actual[name]()
    return bool(persoon.get("verblijfplaats", {}).get(name) == value)  # BAG identificaties


def query(store: BrpStore, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a `POST /personen` body and answer it; a 400 `BrpProblem` otherwise."""
    kind = body.get("type")
    if kind not in TYPES:
        error = ("required", "Parameter is verplicht.") if kind is None else None
        code, reason = error or ("value", "Waarde is geen geldig zoek type.")
        raise _bad([_error("type", code, reason)])
    required, optional = TYPES[kind]
    raadplegen = kind == "RaadpleegMetBurgerservicenummer"
    tree = PERSOON if raadplegen else PERSOON_BEPERKT
    if kind == "ZoekMetAdresseerbaarObjectIdentificatie":
        tree = {**PERSOON_BEPERKT, "gezag": WHOLE}
    paths, errors = _check_fields(body.get("fields"), tree)
    for name in required:
        if name not in body:
            errors.append(_error(name, "required", "Parameter is verplicht."))
    for name, value in body.items():
        if name in ("type", "fields"):
            continue
        if name not in required + optional:
            errors.append(_error(name, "unknownParam", "Parameter is niet verwacht."))
        else:
            required_voornamen = name == "voornamen" and name in required  # wildcard needs 3
            errors.extend(_check_value(name, value, _NAAM if required_voornamen else None))
    if errors:
        raise _bad(errors)
    if raadplegen:
        gevonden = [
            store.personen[b]
            for b in dict.fromkeys(body["burgerservicenummer"])
            if b in store.personen
        ]
        filters = {k: v for k, v in body.items() if k == "gemeenteVanInschrijving"}
    else:
        gevonden = list(store.personen.values())
        if not body.get("inclusiefOverledenPersonen"):
            gevonden = [p for p in gevonden if "overlijden" not in p]
        skip = ("type", "fields", "inclusiefOverledenPersonen")
        filters = {k: v for k, v in body.items() if k not in skip}
    gevonden = [p for p in gevonden if all(_matches(p, k, v) for k, v in filters.items())]
    return {"type": kind, "personen": [project(store.with_leeftijd(p), paths) for p in gevonden]}


def create_app(store: BrpStore, credentials: SandboxCredentials) -> Starlette:
    async def personen(request: Request) -> Response:
        if request.headers.get(credentials.brp_api_key_header) != credentials.brp_api_key:
            raise BrpProblem(401, "authentication", "Niet correct geauthenticeerd.")
        if not request.headers.get("Content-Type", "").startswith("application/json"):
            raise BrpProblem(415, "unsupported", "Unsupported Media Type")
        try:
            body = await request.json()
        except ValueError as exc:
            raise _bad([_error("body", "json", "Ongeldige JSON.")]) from exc
        if not isinstance(body, dict):
            raise _bad([_error("body", "object", "Verwacht een JSON object.")])
        store.calls.append({"type": body.get("type"), "headers": dict(request.headers)})
        return JSONResponse(query(store, body))

    return Starlette(
        routes=[Route("/personen", personen, methods=["POST"])],
        exception_handlers={SandboxProblem: problem_handler},
    )
