"""Query filters and ordering of the sandbox Zaken API 1.5.1 (Open Zaak 1.30) listings.

The zaak filters serve `GET /zaken` (query string values) and `POST /zaken/_zoek` (JSON
body values, where `__in` filters are lists and `einddatum__isnull` a boolean). Only the
filters a KCC needs are implemented; anything else is a 400, as an unknown parameter is.
`LIST_FILTERS` are the equality filters of `/rollen`, `/statussen` and `/zaakobjecten`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from bff.sandbox.common import invalid
from bff.sandbox.zgw import uuid_from_url

if TYPE_CHECKING:
    from bff.sandbox.zaken.store import Record, ZakenStore

ROL_FILTERS = (
    "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn",
    "rol__betrokkeneIdentificatie__natuurlijkPersoon__anpIdentificatie",
    "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId",
    "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__annIdentificatie",
    "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer",
    "rol__betrokkeneType",
    "rol__omschrijvingGeneriek",
)
DATE_FILTERS = tuple(f"startdatum{op}" for op in ("", "__gt", "__gte", "__lt", "__lte"))
GET_FILTERS = (
    "identificatie",
    "bronorganisatie",
    "zaaktype",
    "status__statustype",
    "einddatum__isnull",
    "maximaleVertrouwelijkheidaanduiding",
    *ROL_FILTERS,
    *DATE_FILTERS,
)
ZOEK_FILTERS = (*GET_FILTERS, "zaaktype__in", "uuid__in")
ORDERINGS = ("startdatum", "identificatie", "registratiedatum", "einddatum")
VERTROUWELIJKHEID = (
    "openbaar",
    "beperkt_openbaar",
    "intern",
    "zaakvertrouwelijk",
    "vertrouwelijk",
    "confidentieel",
    "geheim",
    "zeer_geheim",
)
_SOORT = {
    "natuurlijkPersoon": "natuurlijk_persoon",
    "nietNatuurlijkPersoon": "niet_natuurlijk_persoon",
}
_COMPARE: dict[str, Callable[[str, str], bool]] = {
    "": lambda a, b: a == b,
    "__gt": lambda a, b: a > b,
    "__gte": lambda a, b: a >= b,
    "__lt": lambda a, b: a < b,
    "__lte": lambda a, b: a <= b,
}

# filter -> (record key, with "." into betrokkeneIdentificatie; collection if a URL is given)
LIST_FILTERS: dict[str, dict[str, tuple[str, str | None]]] = {
    "rollen": {
        "zaak": ("zaak", "zaken"),
        "betrokkeneType": ("betrokkeneType", None),
        "omschrijvingGeneriek": ("omschrijvingGeneriek", None),
        "roltype": ("roltype", "roltypen"),
        **{
            f"betrokkeneIdentificatie__{soort}__{key}": (f"betrokkeneIdentificatie.{key}", None)
            for soort, key in (
                ("natuurlijkPersoon", "inpBsn"),
                ("natuurlijkPersoon", "anpIdentificatie"),
                ("nietNatuurlijkPersoon", "innNnpId"),
                ("nietNatuurlijkPersoon", "annIdentificatie"),
                ("nietNatuurlijkPersoon", "kvkNummer"),
            )
        },
    },
    "statussen": {"zaak": ("zaak", "zaken"), "statustype": ("statustype", "statustypen")},
    "zaakobjecten": {
        "zaak": ("zaak", "zaken"),
        "object": ("object", None),
        "objectType": ("objectType", None),
    },
}

Predicate = Callable[["Record"], bool]


def matches(record: Record, params: Mapping[str, str], table: str) -> bool:
    """Whether `record` passes every `LIST_FILTERS[table]` filter present in `params`."""
    for name, (key, collection) in LIST_FILTERS[table].items():
        if name not in params:
            continue
        wanted = uuid_from_url(params[name], collection) if collection else params[name]
        actual: Any = record
        for part in key.split("."):
            actual = actual.get(part) if isinstance(actual, dict) else None
        if actual != wanted:
            return False
    return True


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise invalid(name, "Een geldige string is vereist.")
    return value


def _uuids(name: str, value: Any, collection: str | None) -> set[str]:
    if not isinstance(value, list):
        raise invalid(name, "Verwachtte een lijst met items, kreeg een ander type.", "not_a_list")
    found = {uuid_from_url(v, collection) if collection else str(v).lower() for v in value}
    return {f for f in found if f}


def _rol_predicate(store: ZakenStore, name: str, value: str) -> Predicate:
    parts = name.split("__")[1:]
    if parts[0] == "betrokkeneIdentificatie":
        soort, key = _SOORT[parts[1]], parts[2]

        def match(rol: Record) -> bool:
            ident = rol["betrokkeneIdentificatie"]
            return bool(rol["betrokkeneType"] == soort and ident.get(key) == value)
    else:

        def match(rol: Record) -> bool:
            return bool(rol[parts[0]] == value)

    return lambda zaak: any(match(rol) for rol in store.rollen_of(zaak["uuid"]))


def _predicate(store: ZakenStore, name: str, value: Any) -> Predicate:
    if name in ("zaaktype__in", "uuid__in"):
        wanted = _uuids(name, value, "zaaktypen" if name == "zaaktype__in" else None)
        key = name.removesuffix("__in")
        return lambda zaak: zaak[key] in wanted
    if name == "einddatum__isnull":
        isnull = value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        return lambda zaak: (store.einddatum(zaak["uuid"]) is None) == isnull
    text = _text(name, value)
    if name in ROL_FILTERS:
        return _rol_predicate(store, name, text)
    if name == "zaaktype":
        zaaktype = uuid_from_url(text, "zaaktypen")
        return lambda zaak: zaak["zaaktype"] == zaaktype
    if name == "status__statustype":
        statustype = uuid_from_url(text, "statustypen")

        def has_status(zaak: Record) -> bool:
            status = store.current_status(zaak["uuid"])
            return status is not None and status["statustype"] == statustype

        return has_status
    if name in DATE_FILTERS:
        try:
            day = date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise invalid(name, "Voer een geldige datum in.") from exc
        compare = _COMPARE[name.removeprefix("startdatum")]
        return lambda zaak: compare(zaak["startdatum"], day)
    if name == "maximaleVertrouwelijkheidaanduiding":
        if text not in VERTROUWELIJKHEID:
            raise invalid(name, f'"{text}" is geen geldige keuze.', "invalid_choice")
        limit = VERTROUWELIJKHEID.index(text)
        return lambda zaak: VERTROUWELIJKHEID.index(zaak["vertrouwelijkheidaanduiding"]) <= limit
    return lambda zaak: zaak[name] == text  # identificatie, bronorganisatie


def select_zaken(store: ZakenStore, params: Mapping[str, Any]) -> list[Record]:
    """The zaken matching every filter in `params`, in the requested (or default) order."""
    predicates = [_predicate(store, k, v) for k, v in params.items() if k in ZOEK_FILTERS]
    found = [z for z in store.zaken.values() if all(p(z) for p in predicates)]
    return _ordered(store, found, params.get("ordering", "-startdatum,-identificatie"))


def _ordered(store: ZakenStore, zaken: list[Record], ordering: Any) -> list[Record]:
    keys = ordering.split(",") if isinstance(ordering, str) else ordering
    if not isinstance(keys, list):
        raise invalid("ordering", "Een geldige lijst of string is vereist.")
    for key in reversed([str(k).strip() for k in keys if str(k).strip()]):
        field = key.removeprefix("-")
        if field not in ORDERINGS:
            raise invalid("ordering", f'"{key}" is geen geldige keuze.', "invalid_choice")

        def sort_key(zaak: Record, field: str = field) -> str:
            value = store.einddatum(zaak["uuid"]) if field == "einddatum" else zaak[field]
            return str(value or "")

        zaken.sort(key=sort_key, reverse=key.startswith("-"))
    return zaken
