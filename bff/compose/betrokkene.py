"""A betrokkene as the frontend shows it: who took part in a klantcontact, by which name,
with the adressen and the contact details given for this request only.

Pure. `naam` is the display name: the volledige naam, else the contactnaam, else the
organisatienaam, else the name of the betrokkene's partij. The parts are shown too
(`contactnaam`, `organisatienaam`). `digitaleAdressen` are the digitale adressen the
betrokkene gave for this contact (`verstrektDoorBetrokkene`, e.g. a number to call back
on), expanded with `hadBetrokkenen.digitaleAdressen`.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import Field

from bff.codes import CodeTables
from bff.compose.adres import AdresView, DigitaalAdresView, compose_adres, compose_digitale_adressen
from bff.compose.base import Code, OutModel
from bff.upstreams.klantinteracties.models import Betrokkene, Contactnaam, Partij


class ContactnaamView(OutModel):
    voorletters: str | None = None
    voornaam: str | None = None
    voorvoegsel_achternaam: str | None = None
    achternaam: str | None = None


class BetrokkeneView(OutModel):
    """`geheimhouding`: the partij has `indicatieGeheimhouding`; handle the person with care."""

    uuid: str
    naam: str | None = Field(
        default=None,
        description="Volledige naam, else contactnaam, else organisatienaam, else the partij's.",
    )
    contactnaam: ContactnaamView | None = None
    organisatienaam: str | None = None
    rol: Code
    initiator: bool
    partij_id: str | None = None
    geheimhouding: bool = False
    bezoekadres: AdresView | None = None
    correspondentieadres: AdresView | None = None
    digitale_adressen: list[DigitaalAdresView] = Field(
        default_factory=list,
        description="Contact details given for this request only (verstrektDoorBetrokkene).",
    )


def contactnaam_text(naam: Contactnaam | None) -> str | None:
    """`Jan de Vries`; voorletters when there is no voornaam; None when all is empty."""
    if naam is None:
        return None
    parts = [naam.voornaam or naam.voorletters, naam.voorvoegsel_achternaam, naam.achternaam]
    text = " ".join(p.strip() for p in parts if p and p.strip())
    return text or None


def partij_naam(partij: Partij) -> str | None:
    ident = partij.partij_identificatie
    if ident is None:
        return None
    return ident.volledige_naam or ident.naam or contactnaam_text(ident.contactnaam)


def betrokkene_partij(
    betrokkene: Betrokkene, partijen_by_uuid: Mapping[str, Partij]
) -> Partij | None:
    """The betrokkene's partij: expanded under it, or joined by uuid."""
    return (betrokkene.expand.was_partij if betrokkene.expand else None) or (
        partijen_by_uuid.get(betrokkene.was_partij.uuid) if betrokkene.was_partij else None
    )


def betrokkene_naam(betrokkene: Betrokkene, partijen_by_uuid: Mapping[str, Partij]) -> str | None:
    own = (
        betrokkene.volledige_naam
        or contactnaam_text(betrokkene.contactnaam)
        or betrokkene.organisatienaam
    )
    if own:
        return own
    partij = betrokkene_partij(betrokkene, partijen_by_uuid)
    return partij_naam(partij) if partij else None


def betrokkene_geheimhouding(
    betrokkene: Betrokkene, partijen_by_uuid: Mapping[str, Partij]
) -> bool:
    partij = betrokkene_partij(betrokkene, partijen_by_uuid)
    return bool(partij and partij.indicatie_geheimhouding)


def betrokkene_digitale_adressen(
    betrokkene: Betrokkene, codes: CodeTables
) -> list[DigitaalAdresView]:
    """The contact details the betrokkene gave for this request (from `expand`)."""
    adressen = (betrokkene.expand.digitale_adressen if betrokkene.expand else None) or ()
    return compose_digitale_adressen(adressen, codes)


def _contactnaam(naam: Contactnaam | None) -> ContactnaamView | None:
    if naam is None or not any(
        (naam.voorletters, naam.voornaam, naam.voorvoegsel_achternaam, naam.achternaam)
    ):
        return None
    return ContactnaamView(
        voorletters=naam.voorletters,
        voornaam=naam.voornaam,
        voorvoegsel_achternaam=naam.voorvoegsel_achternaam,
        achternaam=naam.achternaam,
    )


def compose_betrokkene(
    betrokkene: Betrokkene, codes: CodeTables, partijen_by_uuid: Mapping[str, Partij]
) -> BetrokkeneView:
    return BetrokkeneView(
        uuid=betrokkene.uuid,
        naam=betrokkene_naam(betrokkene, partijen_by_uuid),
        contactnaam=_contactnaam(betrokkene.contactnaam),
        organisatienaam=betrokkene.organisatienaam,
        rol=codes.rol(betrokkene.rol),
        initiator=betrokkene.initiator,
        partij_id=betrokkene.was_partij.uuid if betrokkene.was_partij else None,
        geheimhouding=betrokkene_geheimhouding(betrokkene, partijen_by_uuid),
        bezoekadres=compose_adres(betrokkene.bezoekadres, codes),
        correspondentieadres=compose_adres(betrokkene.correspondentieadres, codes),
        digitale_adressen=betrokkene_digitale_adressen(betrokkene, codes),
    )
