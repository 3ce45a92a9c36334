"""Betrokkenen: who took part in a klantcontact, as klant or vertegenwoordiger.

`wasPartij` may be null for a caller who is not (yet) known as a partij; `contactnaam`
and `organisatienaam` then say who it was. Contact details given for one request only are
digitale adressen with `verstrektDoorBetrokkene` pointing here.
"""

from __future__ import annotations

from bff.sandbox.klantinteracties.fields import Errors, Field, Validator
from bff.sandbox.klantinteracties.groepen import ADRES_FIELDS, CONTACTNAAM_FIELDS, merge
from bff.sandbox.klantinteracties.query import Expansion, Filter
from bff.sandbox.klantinteracties.resource import Resource, same_uuid
from bff.sandbox.klantinteracties.store import (
    CONTACTNAAM_KEYS,
    KlantinteractiesStore,
    Record,
    empty_adres,
    empty_group,
)

FIELDS = (
    Field("rol", "choice", required=True, choices=("vertegenwoordiger", "klant")),
    Field("organisatienaam", max_length=200),
    Field("initiator", "boolean", required=True),
)
GROUPS = {
    "bezoekadres": (ADRES_FIELDS, empty_adres),
    "correspondentieadres": (ADRES_FIELDS, empty_adres),
    "contactnaam": (CONTACTNAAM_FIELDS, lambda: empty_group(CONTACTNAAM_KEYS)),
}


def check(store: KlantinteractiesStore, v: Validator, *, with_klantcontact: bool = True) -> None:
    """Field checks; in `/maak-klantcontact` the klantcontact is not taken from the body."""
    v.ref("wasPartij", store.partijen, "Partij")
    if with_klantcontact:
        v.ref(
            "hadKlantcontact", store.klantcontacten, "Klantcontact", required=True, nullable=False
        )
    for name, (fields, _) in GROUPS.items():
        v.group(name, fields)
    v.fields(FIELDS)


def save(store: KlantinteractiesStore, instance: Record | None, out: Record) -> Record:
    changes = dict(out)
    for name, (_, empty) in GROUPS.items():
        if name in changes:
            changes[name] = merge(instance[name] if instance else None, changes[name], empty())
    if instance is None:
        return store.insert("betrokkenen", changes)
    instance.update(changes)
    return instance


def write(
    store: KlantinteractiesStore, instance: Record | None, body: Record, partial: bool
) -> Record:
    errors = Errors()
    v = Validator(body, errors, partial=partial)
    check(store, v)
    errors.raise_if_any()
    return save(store, instance, v.out)


def _filters(store: KlantinteractiesStore) -> dict[str, Filter]:
    def naam(key: str) -> Filter:
        return Filter(lambda r, v: (r["contactnaam"] or {}).get(key) == v)

    def partij_identificator(code: str) -> Filter:
        def keep(betrokkene: Record, value: object) -> bool:
            partij = betrokkene["wasPartij"]
            idents = store.identificatoren_of_partij(partij) if partij else []
            return any(i[code] == value for i in idents)

        return Filter(keep)

    filters: dict[str, Filter] = {
        "wasPartij__uuid": same_uuid("wasPartij"),
        "hadKlantcontact__uuid": same_uuid("hadKlantcontact"),
        "organisatienaam": Filter(lambda r, v: r["organisatienaam"] == v),
        "contactnaamVoorletters": naam("voorletters"),
        "contactnaamVoornaam": naam("voornaam"),
        "contactnaamVoorvoegselAchternaam": naam("voorvoegselAchternaam"),
        "contactnaamAchternaam": naam("achternaam"),
        "verstrektedigitaalAdres__adres": Filter(
            lambda r, v: any(a["adres"] == v for a in store.adressen_of_betrokkene(r["uuid"]))
        ),
    }
    for code in ("codeObjecttype", "codeRegister", "codeSoortObjectId", "objectId"):
        filters[f"wasPartij__partijIdentificator__{code}"] = partij_identificator(code)
    return filters


def _expansions(store: KlantinteractiesStore) -> dict[str, Expansion]:
    return {
        "digitaleAdressen": Expansion(
            "digitaal_adres", lambda b: store.adressen_of_betrokkene(b["uuid"])
        ),
    }


RESOURCE = Resource("betrokkene", "betrokkenen", write, _filters, _expansions)
