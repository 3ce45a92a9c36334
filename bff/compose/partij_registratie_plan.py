"""Registering a partij, the plan side: the journal payload and what its steps decide.

The payload (`PartijPlanInput`, `DigitaleAdressenPlanInput`, and `NieuwePartij` /
`NieuwDigitaalAdres`, which the klantcontact plan reuses) is what a step reads, also after
a restart. The helpers decide, without I/O, how a partij is identified (`identificator`),
named from the BRP (`contactnaam_uit_brp`), created (`partij_create`) and which digitale
adressen it still lacks (`adressen_plan`, comparing normalised addresses: `adres_key`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from bff.upstreams.brp import Persoon
from bff.upstreams.klantinteracties.models import (
    Adres,
    Contactnaam,
    DigitaalAdres,
    PartijIdentificatorGroepType,
)
from bff.upstreams.klantinteracties.writes import (
    DigitaalAdresCreate,
    PartijCreate,
    PartijIdentificatieWrite,
    PartijIdentificatorCreate,
)

SoortDigitaalAdres = Literal["email", "telefoonnummer", "overig"]
BRP_NAAM_FIELDS = (
    "naam.voornamen",
    "naam.voorvoegsel",
    "naam.geslachtsnaam",
    "naam.voorletters",
)  # geheimhoudingPersoonsgegevens comes unasked (asking for it is a 400)
VOORKEURSTAAL = "nld"
"""The voorkeurstaal of a partij the BFF creates (ISO 639-2): the BRP records no language."""


@dataclass(frozen=True)
class UitBrp:
    """What a new persoon partij takes from the BRP: its name and the geheimhouding flag
    (None: the BRP could not be asked, so Klantinteracties is told nothing)."""

    contactnaam: Contactnaam | None = None
    geheimhouding: bool | None = None


def adres_key(soort: str, adres: str) -> tuple[str, str]:
    """How two addresses compare: e-mail case-insensitive, phone numbers as digits with
    +31/0031 read as 0, anything else case- and whitespace-insensitive."""
    if soort == "telefoonnummer":
        digits = re.sub(r"[\s\-().]", "", adres)
        for prefix in ("+31", "0031"):
            if digits.startswith(prefix):
                digits = "0" + digits[len(prefix) :]
        return soort, digits
    return soort, " ".join(adres.split()).casefold()


# -- the journal payload ------------------------------------------------------------------


class PartijSleutel(BaseModel):
    """How the partij is identified: its BSN or its KvK-nummer."""

    soort: Literal["bsn", "kvk_nummer"]
    nummer: str


class NieuwDigitaalAdres(BaseModel):
    soort: SoortDigitaalAdres
    adres: str
    omschrijving: str | None = None
    voorkeur: bool = False


class NieuwePartij(BaseModel):
    """What a partij is created with when none has its identificator yet."""

    sleutel: PartijSleutel
    contactnaam: Contactnaam | None = None
    naam: str | None = None
    bezoekadres: Adres | None = None
    correspondentieadres: Adres | None = None


class PartijPlanInput(BaseModel):
    partij: NieuwePartij
    digitale_adressen: list[NieuwDigitaalAdres] = Field(default_factory=list)


class DigitaleAdressenPlanInput(BaseModel):
    partij: str
    digitale_adressen: list[NieuwDigitaalAdres]


# -- what the steps decide ------------------------------------------------------------------


def identificator(key: PartijSleutel) -> PartijIdentificatorGroepType:
    if key.soort == "bsn":
        return PartijIdentificatorGroepType.bsn(key.nummer)
    return PartijIdentificatorGroepType.kvk_nummer(key.nummer)


def contactnaam_uit_brp(persoon: Persoon | None) -> Contactnaam | None:
    """The BRP name as a contactnaam, cut to Klantinteracties' lengths; None if unnamed."""
    naam = persoon.naam if persoon else None
    if naam is None or not (naam.geslachtsnaam or naam.voornamen):
        return None
    return Contactnaam(
        voorletters=(naam.voorletters or "")[:10] or None,
        voornaam=(naam.voornamen or "")[:200] or None,
        voorvoegsel_achternaam=(naam.voorvoegsel or "")[:10] or None,
        achternaam=(naam.geslachtsnaam or "")[:200] or None,
    )


def uit_brp(persoon: Persoon | None) -> UitBrp:
    """Name and geheimhouding of a BRP persoon; the BRP leaves the flag out when it is false."""
    if persoon is None:
        return UitBrp()
    return UitBrp(contactnaam_uit_brp(persoon), bool(persoon.geheimhouding_persoonsgegevens))


def partij_create(
    nieuw: NieuwePartij, brp_naam: Contactnaam | None, *, geheimhouding: bool | None = None
) -> PartijCreate:
    """The POST body: identificator in the same (atomic) call; a given name wins over BRP's;
    `indicatieGeheimhouding` as the BRP says, so other applications on Open Klant see it;
    voorkeurstaal `VOORKEURSTAAL`."""
    persoon = nieuw.sleutel.soort == "bsn"
    if persoon:
        naam = nieuw.contactnaam or brp_naam
        identificatie = PartijIdentificatieWrite(contactnaam=naam) if naam else None
    else:
        identificatie = PartijIdentificatieWrite(naam=nieuw.naam) if nieuw.naam else None
    return PartijCreate(
        soort_partij="persoon" if persoon else "organisatie",
        indicatie_geheimhouding=geheimhouding if persoon else None,
        voorkeurstaal=VOORKEURSTAAL,
        partij_identificatie=identificatie,
        partij_identificatoren=[
            PartijIdentificatorCreate(partij_identificator=identificator(nieuw.sleutel))
        ],
        bezoekadres=nieuw.bezoekadres,
        correspondentieadres=nieuw.correspondentieadres,
    )


@dataclass(frozen=True)
class AdressenPlan:
    """Per wanted address (by position) the existing uuid, or None: still to be created."""

    existing: list[str | None]

    @property
    def missing(self) -> list[int]:
        return [i for i, found in enumerate(self.existing) if found is None]

    def filled(self, made: Sequence[str]) -> list[str]:
        """Every uuid in order; the missing ones from `made` (created in `missing` order)."""
        created = iter(made)
        return [found if found is not None else next(created) for found in self.existing]


def adressen_plan(
    wanted: Sequence[NieuwDigitaalAdres], present: Sequence[DigitaalAdres]
) -> AdressenPlan:
    by_key: dict[tuple[str, str], str] = {}
    for adres in present:
        by_key.setdefault(adres_key(adres.soort_digitaal_adres, adres.adres), adres.uuid)
    return AdressenPlan([by_key.get(adres_key(w.soort, w.adres)) for w in wanted])


def digitaal_adres_create(
    nieuw: NieuwDigitaalAdres, *, partij: str | None = None, betrokkene: str | None = None
) -> DigitaalAdresCreate:
    return DigitaalAdresCreate(
        adres=nieuw.adres,
        soort_digitaal_adres=nieuw.soort,
        omschrijving=nieuw.omschrijving,
        verstrekt_door_partij=partij,
        verstrekt_door_betrokkene=betrokkene,
    )


def voorkeur(wanted: Sequence[NieuwDigitaalAdres], uuids: Sequence[str]) -> str | None:
    """The uuid of the address marked preferred, if any."""
    return next((u for w, u in zip(wanted, uuids, strict=True) if w.voorkeur), None)
