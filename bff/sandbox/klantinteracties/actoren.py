"""Actoren (medewerker, organisatorische eenheid, geautomatiseerde actor) and their klantcontacten.

An actor's `actorIdentificatie` follows its `soortActor`; a medewerker needs `functie` and
`telefoonnummer`. The `actoridentificator` codes are free text and, as in Open Klant, not
unique: two actors may carry the same objectId. `actorklantcontacten` link an actor to a
klantcontact, once per pair.
"""

from __future__ import annotations

from bff.sandbox.klantinteracties.fields import Errors, Field, Validator
from bff.sandbox.klantinteracties.groepen import IDENTIFICATOR_FIELDS, merge, telefoonnummer_field
from bff.sandbox.klantinteracties.query import Filter, uuid_from_url
from bff.sandbox.klantinteracties.resource import Resource, same_uuid, within
from bff.sandbox.klantinteracties.store import (
    IDENTIFICATOR_KEYS,
    KlantinteractiesStore,
    Record,
    empty_group,
)

SOORTEN = ("medewerker", "geautomatiseerde_actor", "organisatorische_eenheid")
FIELDS = (
    Field("naam", required=True, max_length=200),
    Field("soortActor", "choice", required=True, choices=SOORTEN),
    Field("indicatieActief", "boolean"),
)
EMAIL = Field("emailadres", "email", max_length=254)
IDENTIFICATIE: dict[str, tuple[Field, ...]] = {
    "medewerker": (
        Field("functie", required=True, max_length=40),
        EMAIL,
        telefoonnummer_field(required=True),
    ),
    "organisatorische_eenheid": (
        Field("omschrijving", max_length=200),
        EMAIL,
        Field("faxnummer", max_length=20),
        telefoonnummer_field(),
    ),
    "geautomatiseerde_actor": (
        Field("functie", required=True, max_length=40),
        Field("omschrijving", max_length=200),
    ),
}


def empty_identificatie(soort: str) -> Record:
    return {field.name: "" for field in IDENTIFICATIE[soort]}


def _identificatie(v: Validator, soort: str, creating: bool) -> Record | None:
    """The full `actorIdentificatie` for `soort`; each write sends it whole."""
    raw = v.data.get("actorIdentificatie")
    if raw is None and not creating:
        return None
    if raw is not None and not isinstance(raw, dict):
        v.nested("actorIdentificatie")  # reports the type error
        return None
    inner = Validator(raw or {}, v.errors, prefix=v.path("actorIdentificatie."))
    inner.fields(IDENTIFICATIE[soort])
    return {**empty_identificatie(soort), **inner.out}


def write(
    store: KlantinteractiesStore, instance: Record | None, body: Record, partial: bool
) -> Record:
    errors = Errors()
    v = Validator(body, errors, partial=partial)
    v.fields(FIELDS)
    v.group("actoridentificator", IDENTIFICATOR_FIELDS)
    soort = v.out.get("soortActor", instance["soortActor"] if instance else None)
    identificatie = None
    if soort is not None:
        identificatie = _identificatie(v, soort, creating=instance is None)
    errors.raise_if_any()
    changes = dict(v.out)
    if "actoridentificator" in changes:
        stored = instance["actoridentificator"] if instance else None
        empty = empty_group(IDENTIFICATOR_KEYS)
        changes["actoridentificator"] = merge(stored, changes["actoridentificator"], empty)
    if identificatie is not None:
        changes["actorIdentificatie"] = identificatie
    elif instance is not None and soort != instance["soortActor"]:
        changes["actorIdentificatie"] = empty_identificatie(str(soort))
    if instance is None:
        return store.insert("actoren", changes)
    instance.update(changes)
    return instance


def write_link(
    store: KlantinteractiesStore, instance: Record | None, body: Record, partial: bool
) -> Record:
    errors = Errors()
    v = Validator(body, errors, partial=partial)
    v.ref("actor", store.actoren, "Actor", required=True, nullable=False)
    v.ref("klantcontact", store.klantcontacten, "Klantcontact", required=True, nullable=False)
    errors.raise_if_any()
    pair = {**(instance or {}), **v.out}
    for link in store.actorklantcontacten.values():
        same_pair = (link["actor"], link["klantcontact"]) == (pair["actor"], pair["klantcontact"])
        if same_pair and link is not instance:
            reason = "De velden actor, klantcontact moeten een unieke set zijn."
            errors.add("nonFieldErrors", "unique", reason)
    errors.raise_if_any()
    if instance is None:
        return store.insert("actorklantcontacten", v.out)
    instance.update(v.out)
    return instance


def _actor_filters(store: KlantinteractiesStore) -> dict[str, Filter]:
    filters = {
        f"actoridentificator{code[0].upper()}{code[1:]}": within(code, "actoridentificator")
        for code in IDENTIFICATOR_KEYS
    }
    filters["soortActor"] = Filter(lambda r, v: r["soortActor"] == v, "choice", SOORTEN)
    filters["naam"] = Filter(lambda r, v: r["naam"] == v)
    filters["indicatieActief"] = Filter(lambda r, v: r["indicatieActief"] == v, "boolean")
    return filters


def _link_filters(store: KlantinteractiesStore) -> dict[str, Filter]:
    return {
        "actor__uuid": same_uuid("actor"),
        "actor__url": Filter(lambda r, v: r["actor"] == uuid_from_url(str(v))),
        "klantcontact__uuid": same_uuid("klantcontact"),
        "klantcontact__url": Filter(lambda r, v: r["klantcontact"] == uuid_from_url(str(v))),
    }


ACTOR = Resource("actor", "actoren", write, _actor_filters)
ACTORKLANTCONTACT = Resource("actorklantcontact", "actorklantcontacten", write_link, _link_filters)
