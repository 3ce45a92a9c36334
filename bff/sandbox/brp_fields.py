"""The `fields` parameter of BRP Personen bevragen 2.7 (Haal Centraal): known paths and projection.

A field is a dotted path into a persoon (`naam.voornamen`, `geboorte.datum`). Raadplegen
with burgerservicenummer may ask any path of `Persoon`; the zoek types only those of
`PersoonBeperkt`. A date is delivered whole, also when a path goes below it; for the
relatives and gezag any sub-path is accepted. Fields the API delivers by itself
(`geheimhoudingPersoonsgegevens`, `opschortingBijhouding`, `inOnderzoek`, `rni`,
`verificatie`) may not be asked: that is a 400, as is an unknown path.
"""

from __future__ import annotations

import copy
from typing import Any, Final

LEAF: Final = "leaf"
WHOLE: Final = "whole"  # a date, or an opaque group: sub-paths are accepted, the whole is delivered
Tree = dict[str, Any]

AUTOMATIC = (
    "geheimhoudingPersoonsgegevens",
    "opschortingBijhouding",
    "inOnderzoek",
    "rni",
    "verificatie",
)
_WAARDE: Tree = {"code": LEAF, "omschrijving": LEAF}
_NAAM: Tree = {
    "voornamen": LEAF,
    "adellijkeTitelPredicaat": {**_WAARDE, "soort": LEAF},
    "voorvoegsel": LEAF,
    "geslachtsnaam": LEAF,
    "voorletters": LEAF,
    "volledigeNaam": LEAF,
}
_ADRESSERING: Tree = {
    "adresregel1": LEAF,
    "adresregel2": LEAF,
    "adresregel3": LEAF,
    "land": _WAARDE,
    "indicatieVastgesteldVerblijftNietOpAdres": LEAF,
}
_PLAATS: Tree = {"datum": WHOLE, "land": _WAARDE, "plaats": _WAARDE}
_VERBLIJFADRES: Tree = {
    **dict.fromkeys(("officieleStraatnaam", "korteStraatnaam", "huisnummer", "huisletter"), LEAF),
    **dict.fromkeys(
        ("huisnummertoevoeging", "postcode", "woonplaats", "locatiebeschrijving"), LEAF
    ),
    **dict.fromkeys(("regel1", "regel2", "regel3"), LEAF),
    "aanduidingBijHuisnummer": _WAARDE,
    "land": _WAARDE,
}
PERSOON_BEPERKT: Tree = {
    "burgerservicenummer": LEAF,
    "geboorte": {"datum": WHOLE},
    "geslacht": _WAARDE,
    "leeftijd": LEAF,
    "naam": _NAAM,
    "adressering": _ADRESSERING,
}
PERSOON: Tree = {
    **PERSOON_BEPERKT,
    "aNummer": LEAF,
    "datumEersteInschrijvingGBA": WHOLE,
    "naam": {**_NAAM, "aanduidingNaamgebruik": _WAARDE},
    "nationaliteiten": {
        "type": LEAF,
        "nationaliteit": _WAARDE,
        "redenOpname": _WAARDE,
        "datumIngangGeldigheid": WHOLE,
    },
    "geboorte": _PLAATS,
    "overlijden": _PLAATS,
    "verblijfplaats": {
        "type": LEAF,
        "verblijfadres": _VERBLIJFADRES,
        "functieAdres": _WAARDE,
        "adresseerbaarObjectIdentificatie": LEAF,
        "nummeraanduidingIdentificatie": LEAF,
        "datumVan": WHOLE,
        "datumIngangGeldigheid": WHOLE,
        "indicatieVastgesteldVerblijftNietOpAdres": LEAF,
    },
    "immigratie": WHOLE,
    "gemeenteVanInschrijving": _WAARDE,
    "datumInschrijvingInGemeente": WHOLE,
    "adressering": {
        **_ADRESSERING,
        "aanhef": LEAF,
        "aanschrijfwijze": {"naam": LEAF, "aanspreekvorm": LEAF},
        "gebruikInLopendeTekst": LEAF,
    },
    "indicatieCurateleRegister": LEAF,
    "indicatieGezagMinderjarige": _WAARDE,
    **dict.fromkeys(("gezag", "kinderen", "ouders", "partners", "verblijfstitel"), WHOLE),
    **dict.fromkeys(("uitsluitingKiesrecht", "europeesKiesrecht"), WHOLE),
}


def resolve(path: str, tree: Tree) -> tuple[str, ...] | None:
    """The segments to deliver for `path` (cut at a whole-delivered node), or None if unknown."""
    node: Any = tree
    taken: list[str] = []
    for segment in path.split("."):
        if node == WHOLE:
            break
        if not isinstance(node, dict) or segment not in node:
            return None
        taken.append(segment)
        node = node[segment]
    return tuple(taken)


def is_automatic(path: str) -> bool:
    return any(segment in AUTOMATIC for segment in path.split("."))


def _pick(source: Any, segments: tuple[str, ...]) -> Any:
    if not segments:
        return copy.deepcopy(source)
    if isinstance(source, list):
        return [_pick(item, segments) for item in source]
    if not isinstance(source, dict) or segments[0] not in source:
        return None
    picked = _pick(source[segments[0]], segments[1:])
    if picked is None:
        return None
    out = {segments[0]: picked}
    if "type" in source:  # a polymorphic object keeps its discriminator
        out = {"type": source["type"], **out}
    return out


def _merge(into: Any, extra: Any) -> Any:
    if isinstance(into, dict) and isinstance(extra, dict):
        for key, value in extra.items():
            into[key] = _merge(into[key], value) if key in into else value
        return into
    if isinstance(into, list) and isinstance(extra, list):
        return [_merge(a, b) if a is not None else b for a, b in zip(into, extra, strict=True)]
    return into


def project(persoon: dict[str, Any], paths: list[tuple[str, ...]]) -> dict[str, Any]:
    """Only the requested parts of `persoon`, plus the automatically delivered fields."""
    out: dict[str, Any] = {}
    for segments in paths:
        picked = _pick(persoon, segments)
        if picked is not None:
            out = _merge(out, picked)
    for key, value in list(out.items()):
        if isinstance(value, list):
            out[key] = [item for item in value if item]
            if not out[key]:
                del out[key]
    for key in ("geheimhoudingPersoonsgegevens", "opschortingBijhouding"):
        if persoon.get(key):
            out[key] = copy.deepcopy(persoon[key])
    return out
