"""Finding the caller (partijen zoeken): partijen and BRP persons merged into ranked hits.

Pure functions and the frontend models of `POST /api/v1/partijen/zoeken`:

    merge_hits(partijen, personen)   one hit per BSN, else per partij; `bron` says where
                                     it was found: klantinteracties, brp or beide
    compose_search_result(...)       ranked, cut to `max_hits`, with `total`/`truncated`
    rank_personen(personen)          the same order on BRP persons alone (to cut before
                                     looking their partijen up)
    data_subjects(result)            who the processing log must name, one per hit

Order: the living before the deceased, known partijen (beide, klantinteracties) before
persons only BRP knows, then oldest first, then by naam. A hit with geheimhouding (the
partij's `indicatieGeheimhouding` or BRP `geheimhoudingPersoonsgegevens`) shows only
what picks the person: naam, geboortedatum, the ids; never the adres.
The search request and its criteria are in `bff.compose.zoeken_criteria`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from bff.codes import SOORT_PARTIJ
from bff.compose.base import Code, OutModel
from bff.privacy.processing import DataSubject
from bff.upstreams.brp import Adressering, Datum, Persoon
from bff.upstreams.klantinteracties.models import (
    Adres,
    DigitaalAdres,
    Partij,
)
from bff.validation import elfproef

Bron = Literal["klantinteracties", "brp", "beide"]

BRP_FIELDS: tuple[str, ...] = (
    "burgerservicenummer",
    "naam.volledigeNaam",
    "geboorte.datum",
    "adressering.adresregel1",
    "adressering.adresregel2",
    "adressering.adresregel3",
    "adressering.land",
)
"""Enough to pick the right person, valid for raadplegen and for every zoek type.
`geheimhoudingPersoonsgegevens` and `opschortingBijhouding` (overlijden) come unasked."""

OVERLIJDEN = "O"  # opschortingBijhouding.reden: bijhouding stopped because of death
NEDERLAND_TABEL34 = "6030"
NEDERLAND_ISO = "NL"
_BRON_ORDER: dict[Bron, int] = {"beide": 0, "klantinteracties": 1, "brp": 2}


class PartijSearchHit(OutModel):
    """One person or organisation that may be the caller."""

    bron: Bron
    partij_id: str | None = None
    soort_partij: Code
    bsn: str | None = None
    kvk_nummer: str | None = None
    vestigingsnummer: str | None = None
    naam: str | None = None
    geboortedatum: str | None = None  # ISO 8601; `1960` or `1960-05` when BRP knows no more
    adres: str | None = None  # one line; left out under geheimhouding
    geheimhouding: bool = False
    overleden: bool | None = None  # None: BRP did not say (not asked, unknown or unavailable)


class PartijSearchWarning(OutModel):
    """A source that did not answer: the hits are complete without it, not wrong."""

    upstream: str
    reason: str
    detail: str


class PartijSearchResult(OutModel):
    """The list envelope: `items` ranked best first, `count` all candidates; `truncated`
    when `count` exceeds what is shown (a search is not paged: narrow it instead)."""

    items: tuple[PartijSearchHit, ...]
    count: int
    truncated: bool
    warnings: tuple[PartijSearchWarning, ...] = ()


# -- identificatoren and digitale adressen ---------------------------------------------


def _identificator(partij: Partij, soort: str) -> str | None:
    for item in partij.partij_identificatoren or ():
        if item.partij_identificator.code_soort_object_id == soort:
            return item.partij_identificator.object_id
    return None


def bsn_of(partij: Partij) -> str | None:
    """The partij's BSN, when it has a valid one."""
    bsn = _identificator(partij, "bsn")
    return bsn if bsn is not None and elfproef(bsn) else None


def bsns_of(partijen: Iterable[Partij]) -> list[str]:
    return list(dict.fromkeys(b for p in partijen if (b := bsn_of(p)) is not None))


def same_emailadres(adressen: Iterable[DigitaalAdres], emailadres: str) -> list[DigitaalAdres]:
    """The addresses equal to `emailadres` ignoring case and surrounding spaces."""
    wanted = emailadres.strip().casefold()
    return [a for a in adressen if a.adres.strip().casefold() == wanted]


def partij_uuids(adressen: Iterable[DigitaalAdres]) -> list[str]:
    """The partijen that gave these addresses, each once, in upstream order."""
    found = (a.verstrekt_door_partij.uuid for a in adressen if a.verstrekt_door_partij)
    return list(dict.fromkeys(found))


# -- merging -----------------------------------------------------------------------------


def merge_hits(partijen: Sequence[Partij], personen: Sequence[Persoon]) -> list[PartijSearchHit]:
    """One hit per BSN (partij and BRP person joined), else one per partij."""
    by_bsn: dict[str, Persoon] = {}
    for persoon in personen:
        if persoon.burgerservicenummer:
            by_bsn.setdefault(persoon.burgerservicenummer, persoon)
    hits: list[PartijSearchHit] = []
    seen: set[str] = set()
    for partij in partijen:
        bsn = bsn_of(partij)
        if partij.uuid in seen or (bsn is not None and bsn in seen):
            continue  # a partij found twice; or two partijen with one BSN (unique upstream)
        seen.update(k for k in (partij.uuid, bsn) if k is not None)
        hits.append(_hit(partij, by_bsn.get(bsn) if bsn else None))
    hits.extend(_hit(None, p) for bsn, p in by_bsn.items() if bsn not in seen)
    return hits


