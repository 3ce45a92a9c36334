"""Registering a partij and its digitale adressen: the request models, their checks, the answer.

`PartijInput` (`POST /api/v1/partijen`) and `DigitaleAdressenInput`
(`POST /api/v1/partijen/{id}/digitale-adressen`) are checked as Klantinteracties checks
them, so a bad request is refused before anything is written; `partij_problems`,
`adressen_problems` and `land_problems` add the rules across fields and the reference
list of landen. The journal payload and the steps' decisions live in
`bff.compose.partij_registratie_plan`. No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from pydantic import Field, ValidationInfo, field_validator

from bff.compose.base import InModel, OutModel
from bff.compose.partij_registratie_plan import (
    NieuwDigitaalAdres,
    NieuwePartij,
    PartijPlanInput,
    PartijSleutel,
    SoortDigitaalAdres,
    adres_key,
)
from bff.errors import InvalidParam
from bff.registration.model import Registration, RegistrationStatus
from bff.upstreams.klantinteracties.models import Adres, Contactnaam
from bff.validation import (
    Bsn,
    KvkNummer,
    Postcode,
    normalise_emailadres,
    normalise_telefoonnummer,
    postcode_with_space,
)

MAX_DIGITALE_ADRESSEN = 10


class LandCodes(Protocol):
    """What the checks need of the reference lists (`bff.codes.CodeTables.landen`)."""

    def is_valid(self, code: str, on: date) -> bool: ...


# -- input ------------------------------------------------------------------------------


class DigitaalAdresInput(InModel):
    """A contact detail as typed; `voorkeur`: make it the partij's preferred address."""

    soort_digitaal_adres: SoortDigitaalAdres
    adres: str = Field(min_length=1, max_length=80)
    omschrijving: str | None = Field(default=None, max_length=40)
    voorkeur: bool = False

    @field_validator("adres")
    @classmethod
    def _adres_past_bij_soort(cls, value: str, info: ValidationInfo) -> str:
        soort = info.data.get("soort_digitaal_adres")
        if soort == "email":
            return normalise_emailadres(value)
        if soort == "telefoonnummer":
            return normalise_telefoonnummer(value)
        return value


class ContactnaamInput(InModel):
    voorletters: str | None = Field(default=None, max_length=10)
    voornaam: str | None = Field(default=None, max_length=200)
    voorvoegsel_achternaam: str | None = Field(default=None, max_length=10)
    achternaam: str | None = Field(default=None, max_length=200)

    def is_empty(self) -> bool:
        return not any((self.voorletters, self.voornaam, self.achternaam))

    def wire(self) -> Contactnaam:
        return Contactnaam.model_validate(self.model_dump())


class AdresInput(InModel):
    """A bezoek- or correspondentieadres; `land` is an ISO 3166 alpha-2 code, as stored."""

    straatnaam: str | None = Field(default=None, max_length=255)
    huisnummer: int | None = Field(default=None, ge=1, le=99999)
    huisnummertoevoeging: str | None = Field(default=None, max_length=20)
    postcode: Postcode | None = None
    stad: str | None = Field(default=None, max_length=255)
    adresregel1: str | None = Field(default=None, max_length=80)
    adresregel2: str | None = Field(default=None, max_length=80)
    adresregel3: str | None = Field(default=None, max_length=80)
    land: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")

    def wire(self) -> Adres:
        values = self.model_dump()
        if self.postcode:
            values["postcode"] = postcode_with_space(self.postcode)
        return Adres.model_validate(values)


class PartijInput(InModel):
    """`POST /api/v1/partijen`: a persoon by BSN or an organisatie by KvK-nummer."""

    bsn: Bsn | None = None
    kvk_nummer: KvkNummer | None = None
    contactnaam: ContactnaamInput | None = Field(
        default=None, description="A persoon's name; without it the name comes from the BRP."
    )
    naam: str | None = Field(default=None, max_length=200, description="An organisatie's name.")
    bezoekadres: AdresInput | None = None
    correspondentieadres: AdresInput | None = None
    digitale_adressen: list[DigitaalAdresInput] = Field(
        default_factory=list, max_length=MAX_DIGITALE_ADRESSEN
    )


class DigitaleAdressenInput(InModel):
    """`POST /api/v1/partijen/{id}/digitale-adressen`."""

    digitale_adressen: list[DigitaalAdresInput] = Field(
        min_length=1, max_length=MAX_DIGITALE_ADRESSEN
    )


