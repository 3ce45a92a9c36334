"""The partij in the klantbeeld: names, adressen, identificatoren and digitale adressen.

Pure. Digitale adressen are folded: Open Klant does not make `adres` unique, so the same
e-mail address or phone number given twice (at the balie and on the web) is shown once,
keyed by soort and normalised adres; the one kept is the voorkeur, else the standaard,
else the first, and it carries `isStandaardAdres`/`voorkeur` when any of the folded did.
Shown: the voorkeur first, then e-mail, telefoonnummer, overig, the standaard first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import Field

from bff.codes import CodeTables
from bff.compose.adres import (  # re-exported: the klantbeeld's partij shows them
    AdresView,
    DigitaalAdresView,
    compose_adres,
)
from bff.compose.base import Code, OutModel
from bff.compose.betrokkene import partij_naam
from bff.upstreams.klantinteracties.models import DigitaalAdres, Partij

SOORT_ORDER = {"email": 0, "telefoonnummer": 1, "overig": 2}
_PHONE_NOISE = re.compile(r"[\s\-().]")


class PartijIdentificatorView(OutModel):
    """A partij-identificator; each code with its meaning (`bsn`: Burgerservicenummer)."""

    code_register: Code
    code_objecttype: Code
    code_soort_object_id: Code
    object_id: str


class PartijView(OutModel):
    uuid: str
    nummer: str | None = None
    interne_notitie: str | None = Field(
        default=None, description="The municipality's internal note on this partij."
    )
    soort_partij: Code
    naam: str | None = None
    indicatie_actief: bool
    indicatie_geheimhouding: bool = False
    voorkeurstaal: Code | None = None
    bezoekadres: AdresView | None = None
    correspondentieadres: AdresView | None = None
    identificatoren: list[PartijIdentificatorView]
    digitale_adressen: list[DigitaalAdresView]


def normalised_adres(adres: DigitaalAdres) -> str:
    """The key two digitale adressen share when they are the same: case, spaces, `+31`."""
    text = adres.adres.strip()
    if adres.soort_digitaal_adres == "telefoonnummer":
        text = _PHONE_NOISE.sub("", text)
        for prefix in ("+31", "0031"):
            if text.startswith(prefix):
                text = "0" + text[len(prefix) :]
    return f"{adres.soort_digitaal_adres}:{text.casefold()}"


def fold_digitale_adressen(
    adressen: Iterable[DigitaalAdres], voorkeur_uuid: str | None, codes: CodeTables
) -> list[DigitaalAdresView]:
    """One entry per soort + normalised adres; see the module docstring."""
    groups: dict[str, list[DigitaalAdres]] = {}
    for adres in adressen:
        groups.setdefault(normalised_adres(adres), []).append(adres)
    folded: list[tuple[tuple[int, int, int], DigitaalAdresView]] = []
    for same in groups.values():
        voorkeur = any(a.uuid == voorkeur_uuid for a in same)
        standaard = any(a.is_standaard_adres for a in same)
        kept = next(
            (a for a in same if a.uuid == voorkeur_uuid),
            next((a for a in same if a.is_standaard_adres), same[0]),
        )
        view = DigitaalAdresView(
            uuid=kept.uuid,
            soort_digitaal_adres=codes.soort_digitaal_adres(kept.soort_digitaal_adres),
            adres=kept.adres,
            omschrijving=kept.omschrijving,
            is_standaard_adres=standaard,
            voorkeur=voorkeur,
        )
        order = SOORT_ORDER.get(kept.soort_digitaal_adres, len(SOORT_ORDER))
        folded.append(((0 if voorkeur else 1, order, 0 if standaard else 1), view))
    folded.sort(key=lambda item: item[0])  # stable: upstream order breaks ties
    return [view for _, view in folded]


def compose_partij(partij: Partij, codes: CodeTables) -> PartijView:
    adressen = (partij.expand.digitale_adressen if partij.expand else None) or ()
    voorkeur = partij.voorkeurs_digitaal_adres.uuid if partij.voorkeurs_digitaal_adres else None
    return PartijView(
        uuid=partij.uuid,
        nummer=partij.nummer,
        interne_notitie=partij.interne_notitie,
        soort_partij=codes.soort_partij(partij.soort_partij),
        naam=partij_naam(partij),
        indicatie_actief=partij.indicatie_actief,
        indicatie_geheimhouding=bool(partij.indicatie_geheimhouding),
        voorkeurstaal=codes.taal(partij.voorkeurstaal) if partij.voorkeurstaal else None,
        bezoekadres=compose_adres(partij.bezoekadres, codes),
        correspondentieadres=compose_adres(partij.correspondentieadres, codes),
        identificatoren=[
            PartijIdentificatorView(
                code_register=codes.code_register(i.partij_identificator.code_register),
                code_objecttype=codes.code_objecttype(i.partij_identificator.code_objecttype),
                code_soort_object_id=codes.code_soort_object_id(
                    i.partij_identificator.code_soort_object_id
                ),
                object_id=i.partij_identificator.object_id,
            )
            for i in partij.partij_identificatoren or ()
        ],
        digitale_adressen=fold_digitale_adressen(adressen, voorkeur, codes),
    )


def bsn_of(partij: Partij) -> str | None:
    """The BSN among the partij's identificatoren, if any."""
    return _identificator_of(partij, "brp", "bsn")


def organisatie_of(partij: Partij) -> tuple[str, str | None] | None:
    """The partij's KvK-nummer and, for a vestiging, its vestigingsnummer; None without."""
    kvk_nummer = _identificator_of(partij, "hr", "kvk_nummer")
    if kvk_nummer is None:
        return None
    return kvk_nummer, _identificator_of(partij, "hr", "vestigingsnummer")


def _identificator_of(partij: Partij, register: str, soort: str) -> str | None:
    for ident in partij.partij_identificatoren or ():
        value = ident.partij_identificator
        if value.code_register == register and value.code_soort_object_id == soort:
            return value.object_id
    return None