def _hit(partij: Partij | None, persoon: Persoon | None) -> PartijSearchHit:
    bron: Bron = "beide" if partij and persoon else "klantinteracties" if partij else "brp"
    geheim = bool(partij and partij.indicatie_geheimhouding) or bool(
        persoon and persoon.geheimhouding_persoonsgegevens
    )
    adres = (_brp_adres(persoon.adressering) if persoon else None) or (
        _partij_adres(partij) if partij else None
    )
    naam = (persoon.naam.volledige_naam if persoon and persoon.naam else None) or (
        _partij_naam(partij) if partij else None
    )
    return PartijSearchHit(
        bron=bron,
        partij_id=partij.uuid if partij else None,
        soort_partij=SOORT_PARTIJ.code(partij.soort_partij if partij else "persoon"),
        bsn=(persoon.burgerservicenummer if persoon else None)
        or (bsn_of(partij) if partij else None),
        kvk_nummer=_identificator(partij, "kvk_nummer") if partij else None,
        vestigingsnummer=_identificator(partij, "vestigingsnummer") if partij else None,
        naam=naam,
        geboortedatum=_datum(persoon.geboorte.datum) if persoon and persoon.geboorte else None,
        adres=None if geheim else adres,
        geheimhouding=geheim,
        overleden=_overleden(persoon) if persoon else None,
    )


def _overleden(persoon: Persoon) -> bool:
    opschorting = persoon.opschorting_bijhouding
    return bool(opschorting and opschorting.reden and opschorting.reden.code == OVERLIJDEN)


def _datum(datum: Datum | None) -> str | None:
    if datum is None:
        return None
    if datum.datum is not None:
        return datum.datum.isoformat()
    if datum.jaar is not None and datum.maand is not None:
        return f"{datum.jaar:04d}-{datum.maand:02d}"
    return f"{datum.jaar:04d}" if datum.jaar is not None else None


def _line(parts: Iterable[str | None], sep: str = ", ") -> str | None:
    cleaned = [" ".join(p.split()) for p in parts if p and p.strip()]
    return sep.join(cleaned) or None


def _brp_adres(adressering: Adressering | None) -> str | None:
    if adressering is None:
        return None
    land = adressering.land
    buitenland = land.omschrijving if land and land.code != NEDERLAND_TABEL34 else None
    regels = (adressering.adresregel1, adressering.adresregel2, adressering.adresregel3)
    return _line((*regels, buitenland))


def _partij_adres(partij: Partij) -> str | None:
    adres: Adres | None = partij.bezoekadres or partij.correspondentieadres
    if adres is None:
        return None
    land = adres.land if adres.land and adres.land.upper() != NEDERLAND_ISO else None
    regels = (adres.adresregel1, adres.adresregel2, adres.adresregel3)
    if any(regels):
        return _line((*regels, land))
    toevoeging = adres.huisnummertoevoeging or ""
    huisnummer = f"{adres.huisnummer}" if adres.huisnummer is not None else None
    if huisnummer and toevoeging:
        huisnummer += toevoeging if len(toevoeging) == 1 else f" {toevoeging}"
    straat = _line((adres.straatnaam, huisnummer), " ")
    return _line((straat, _line((adres.postcode, adres.stad), " "), land))


def _partij_naam(partij: Partij) -> str | None:
    identificatie = partij.partij_identificatie
    if identificatie is None:
        return None
    if partij.soort_partij == "organisatie":
        return identificatie.naam
    naam = identificatie.contactnaam
    if identificatie.volledige_naam or naam is None:
        return identificatie.volledige_naam
    voornaam = naam.voornaam or naam.voorletters
    return _line((voornaam, naam.voorvoegsel_achternaam, naam.achternaam), " ")


# -- ranking, cutting, accounting ---------------------------------------------------------


def _order(
    overleden: bool | None, bron: Bron, geboortedatum: str | None, naam: str | None, key: str
) -> tuple[bool, int, str, str, str]:
    return (
        overleden is True,
        _BRON_ORDER[bron],
        geboortedatum or "~",
        (naam or "").casefold(),
        key,
    )


def _rank_key(hit: PartijSearchHit) -> tuple[bool, int, str, str, str]:
    key = hit.partij_id or hit.bsn or ""
    return _order(hit.overleden, hit.bron, hit.geboortedatum, hit.naam, key)


def rank_personen(personen: Sequence[Persoon]) -> list[Persoon]:
    """BRP persons in hit order, before their partijen are known (to cut the lookups)."""
    return sorted(personen, key=lambda p: _rank_key(_hit(None, p)))


def compose_search_result(
    hits: Sequence[PartijSearchHit],
    *,
    max_hits: int,
    omitted: int = 0,
    warnings: Sequence[PartijSearchWarning] = (),
) -> PartijSearchResult:
    """Rank and cut to `max_hits`; `omitted` counts candidates dropped before the lookups."""
    ranked = sorted(hits, key=_rank_key)
    shown = tuple(ranked[:max_hits])
    total = len(ranked) + omitted
    return PartijSearchResult(
        items=shown, count=total, truncated=total > len(shown), warnings=tuple(warnings)
    )


def brp_unavailable(reason: str) -> PartijSearchWarning:
    return PartijSearchWarning(
        upstream="brp",
        reason=reason,
        detail=(
            "The BRP did not answer: these hits come from Klantinteracties only, without "
            "date of birth, current address or overlijden. Check the person before acting."
        ),
    )


def data_subjects(result: PartijSearchResult) -> list[DataSubject]:
    """One subject per hit: the BSN, else the KvK-nummer, else vestigingsnummer, else partij."""
    subjects = []
    for hit in result.items:
        if hit.bsn:
            subjects.append(DataSubject.bsn(hit.bsn))
        elif hit.kvk_nummer:
            subjects.append(DataSubject.kvk(hit.kvk_nummer))
        elif hit.vestigingsnummer:
            subjects.append(DataSubject.vestiging(hit.vestigingsnummer))
        elif hit.partij_id:
            subjects.append(DataSubject.partij(hit.partij_id))
    return subjects