def adressen_problems(adressen: Sequence[DigitaalAdresInput], prefix: str) -> list[InvalidParam]:
    """At most one preferred address; no address twice."""
    problems: list[InvalidParam] = []
    seen: set[tuple[str, str]] = set()
    preferred = 0
    for index, item in enumerate(adressen):
        key = adres_key(item.soort_digitaal_adres, item.adres)
        if key in seen:
            problems.append(
                InvalidParam(f"{prefix}.{index}.adres", "This address is given twice.", "duplicate")
            )
        seen.add(key)
        preferred += item.voorkeur
        if item.voorkeur and preferred > 1:
            problems.append(
                InvalidParam(
                    f"{prefix}.{index}.voorkeur",
                    "Only one address can be the preferred one.",
                    "one-voorkeur",
                )
            )
    return problems


def partij_problems(partij: PartijInput) -> list[InvalidParam]:
    problems: list[InvalidParam] = []
    if (partij.bsn is None) == (partij.kvk_nummer is None):
        problems.append(
            InvalidParam("bsn", "Give either a BSN (persoon) or a KvK-nummer (organisatie).")
        )
    if partij.kvk_nummer is not None and partij.contactnaam is not None:
        problems.append(
            InvalidParam("contactnaam", "An organisatie has a naam, not a contactnaam.")
        )
    if partij.bsn is not None and partij.naam is not None:
        problems.append(InvalidParam("naam", "A persoon has a contactnaam, not a naam."))
    return problems + adressen_problems(partij.digitale_adressen, "digitaleAdressen")


def land_problems(raw: Mapping[str, Any], landen: LandCodes, on: date) -> list[InvalidParam]:
    """Unknown or expired `land` codes in the adressen of a raw partij body."""
    problems = []
    for group in ("bezoekadres", "correspondentieadres"):
        adres = raw.get(group)
        land = adres.get("land") if isinstance(adres, Mapping) else None
        if isinstance(land, str) and land and not landen.is_valid(land, on):
            problems.append(
                InvalidParam(f"{group}.land", "Not a known, current country code.", "unknown-code")
            )
    return problems


def nieuwe_adressen(adressen: Sequence[DigitaalAdresInput]) -> list[NieuwDigitaalAdres]:
    return [
        NieuwDigitaalAdres(
            soort=a.soort_digitaal_adres,
            adres=a.adres,
            omschrijving=a.omschrijving,
            voorkeur=a.voorkeur,
        )
        for a in adressen
    ]


def sleutel(*, bsn: str | None, kvk_nummer: str | None) -> PartijSleutel | None:
    if bsn is not None:
        return PartijSleutel(soort="bsn", nummer=bsn)
    if kvk_nummer is not None:
        return PartijSleutel(soort="kvk_nummer", nummer=kvk_nummer)
    return None


def partij_plan_input(partij: PartijInput) -> PartijPlanInput:
    key = sleutel(bsn=partij.bsn, kvk_nummer=partij.kvk_nummer)
    if key is None:  # refused by partij_problems before this is called
        raise ValueError("a partij needs a BSN or a KvK-nummer")
    return PartijPlanInput(
        partij=NieuwePartij(
            sleutel=key,
            contactnaam=partij.contactnaam.wire() if partij.contactnaam else None,
            naam=partij.naam,
            bezoekadres=partij.bezoekadres.wire() if partij.bezoekadres else None,
            correspondentieadres=(
                partij.correspondentieadres.wire() if partij.correspondentieadres else None
            ),
        ),
        digitale_adressen=nieuwe_adressen(partij.digitale_adressen),
    )


# -- the answer -----------------------------------------------------------------------------


class RegistratieLinks(OutModel):
    registratie: str = Field(description="GET it for the state of every step.")


def registratie_links(reg: Registration) -> RegistratieLinks:
    return RegistratieLinks(registratie=f"/api/v1/registraties/{reg.id}")


class PartijRegistratie(OutModel):
    """The partij (found or created) and its digitale adressen, as far as done."""

    registratie_id: str
    status: RegistrationStatus
    partij: str | None = None
    nieuw: bool | None = Field(default=None, description="Created now (true) or found (false).")
    digitale_adressen: list[str] = Field(default_factory=list)
    voorkeurs_digitaal_adres: str | None = None
    links: RegistratieLinks


def compose_partij_registratie(reg: Registration) -> PartijRegistratie:
    results = reg.results()
    partij = results.get("partij", {})
    adressen = results.get("digitale-adressen", {})
    known = reg.payload.get("partij")  # a uuid when adding adressen to a known partij
    return PartijRegistratie(
        registratie_id=reg.id,
        status=reg.status,
        partij=partij.get("partij") or (known if isinstance(known, str) else None),
        nieuw=partij.get("nieuw"),
        digitale_adressen=list(adressen.get("digitaleAdressen", [])),
        voorkeurs_digitaal_adres=adressen.get("voorkeursDigitaalAdres"),
        links=registratie_links(reg),
    )
