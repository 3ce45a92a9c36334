"""Searching zaken in the sandbox Zaken API 1.5.1 (Open Zaak 1.30): filters to predicates, order.

`select_zaken` serves both `GET /zaken` (query values are strings) and `POST /zaken/_zoek`
(body values are JSON). The filter names and their validation rules are in
`bff.sandbox.zaken.filters`. Each `rol__...` filter holds when any rol of the zaak passes
it, one filter independent of the other, as chained Django filters across a relation do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from bff.sandbox.common import invalid
from bff.sandbox.zaken.filters import (
    COMPARE,
    CONTAINS_FILTERS,
    DATE_OPS,
    ENUMS,
    ORDERINGS,
    VERTROUWELIJKHEID,
    ZOEK_FILTERS,
    Predicate,
    boolean,
    checked_choice,
    rol_matches,
)
from bff.sandbox.zgw import checked_url, uuid_from_url

if TYPE_CHECKING:
    from bff.sandbox.zaken.store import Record, ZakenStore

EMPTY: tuple[Any, ...] = ("", None, [], {})
_DATE_FILTERS = {f"{field}{op}": (field, op) for field, ops in DATE_OPS.items() for op in ops}


def _text(name: str, value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise invalid(name, "Een geldige string is vereist.")
    return str(value)


def _values(name: str, value: Any) -> list[str]:
    """The items of an `__in` filter: a JSON list, or a comma-separated string."""
    items = value if isinstance(value, list) else _text(name, value).split(",")
    return [_text(name, v) for v in items if v not in EMPTY]


def _zaaktype_uuids(name: str, value: Any, catalogi_base: str) -> set[str | None]:
    """`zaaktype__in` URLs as uuids; a URL on a Catalogi API the server does not know is 400."""
    urls = _values(name, value)
    if any(not url.startswith(f"{catalogi_base}/") for url in urls):
        reason = "Onbekende service: de URL ligt niet op een bekende Catalogi API."
        raise invalid(f"{name}.", reason, "unknown-service")
    return {uuid_from_url(url, "zaaktypen") for url in urls}


def _on_rollen(store: ZakenStore, name: str, value: str) -> Predicate:
    rol_filter = name.removeprefix("rol__")
    return lambda zaak: any(
        rol_matches(rol, rol_filter, value) for rol in store.rollen_of(zaak["uuid"])
    )


def _date_predicate(store: ZakenStore, name: str, text: str) -> Predicate:
    field, op = _DATE_FILTERS[name]
    try:
        day = date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise invalid(name, "Voer een geldige datum in.") from exc

    def compare(zaak: Record) -> bool:
        value = store.einddatum(zaak["uuid"]) if field == "einddatum" else zaak.get(field)
        return value is not None and COMPARE[op](str(value)[:10], day)

    return compare


def _enum_predicate(store: ZakenStore, name: str, text: str) -> Predicate:
    checked_choice(name, text, ENUMS[name])
    if name == "maximaleVertrouwelijkheidaanduiding":
        limit = VERTROUWELIJKHEID.index(text)
        return lambda zaak: VERTROUWELIJKHEID.index(zaak["vertrouwelijkheidaanduiding"]) <= limit
    if name.startswith("rol__"):
        return _on_rollen(store, name, text)
    return lambda zaak: zaak.get(name) == text  # archiefnominatie, archiefstatus


def _contains_predicate(store: ZakenStore, name: str, text: str) -> Predicate:
    wanted = text.lower()
    if name == "zaaktype__omschrijving":
        zaaktypen = store.catalogus.zaaktypen
        return lambda zaak: (
            wanted in zaaktypen.get(zaak["zaaktype"], {}).get("omschrijving", "").lower()
        )
    field = name.removesuffix("__icontains")
    return lambda zaak: wanted in str(zaak.get(field) or "").lower()


def _url_predicate(store: ZakenStore, name: str, text: str) -> Predicate:
    checked_url(name, text)
    if name == "zaaktype":
        zaaktype = uuid_from_url(text, "zaaktypen")
        return lambda zaak: zaak["zaaktype"] == zaaktype
    if name == "status__statustype":
        statustype = uuid_from_url(text, "statustypen")

        def has_status(zaak: Record) -> bool:
            status = store.current_status(zaak["uuid"])
            return status is not None and status["statustype"] == statustype

        return has_status
    return lambda zaak: False  # resultaat__resultaattype: sandbox zaken have no resultaat


def _kenmerk_predicate(name: str, text: str) -> Predicate:
    bron, _, kenmerk = text.partition(":")
    if name == "kenmerk__bron":
        return lambda zaak: any(k.get("bron") == text for k in zaak.get("kenmerken", []))
    return lambda zaak: any(
        (k.get("bron"), k.get("kenmerk")) == (bron, kenmerk) for k in zaak.get("kenmerken", [])
    )


def _predicate(store: ZakenStore, name: str, value: Any, catalogi_base: str) -> Predicate | None:
    """The test of one filter, or None when the value filters nothing (empty, not a boolean)."""
    if value in EMPTY:
        return None
    if name in ("zaaktype__in", "zaaktype__not_in"):
        uuids = _zaaktype_uuids(name, value, catalogi_base)
        keep = name == "zaaktype__in"
        return lambda zaak: (zaak["zaaktype"] in uuids) == keep
    if name.endswith("__in"):
        key = name.removesuffix("__in")
        wanted = {v.lower() if key == "uuid" else v for v in _values(name, value)}
        return lambda zaak: zaak.get(key) in wanted
    if name.endswith("__isnull"):
        isnull = boolean(value)
        if isnull is None:
            return None
        if name == "einddatum__isnull":
            return lambda zaak: (store.einddatum(zaak["uuid"]) is None) == isnull
        return lambda zaak: (zaak.get("archiefactiedatum") is None) == isnull
    if name == "zaakgeometrie":
        return lambda zaak: False  # sandbox zaken carry no zaakgeometrie, so none lies within
    text = _text(name, value)
    if name in _DATE_FILTERS:
        return _date_predicate(store, name, text)
    if name in ENUMS:
        return _enum_predicate(store, name, text)
    if name in CONTAINS_FILTERS:
        return _contains_predicate(store, name, text)
    if name in ("zaaktype", "status__statustype", "resultaat__resultaattype"):
        return _url_predicate(store, name, text)
    if name.startswith("kenmerk"):
        return _kenmerk_predicate(name, text)
    if name.startswith("rol__"):
        return _on_rollen(store, name, text)
    return lambda zaak: zaak.get(name) == text  # identificatie, bronorganisatie


def select_zaken(store: ZakenStore, params: Mapping[str, Any], catalogi_base: str) -> list[Record]:
    """The zaken matching every filter in `params`, in the requested (or default) order."""
    tests = [_predicate(store, k, v, catalogi_base) for k, v in params.items() if k in ZOEK_FILTERS]
    predicates = [t for t in tests if t is not None]
    found = [z for z in store.zaken.values() if all(p(z) for p in predicates)]
    return _ordered(store, found, params.get("ordering") or "-startdatum,-identificatie")


def _ordered(store: ZakenStore, zaken: list[Record], ordering: Any) -> list[Record]:
    keys = ordering.split(",") if isinstance(ordering, str) else ordering
    if not isinstance(keys, list):
        raise invalid("ordering", "Een geldige lijst of string is vereist.")
    for key in reversed([str(k).strip() for k in keys if str(k).strip()]):
        field = key.removeprefix("-")
        if field not in ORDERINGS:
            raise invalid("ordering", f'"{key}" is geen geldige keuze.', "invalid_choice")

        def sort_key(zaak: Record, field: str = field) -> str:
            value = store.einddatum(zaak["uuid"]) if field == "einddatum" else zaak.get(field)
            return str(value or "")

        zaken.sort(key=sort_key, reverse=key.startswith("-"))
    return zaken
