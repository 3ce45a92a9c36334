"""A zaak as the frontend shows it: identificatie, omschrijving, zaaktype and status by name,
vertrouwelijkheidaanduiding as a code with its meaning.

Pure. The zaaktype and the current status's statustype come from Open Zaak's `expand`
(`zaak_parts`) or, where the caller resolved them through the Catalogi cache, as
arguments. Used by the klantbeeld's zaken section and to name the zaak an onderwerpobject
of a klantcontact points at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from bff.codes import VERTROUWELIJKHEIDAANDUIDING
from bff.compose.base import Code, OutModel
from bff.upstreams.catalogi import StatusType, ZaakType
from bff.upstreams.zaken import Status, Zaak


class ZaakView(OutModel):
    """`zaaktype` and `status` are the omschrijvingen; null when they could not be resolved."""

    uuid: str
    identificatie: str | None = None
    omschrijving: str | None = None
    zaaktype: str | None = None
    status: str | None = None
    status_gezet_op: datetime | None = None
    startdatum: date
    einddatum: date | None = None
    einddatum_gepland: date | None = None
    uiterlijke_einddatum_afdoening: date | None = None
    vertrouwelijkheidaanduiding: Code | None = None


@dataclass(frozen=True)
class ZaakParts:
    """What a zaak refers to, resolved: its zaaktype, current status and that statustype."""

    zaaktype: ZaakType | None = None
    status: Status | None = None
    statustype: StatusType | None = None


def zaak_parts(zaak: Zaak) -> tuple[ZaakType | None, Status | None, StatusType | None]:
    """The zaaktype, current status and its statustype that `expand` inlined, if any."""
    expanded = zaak.expand
    if expanded is None:
        return None, None, None
    status = expanded.status
    statustype = status.expand.statustype if status and status.expand else None
    return expanded.zaaktype, status, statustype


def compose_zaak(
    zaak: Zaak,
    *,
    zaaktype: ZaakType | None = None,
    status: Status | None = None,
    statustype: StatusType | None = None,
) -> ZaakView:
    """The zaak; parts not given are taken from its `expand` when present."""
    inline_zaaktype, inline_status, inline_statustype = zaak_parts(zaak)
    zaaktype = zaaktype or inline_zaaktype
    status = status or inline_status
    statustype = statustype or inline_statustype
    return ZaakView(
        uuid=zaak.uuid,
        identificatie=zaak.identificatie,
        omschrijving=zaak.omschrijving,
        zaaktype=zaaktype.omschrijving if zaaktype else None,
        status=statustype.omschrijving if statustype else None,
        status_gezet_op=status.datum_status_gezet if status else None,
        startdatum=zaak.startdatum,
        einddatum=zaak.einddatum,
        einddatum_gepland=zaak.einddatum_gepland,
        uiterlijke_einddatum_afdoening=zaak.uiterlijke_einddatum_afdoening,
        vertrouwelijkheidaanduiding=VERTROUWELIJKHEIDAANDUIDING.code(
            zaak.vertrouwelijkheidaanduiding
        )
        if zaak.vertrouwelijkheidaanduiding
        else None,
    )


def zaken_newest_first(zaken: Iterable[ZaakView]) -> list[ZaakView]:
    """Open zaken and closed alike, by startdatum, newest first (identificatie breaks ties)."""
    return sorted(zaken, key=lambda z: (z.startdatum, z.identificatie or ""), reverse=True)


def index_zaken(zaken: Iterable[ZaakView]) -> Mapping[str, ZaakView]:
    """Zaken by (lower-case) uuid, for joining onderwerpobjecten."""
    return {z.uuid.lower(): z for z in zaken}
