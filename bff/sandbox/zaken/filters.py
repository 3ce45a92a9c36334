"""Query filters and ordering of the sandbox Zaken API 1.5.1 (Open Zaak 1.30) listings.

The zaak filters are every parameter Open Zaak 1.30 documents for `GET /zaken`; they serve
`GET /zaken` (query string values, `__in` comma-separated) and `POST /zaken/_zoek` (JSON
body values, `__in` lists, booleans), where a few more exist (`uuid__in`, `zaaktype__in`,
`zaaktype__not_in`, `zaakgeometrie`). As django-filter does: an empty value filters nothing,
a boolean that is not `true`/`false`/`1`/`0` filters nothing, a date that is no date is 400
`invalid`, a value outside an enum 400 `invalid_choice`, a reference that is no URL 400
`invalid`. `LIST_FILTERS` are the filters of `/rollen`, `/statussen` and `/zaakobjecten`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bff.sandbox.common import invalid
from bff.sandbox.zgw import checked_url, uuid_from_url

if TYPE_CHECKING:
    from bff.sandbox.zaken.store import Record

Predicate = Callable[["Record"], bool]
Choices = tuple[str, ...]

VERTROUWELIJKHEID: Choices = (
    "openbaar",
    "beperkt_openbaar",
    "intern",
    "zaakvertrouwelijk",
    "vertrouwelijk",
    "confidentieel",
    "geheim",
    "zeer_geheim",
)
ARCHIEFNOMINATIE: Choices = ("blijvend_bewaren", "vernietigen")
ARCHIEFSTATUS: Choices = (
    "nog_te_archiveren",
    "gearchiveerd",
    "gearchiveerd_procestermijn_onbekend",
    "overgedragen",
)
BETROKKENE_TYPE: Choices = (
    "natuurlijk_persoon",
    "niet_natuurlijk_persoon",
    "vestiging",
    "organisatorische_eenheid",
    "medewerker",
)
OMSCHRIJVING_GENERIEK: Choices = (
    "adviseur",
    "behandelaar",
    "belanghebbende",
    "beslisser",
    "initiator",
    "klantcontacter",
    "zaakcoordinator",
    "mede_initiator",
)
MACHTIGING: Choices = ("eigen", "gemachtigde", "machtiginggever")
_EHERKENNING = "urn:etoegang:core:assurance-class:"
_DIGID = "urn:oasis:names:tc:SAML:2.0:ac:classes:"
LOA: dict[str, Choices] = {  # per family, lowest level of assurance first
    "eherkenning": tuple(_EHERKENNING + x for x in ("loa1", "loa2", "loa2plus", "loa3", "loa4")),
    "digid": tuple(
        _DIGID + x
        for x in (
            "PasswordProtectedTransport",
            "MobileTwoFactorContract",
            "Smartcard",
            "SmartcardPKI",
        )
    ),
}
# soort in a filter name -> (betrokkeneType, identification keys filterable)
ROL_SOORTEN: dict[str, tuple[str, Choices]] = {
    "natuurlijkPersoon": ("natuurlijk_persoon", ("inpBsn", "anpIdentificatie", "inpA_nummer")),
    "nietNatuurlijkPersoon": (
        "niet_natuurlijk_persoon",
        ("innNnpId", "annIdentificatie", "kvkNummer", "vestigingsNummer"),
    ),
    "vestiging": ("vestiging", ("vestigingsNummer", "kvkNummer")),
    "medewerker": ("medewerker", ("identificatie",)),
    "organisatorischeEenheid": ("organisatorische_eenheid", ("identificatie",)),
}
IDENTIFICATIE_FILTERS = tuple(
    f"betrokkeneIdentificatie__{soort}__{key}"
    for soort, (_, keys) in ROL_SOORTEN.items()
    for key in keys
)
DATE_OPS = {
    "archiefactiedatum": ("", "__gt", "__lt"),
    "einddatum": ("", "__gt", "__lt"),
    "einddatumGepland": ("", "__gt", "__lt"),
    "registratiedatum": ("", "__gt", "__lt"),
    "startdatum": ("", "__gt", "__gte", "__lt", "__lte"),
    "uiterlijkeEinddatumAfdoening": ("", "__gt", "__lt"),
}
COMPARE: dict[str, Callable[[str, str], bool]] = {
    "": lambda a, b: a == b,
    "__gt": lambda a, b: a > b,
    "__gte": lambda a, b: a >= b,
    "__lt": lambda a, b: a < b,
    "__lte": lambda a, b: a <= b,
}
ENUMS: dict[str, Choices] = {
    "archiefnominatie": ARCHIEFNOMINATIE,
    "archiefstatus": ARCHIEFSTATUS,
    "maximaleVertrouwelijkheidaanduiding": VERTROUWELIJKHEID,
    "rol__betrokkeneType": BETROKKENE_TYPE,
    "rol__omschrijvingGeneriek": OMSCHRIJVING_GENERIEK,
    "rol__machtiging": MACHTIGING,
    "rol__machtiging__loa": (*LOA["eherkenning"], *LOA["digid"]),
}
URL_FILTERS = ("zaaktype", "status__statustype", "resultaat__resultaattype")
TEXT_FILTERS = ("identificatie", "bronorganisatie", "rol__betrokkene", "kenmerk", "kenmerk__bron")
CONTAINS_FILTERS = ("identificatie__icontains", "omschrijving", "zaaktype__omschrijving")
GET_FILTERS = (
    *TEXT_FILTERS,
    *CONTAINS_FILTERS,
    *URL_FILTERS,
    *ENUMS,
    "bronorganisatie__in",
    "archiefnominatie__in",
    "archiefstatus__in",
    "archiefactiedatum__isnull",
    "einddatum__isnull",
    *(f"{field}{op}" for field, ops in DATE_OPS.items() for op in ops),
    *(f"rol__{name}" for name in IDENTIFICATIE_FILTERS),
)
ZOEK_FILTERS = (*GET_FILTERS, "zaaktype__in", "zaaktype__not_in", "uuid__in", "zaakgeometrie")
ORDERINGS = (
    "archiefactiedatum",
    "einddatum",
    "identificatie",
    "publicatiedatum",
    "registratiedatum",
    "startdatum",
)

# filter -> (record key, with "." into nested objects; collection, enum or None for text)
ListFilter = tuple[str, "str | Choices | None"]
LIST_FILTERS: dict[str, dict[str, ListFilter]] = {
    "rollen": {
        "zaak": ("zaak", "zaken"),
        "roltype": ("roltype", "roltypen"),
        "betrokkene": ("betrokkene", None),
        "betrokkeneType": ("betrokkeneType", BETROKKENE_TYPE),
        "omschrijving": ("omschrijving", None),
        "omschrijvingGeneriek": ("omschrijvingGeneriek", OMSCHRIJVING_GENERIEK),
        "machtiging": ("indicatieMachtiging", MACHTIGING),
        "machtiging__loa": ("authenticatieContext.levelOfAssurance", ENUMS["rol__machtiging__loa"]),
        **{name: (name, None) for name in IDENTIFICATIE_FILTERS},
    },
    "statussen": {
        "zaak": ("zaak", "zaken"),
        "statustype": ("statustype", "statustypen"),
        "indicatieLaatstGezetteStatus": ("indicatieLaatstGezetteStatus", "bool"),
    },
    "zaakobjecten": {
        "zaak": ("zaak", "zaken"),
        "object": ("object", None),
        "objectType": ("objectType", None),
    },
}


def boolean(value: Any) -> bool | None:
    """django-filter's reading of a boolean; None (filter nothing) when it is none."""
    if isinstance(value, bool):
        return value
    return {"true": True, "1": True, "false": False, "0": False}.get(str(value).lower())


