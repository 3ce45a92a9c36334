"""Klantinteracties API 0.9.0 (Open Klant 2.18): client, wire models and request bodies.

client.py          KlantinteractiesClient (the mixins below in one class)
common.py          paging, expand builder, duplicate-identificator quirk, probe
partijen.py        partijen, partij-identificatoren, digitale adressen
klantcontacten.py  klantcontacten, maak-klantcontact, betrokkenen, onderwerpobjecten, bijlagen
actoren.py         actoren, actorklantcontacten, interne taken
models.py          what we read
writes.py          what we write
"""

from bff.upstreams.klantinteracties.client import KlantinteractiesClient
from bff.upstreams.klantinteracties.common import (
    BETROKKENE_EXPAND,
    KLANTCONTACT_EXPAND,
    PARTIJ_EXPAND,
    DuplicatePartijIdentificator,
    PageOf,
    build_expand,
)

__all__ = [
    "BETROKKENE_EXPAND",
    "KLANTCONTACT_EXPAND",
    "PARTIJ_EXPAND",
    "DuplicatePartijIdentificator",
    "KlantinteractiesClient",
    "PageOf",
    "build_expand",
]
