"""Klantinteracties API 0.9.0 (Open Klant 2.18): the client, one class over the resource mixins."""

from __future__ import annotations

from bff.upstreams.klantinteracties.actoren import ActorenMixin
from bff.upstreams.klantinteracties.klantcontacten import KlantcontactenMixin
from bff.upstreams.klantinteracties.partijen import PartijenMixin


class KlantinteractiesClient(PartijenMixin, KlantcontactenMixin, ActorenMixin):
    """Open Klant over `Authorization: Token`; every method returns wire models.

    Partijen, partij-identificatoren and digitale adressen (`PartijenMixin`);
    klantcontacten, maak-klantcontact, betrokkenen, onderwerpobjecten, bijlagen
    (`KlantcontactenMixin`); actoren, actorklantcontacten, interne taken (`ActorenMixin`).
    """