def checked_choice(name: str, value: str, choices: Choices) -> str:
    if value not in choices:
        reason = f'Selecteer een geldige keuze. "{value}" is geen beschikbare keuze.'
        raise invalid(name, reason, "invalid_choice")
    return value


def rol_matches(rol: Record, name: str, value: str) -> bool:
    """Whether a rol passes one `/rollen` filter (also used for the `rol__...` zaak filters)."""
    if name in IDENTIFICATIE_FILTERS:
        _, soort, key = name.split("__")
        ident = rol.get("betrokkeneIdentificatie") or {}
        return bool(rol["betrokkeneType"] == ROL_SOORTEN[soort][0] and ident.get(key) == value)
    if name == "machtiging":
        return bool(rol.get("indicatieMachtiging", "") == ("" if value == "eigen" else value))
    if name == "machtiging__loa":
        loa = (rol.get("authenticatieContext") or {}).get("levelOfAssurance")
        family = next(f for f in LOA.values() if value in f)
        return loa in family[: family.index(value) + 1]
    return bool(rol.get(name) == value)


def matches(record: Record, params: Mapping[str, str], table: str) -> bool:
    """Whether `record` passes every `LIST_FILTERS[table]` filter present in `params`."""
    for name, (key, kind) in LIST_FILTERS[table].items():
        value = params.get(name, "")
        if value == "":
            continue
        if kind == "bool":
            wanted: Any = boolean(value)
            if wanted is None:
                continue
        elif isinstance(kind, tuple):
            wanted = checked_choice(name, value, kind)
        elif kind is not None:
            wanted = uuid_from_url(checked_url(name, value), kind)
        else:
            wanted = value
        if (table == "rollen" and kind is None) or name in ("machtiging", "machtiging__loa"):
            if not rol_matches(record, name, value):
                return False
            continue
        actual: Any = record
        for part in key.split("."):
            actual = actual.get(part) if isinstance(actual, dict) else None
        if actual != wanted:
            return False
    return True
