"""Adressen as the frontend shows them: a physical adres (bezoek- or correspondentieadres
of a partij or betrokkene) and a digitaal adres (e-mail, phone, other).

Pure. The land of an adres is named from the reference lists (Tabel 34 or ISO 3166
alpha-2), the soort of a digitaal adres from the Klantinteracties enum.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from bff.codes import CodeTables
from bff.compose.base import Code, OutModel
from bff.upstreams.klantinteracties.models import Adres, DigitaalAdres


class AdresView(OutModel):
    nummeraanduiding_id: str | None = Field(
        default=None, description="The BAG nummeraanduiding the adres points at."
    )
    straatnaam: str | None = None
    huisnummer: int | None = None
    huisnummertoevoeging: str | None = None
    postcode: str | None = None
    stad: str | None = None
    adresregel1: str | None = None
    adresregel2: str | None = None
    adresregel3: str | None = None
    land: Code | None = None


class DigitaalAdresView(OutModel):
    uuid: str
    soort_digitaal_adres: Code
    adres: str
    omschrijving: str | None = None
    is_standaard_adres: bool = False
    voorkeur: bool = False


def compose_adres(adres: Adres | None, codes: CodeTables) -> AdresView | None:
    """The adres; None when it is absent or has no field filled."""
    if adres is None or _blank(adres):
        return None
    return AdresView(
        nummeraanduiding_id=adres.nummeraanduiding_id,
        straatnaam=adres.straatnaam,
        huisnummer=adres.huisnummer,
        huisnummertoevoeging=adres.huisnummertoevoeging,
        postcode=adres.postcode,
        stad=adres.stad,
        adresregel1=adres.adresregel1,
        adresregel2=adres.adresregel2,
        adresregel3=adres.adresregel3,
        land=codes.land(adres.land) if adres.land else None,
    )


def _blank(adres: Adres) -> bool:
    """No field filled (Open Klant sends an empty adres as all blank text)."""
    return adres.huisnummer is None and not any(
        (
            adres.nummeraanduiding_id,
            adres.straatnaam,
            adres.huisnummertoevoeging,
            adres.postcode,
            adres.stad,
            adres.adresregel1,
            adres.adresregel2,
            adres.adresregel3,
            adres.land,
        )
    )


def compose_digitale_adressen(
    adressen: Iterable[DigitaalAdres], codes: CodeTables
) -> list[DigitaalAdresView]:
    """Digitale adressen as they came, each with its soort named."""
    return [
        DigitaalAdresView(
            uuid=a.uuid,
            soort_digitaal_adres=codes.soort_digitaal_adres(a.soort_digitaal_adres),
            adres=a.adres,
            omschrijving=a.omschrijving,
            is_standaard_adres=bool(a.is_standaard_adres),
        )
        for a in adressen
    ]
