"""An actor as the frontend shows it: who handled a klantcontact or is assigned an interne taak.

Pure. What an actor carries depends on its soort (Klantinteracties `actorIdentificatie`):

    medewerker                 functie, emailadres, telefoonnummer
    organisatorische_eenheid   omschrijving, emailadres, telefoonnummer
    geautomatiseerde_actor     functie, omschrijving

the other fields are null. Every actor shows `indicatieActief` and its actoridentificator
(the account or register entry it stands for, codes named). An actor referred to by uuid
that could not be resolved (gone upstream, or not fetched) is shown with its uuid only
(`unknown_actor`).
"""

from __future__ import annotations

from collections.abc import Mapping

from bff.codes import CodeTables
from bff.compose.base import Code, OutModel
from bff.compose.identificator import IdentificatorView, compose_identificator
from bff.upstreams.klantinteracties.models import Actor, ActorIdentificatie, SoortActor

FIELDS_PER_SOORT: Mapping[SoortActor, frozenset[str]] = {
    "medewerker": frozenset({"functie", "emailadres", "telefoonnummer"}),
    "organisatorische_eenheid": frozenset({"omschrijving", "emailadres", "telefoonnummer"}),
    "geautomatiseerde_actor": frozenset({"functie", "omschrijving"}),
}


class ActorView(OutModel):
    """An actor; `naam` and `soortActor` are null only when the actor could not be resolved."""

    uuid: str
    naam: str | None = None
    soort_actor: Code | None = None
    functie: str | None = None
    emailadres: str | None = None
    telefoonnummer: str | None = None
    omschrijving: str | None = None
    indicatie_actief: bool | None = None
    actoridentificator: IdentificatorView | None = None


def compose_actor(actor: Actor, codes: CodeTables) -> ActorView:
    ident = actor.actor_identificatie or ActorIdentificatie()
    shown = FIELDS_PER_SOORT[actor.soort_actor]

    def field(name: str) -> str | None:
        value: str | None = getattr(ident, name)
        return value if name in shown else None

    return ActorView(
        uuid=actor.uuid,
        naam=actor.naam,
        soort_actor=codes.soort_actor(actor.soort_actor),
        functie=field("functie"),
        emailadres=field("emailadres"),
        telefoonnummer=field("telefoonnummer"),
        omschrijving=field("omschrijving"),
        indicatie_actief=actor.indicatie_actief,
        actoridentificator=compose_identificator(actor.actoridentificator, codes),
    )


def unknown_actor(uuid: str) -> ActorView:
    return ActorView(uuid=uuid)


def actor_by_uuid(uuid: str, actors_by_uuid: Mapping[str, Actor], codes: CodeTables) -> ActorView:
    """The actor with this uuid from `actors_by_uuid`, or its uuid alone when absent."""
    found = actors_by_uuid.get(uuid)
    return compose_actor(found, codes) if found is not None else unknown_actor(uuid)


class ActorViews:
    """The actor views of one page of klantcontacten, each composed once: the same
    medewerker handles many klantcontacten and is assigned many interne taken.

    Lives for one composition only (never across requests). Inline actoren
    (`hadBetrokkenActoren`) and actoren looked up by uuid are kept apart, so each is
    shown exactly as `compose_actor` / `actor_by_uuid` would show it.
    """

    def __init__(self, codes: CodeTables, actors_by_uuid: Mapping[str, Actor]) -> None:
        self.codes = codes
        self.actors_by_uuid = actors_by_uuid
        self._inline: dict[str, ActorView] = {}
        self._by_uuid: dict[str, ActorView] = {}

    def of(self, actor: Actor) -> ActorView:
        view = self._inline.get(actor.uuid)
        if view is None:
            view = self._inline[actor.uuid] = compose_actor(actor, self.codes)
        return view

    def by_uuid(self, uuid: str) -> ActorView:
        view = self._by_uuid.get(uuid)
        if view is None:
            view = self._by_uuid[uuid] = actor_by_uuid(uuid, self.actors_by_uuid, self.codes)
        return view
