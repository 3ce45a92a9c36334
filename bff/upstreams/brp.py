"""BRP Personen bevragen 2.7 (Haal Centraal): find and read persons with `POST /personen`.

One endpoint, three query types used here (RaadpleegMetBurgerservicenummer,
ZoekMetGeslachtsnaamEnGeboortedatum, ZoekMetPostcodeEnHuisnummer), each with a
`fields` list the caller must choose (data minimisation). No paging. Personal data
travels only in the request body.

Purpose headers are deployment specific: the gateway in front of the BRP decides
which it needs. `BRP_PURPOSE_HEADERS` maps the `brp` settings that are set to the
header names in common use (as in Open Formulieren's BRP plugin); they are the
client's defaults. Per call, `purpose_headers` (from `bff.privacy.purpose`: the
activity's doelbinding/verwerking and the medewerker as `x-gebruiker`) override them.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import httpx

from bff.errors import UpstreamError, UpstreamUnavailable
from bff.settings import BrpUpstreamSettings
from bff.upstreams.base import UpstreamClient, WireModel

BRP_PURPOSE_HEADERS: dict[str, str] = {
    "doelbinding": "x-doelbinding",
    "verwerking": "x-verwerking",
    "origin_oin": "x-origin-oin",
}
MAX_BSNS = 20
MAX_FIELDS = 130
FIELD_PATTERN = re.compile(r"^[a-zA-Z0-9._]{1,200}$")
BSN_PATTERN = re.compile(r"^[0-9]{9}$")


def brp_purpose_headers(settings: BrpUpstreamSettings) -> dict[str, str]:
    """The purpose headers for the settings that are set (deployment specific)."""
    values = {
        "doelbinding": settings.doelbinding,
        "verwerking": settings.verwerking,
        "origin_oin": settings.origin_oin,
    }
    return {BRP_PURPOSE_HEADERS[k]: v for k, v in values.items() if v}


class Waardetabel(WireModel):
    code: str | None = None
    omschrijving: str | None = None


class Datum(WireModel):
    """AbstractDatum: `Datum` (full), `JaarMaandDatum`, `JaarDatum` or `DatumOnbekend`."""

    type: str
    lang_formaat: str | None = None
    datum: date | None = None
    jaar: int | None = None
    maand: int | None = None
    onbekend: bool | None = None


class AdellijkeTitelPredicaat(Waardetabel):
    soort: str | None = None


class Naam(WireModel):
    voornamen: str | None = None
    voorvoegsel: str | None = None
    geslachtsnaam: str | None = None
    voorletters: str | None = None
    volledige_naam: str | None = None
    adellijke_titel_predicaat: AdellijkeTitelPredicaat | None = None
    aanduiding_naamgebruik: Waardetabel | None = None


class Geboorte(WireModel):
    datum: Datum | None = None
    land: Waardetabel | None = None
    plaats: Waardetabel | None = None


class Overlijden(WireModel):
    datum: Datum | None = None
    land: Waardetabel | None = None
    plaats: Waardetabel | None = None


class OpschortingBijhouding(WireModel):
    reden: Waardetabel | None = None
    datum: Datum | None = None


class Aanschrijfwijze(WireModel):
    naam: str | None = None
    aanspreekvorm: str | None = None


class Adressering(WireModel):
    adresregel1: str | None = None
    adresregel2: str | None = None
    adresregel3: str | None = None
    land: Waardetabel | None = None
    aanhef: str | None = None
    aanschrijfwijze: Aanschrijfwijze | None = None
    gebruik_in_lopende_tekst: str | None = None
    indicatie_vastgesteld_verblijft_niet_op_adres: bool | None = None


class Verblijfadres(WireModel):
    """Binnenland (street fields), buitenland (`regel1-3`, `land`) or locatie, folded."""

    officiele_straatnaam: str | None = None
    korte_straatnaam: str | None = None
    huisnummer: int | None = None
    huisletter: str | None = None
    huisnummertoevoeging: str | None = None
    aanduiding_bij_huisnummer: Waardetabel | None = None
    postcode: str | None = None
    woonplaats: str | None = None
    regel1: str | None = None
    regel2: str | None = None
    regel3: str | None = None
    land: Waardetabel | None = None
    locatiebeschrijving: str | None = None


class Verblijfplaats(WireModel):
    """`type`: Adres, VerblijfplaatsBuitenland, VerblijfplaatsOnbekend or Locatie."""

    type: str
    verblijfadres: Verblijfadres | None = None
    functie_adres: Waardetabel | None = None
    datum_van: Datum | None = None
    nummeraanduiding_identificatie: str | None = None
    adresseerbaar_object_identificatie: str | None = None


class Persoon(WireModel):
    """A person as returned for the requested `fields` (everything else absent)."""

    burgerservicenummer: str | None = None
    naam: Naam | None = None
    geboorte: Geboorte | None = None
    geslacht: Waardetabel | None = None
    leeftijd: int | None = None
    adressering: Adressering | None = None
    verblijfplaats: Verblijfplaats | None = None
    overlijden: Overlijden | None = None
    geheimhouding_persoonsgegevens: bool | None = None
    opschorting_bijhouding: OpschortingBijhouding | None = None


class PersonenResponse(WireModel):
    type: str
    personen: tuple[Persoon, ...] = ()


def _check_fields(fields: Sequence[str]) -> list[str]:
    if not 1 <= len(fields) <= MAX_FIELDS or not all(FIELD_PATTERN.match(f) for f in fields):
        raise ValueError(f"fields: 1..{MAX_FIELDS} dotted field paths")
    return list(fields)


class BrpClient(UpstreamClient):
    """Haal Centraal BRP Personen bevragen; auth and purpose headers set per deployment."""

    name = "brp"

    async def raadpleeg_met_burgerservicenummer(
        self,
        burgerservicenummers: Sequence[str],
        *,
        fields: Sequence[str],
        gemeente_van_inschrijving: str | None = None,
        purpose_headers: Mapping[str, str] | None = None,
    ) -> list[Persoon]:
        """The persons with these BSNs (1-20); unknown BSNs are simply absent."""
        bsns = list(burgerservicenummers)
        if not 1 <= len(bsns) <= MAX_BSNS or not all(BSN_PATTERN.match(b) for b in bsns):
            raise ValueError(f"1..{MAX_BSNS} BSNs of 9 digits")
        criteria = {
            "burgerservicenummer": bsns,
            "gemeenteVanInschrijving": gemeente_van_inschrijving,
        }
        return await self._personen(
            "RaadpleegMetBurgerservicenummer", criteria, fields, purpose_headers
        )

    async def zoek_met_geslachtsnaam_en_geboortedatum(
        self,
        *,
        geslachtsnaam: str,
        geboortedatum: date,
        fields: Sequence[str],
        voornamen: str | None = None,
        voorvoegsel: str | None = None,
        geslacht: str | None = None,
        inclusief_overleden_personen: bool = False,
        gemeente_van_inschrijving: str | None = None,
        purpose_headers: Mapping[str, str] | None = None,
    ) -> list[Persoon]:
        body: dict[str, Any] = {
            "geslachtsnaam": geslachtsnaam,
            "geboortedatum": geboortedatum.isoformat(),
            "voornamen": voornamen,
            "voorvoegsel": voorvoegsel,
            "geslacht": geslacht,
            "inclusiefOverledenPersonen": inclusief_overleden_personen or None,
            "gemeenteVanInschrijving": gemeente_van_inschrijving,
        }
        return await self._personen(
            "ZoekMetGeslachtsnaamEnGeboortedatum", body, fields, purpose_headers
        )

    async def zoek_met_postcode_en_huisnummer(
        self,
        *,
        postcode: str,
        huisnummer: int,
        fields: Sequence[str],
        huisletter: str | None = None,
        huisnummertoevoeging: str | None = None,
        geboortedatum: date | None = None,
        geslachtsnaam: str | None = None,
        inclusief_overleden_personen: bool = False,
        gemeente_van_inschrijving: str | None = None,
        purpose_headers: Mapping[str, str] | None = None,
    ) -> list[Persoon]:
        body: dict[str, Any] = {
            "postcode": postcode,
            "huisnummer": huisnummer,
            "huisletter": huisletter,
            "huisnummertoevoeging": huisnummertoevoeging,
            "geboortedatum": geboortedatum.isoformat() if geboortedatum else None,
            "geslachtsnaam": geslachtsnaam,
            "inclusiefOverledenPersonen": inclusief_overleden_personen or None,
            "gemeenteVanInschrijving": gemeente_van_inschrijving,
        }
        return await self._personen("ZoekMetPostcodeEnHuisnummer", body, fields, purpose_headers)

    async def _personen(
        self,
        query_type: str,
        criteria: Mapping[str, Any],
        fields: Sequence[str],
        purpose_headers: Mapping[str, str] | None,
    ) -> list[Persoon]:
        """POST one query; criteria that are None are left out of the body."""
        body: dict[str, Any] = {"type": query_type, "fields": _check_fields(fields)}
        body.update({k: v for k, v in criteria.items() if v is not None})
        found = await self.send_model(
            "POST", "personen", PersonenResponse, json=body, headers=purpose_headers
        )
        return list(found.personen)

    async def probe(self) -> str | None:
        """BRP has no cheap, side-effect-free GET. The probe POSTs a query with no BSN:
        the service validates it and answers 400, which proves it is up and accepted our
        credentials, without reading (or logging the reading of) any person. 401/403 and
        5xx are failures. Sent on `self.http` directly so no 400 warning is logged."""
        body = {
            "type": "RaadpleegMetBurgerservicenummer",
            "fields": ["burgerservicenummer"],
            "burgerservicenummer": [],
        }
        try:
            async with asyncio.timeout(self.timeout_s):
                response = await self.http.post("personen", json=body)
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise UpstreamUnavailable(
                self.name, "brp did not answer in time.", reason="timeout"
            ) from exc
        except httpx.TransportError as exc:
            raise UpstreamUnavailable(
                self.name, "brp could not be reached.", reason="unreachable"
            ) from exc
        if response.status_code in (200, 400):
            version: str | None = response.headers.get("API-version")
            return version
        if response.status_code in (401, 403):
            raise UpstreamError(
                self.name, f"brp refused our credentials ({response.status_code}).", reason="auth"
            )
        raise UpstreamError(
            self.name, f"brp answered with status {response.status_code}.", reason="status"
        )
