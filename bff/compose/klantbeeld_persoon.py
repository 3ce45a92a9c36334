"""The persoon in the klantbeeld, from the BRP: name, birth date, address, and the
indications an agent must know before answering (overlijden, geheimhouding, opschorting).

Pure. `BRP_FIELDS` is the minimal `fields` list the klantbeeld asks (data minimisation);
`geheimhoudingPersoonsgegevens` and `opschortingBijhouding` the BRP delivers unasked.
"""

from __future__ import annotations

from datetime import date

from bff.codes import CodeTables
from bff.compose.base import Code, OutModel
from bff.upstreams.brp import Datum, Persoon, Verblijfadres, Waardetabel

BRP_FIELDS = (
    "burgerservicenummer",
    "naam.volledigeNaam",
    "geboorte.datum",
    "verblijfplaats.type",
    "verblijfplaats.verblijfadres",
    "overlijden.datum",
)


class DatumView(OutModel):
    """A BRP date: `datum` when known in full, `tekst` as the BRP writes it (`juli 1975`)."""

    datum: date | None = None
    tekst: str | None = None
    onbekend: bool = False


class VerblijfadresView(OutModel):
    straat: str | None = None
    huisnummer: int | None = None
    huisletter: str | None = None
    huisnummertoevoeging: str | None = None
    postcode: str | None = None
    woonplaats: str | None = None
    regels: list[str]
    land: Code | None = None


class OpschortingView(OutModel):
    reden: Code | None = None
    datum: DatumView | None = None


class PersoonView(OutModel):
    bsn: str
    naam: str | None = None
    geboortedatum: DatumView | None = None
    verblijfplaats_type: str | None = None
    verblijfadres: VerblijfadresView | None = None
    overleden: bool = False
    overlijdensdatum: DatumView | None = None
    geheimhouding_persoonsgegevens: bool = False
    opschorting_bijhouding: OpschortingView | None = None


def _datum(value: Datum | None) -> DatumView | None:
    if value is None:
        return None
    tekst = value.lang_formaat
    if tekst is None and value.jaar is not None:
        tekst = f"{value.maand:02d}-{value.jaar}" if value.maand else str(value.jaar)
    return DatumView(datum=value.datum, tekst=tekst, onbekend=bool(value.onbekend))


def _code(value: Waardetabel | None, fallback: CodeTables | None = None) -> Code | None:
    if value is None or not value.code:
        return None
    naam = value.omschrijving or (fallback.land(value.code).naam if fallback else None)
    return Code(code=value.code, naam=naam)


def _verblijfadres(adres: Verblijfadres | None, codes: CodeTables) -> VerblijfadresView | None:
    if adres is None:
        return None
    regels = [r for r in (adres.regel1, adres.regel2, adres.regel3) if r]
    if adres.locatiebeschrijving:
        regels.append(adres.locatiebeschrijving)
    return VerblijfadresView(
        straat=adres.korte_straatnaam or adres.officiele_straatnaam,
        huisnummer=adres.huisnummer,
        huisletter=adres.huisletter,
        huisnummertoevoeging=adres.huisnummertoevoeging,
        postcode=adres.postcode,
        woonplaats=adres.woonplaats,
        regels=regels,
        land=_code(adres.land, codes),
    )


def compose_persoon(persoon: Persoon, bsn: str, codes: CodeTables) -> PersoonView:
    verblijfplaats = persoon.verblijfplaats
    opschorting = persoon.opschorting_bijhouding
    return PersoonView(
        bsn=persoon.burgerservicenummer or bsn,
        naam=persoon.naam.volledige_naam if persoon.naam else None,
        geboortedatum=_datum(persoon.geboorte.datum) if persoon.geboorte else None,
        verblijfplaats_type=verblijfplaats.type if verblijfplaats else None,
        verblijfadres=_verblijfadres(verblijfplaats.verblijfadres, codes)
        if verblijfplaats
        else None,
        overleden=persoon.overlijden is not None,
        overlijdensdatum=_datum(persoon.overlijden.datum) if persoon.overlijden else None,
        geheimhouding_persoonsgegevens=bool(persoon.geheimhouding_persoonsgegevens),
        opschorting_bijhouding=OpschortingView(
            reden=_code(opschorting.reden), datum=_datum(opschorting.datum)
        )
        if opschorting
        else None,
    )
