"""Onderwerpobjecten and bijlagen: what a klantcontact was about, and what it included.

Both point at an object in another register through a gegevensgroep of four free-text
codes (for a zaak e.g. `zaak`/`open-zaak`/`uuid`/<zaak uuid>; for a bijlage e.g. a
productaanvraag in the Objects API).
"""

from __future__ import annotations

from bff.sandbox.klantinteracties.fields import Errors, Validator
from bff.sandbox.klantinteracties.groepen import IDENTIFICATOR_FIELDS, merge
from bff.sandbox.klantinteracties.query import Filter
from bff.sandbox.klantinteracties.resource import Resource, same_uuid, within
from bff.sandbox.klantinteracties.store import (
    IDENTIFICATOR_KEYS,
    KlantinteractiesStore,
    Record,
    empty_group,
)

CODES = ("ObjectId", "CodeObjecttype", "CodeRegister", "CodeSoortObjectId")


def _lower_first(code: str) -> str:
    return code[0].lower() + code[1:]


def check_onderwerpobject(
    store: KlantinteractiesStore, v: Validator, *, with_klantcontact: bool = True
) -> None:
    if with_klantcontact:
        v.ref("klantcontact", store.klantcontacten, "Klantcontact")
    v.ref("wasKlantcontact", store.klantcontacten, "Klantcontact")
    v.group("onderwerpobjectidentificator", IDENTIFICATOR_FIELDS)


def save_onderwerpobject(
    store: KlantinteractiesStore, instance: Record | None, out: Record
) -> Record:
    return _save(store, "onderwerpobjecten", "onderwerpobjectidentificator", instance, out)


def _save(
    store: KlantinteractiesStore, table: str, group: str, instance: Record | None, out: Record
) -> Record:
    changes = dict(out)
    if group in changes:
        stored = instance[group] if instance else None
        changes[group] = merge(stored, changes[group], empty_group(IDENTIFICATOR_KEYS))
    if instance is None:
        return store.insert(table, changes)
    instance.update(changes)
    return instance


def write_onderwerpobject(
    store: KlantinteractiesStore, instance: Record | None, body: Record, partial: bool
) -> Record:
    errors = Errors()
    v = Validator(body, errors, partial=partial)
    check_onderwerpobject(store, v)
    errors.raise_if_any()
    return save_onderwerpobject(store, instance, v.out)


def write_bijlage(
    store: KlantinteractiesStore, instance: Record | None, body: Record, partial: bool
) -> Record:
    errors = Errors()
    v = Validator(body, errors, partial=partial)
    v.ref("wasBijlageVanKlantcontact", store.klantcontacten, "Klantcontact")
    v.group("bijlageidentificator", IDENTIFICATOR_FIELDS)
    errors.raise_if_any()
    return _save(store, "bijlagen", "bijlageidentificator", instance, v.out)


def _onderwerpobject_filters(store: KlantinteractiesStore) -> dict[str, Filter]:
    filters = {
        "klantcontact__uuid": same_uuid("klantcontact"),
        "wasKlantcontact__uuid": same_uuid("wasKlantcontact"),
    }
    for code in CODES:
        filters[f"onderwerpobjectidentificator{code}"] = within(
            _lower_first(code), "onderwerpobjectidentificator"
        )
    return filters


def _bijlage_filters(store: KlantinteractiesStore) -> dict[str, Filter]:
    filters = {
        # Open Klant has no `wasBijlageVanKlantcontact__uuid` filter: it is a 400.
        "klantcontact__uuid": same_uuid("wasBijlageVanKlantcontact"),
    }
    for code in CODES:
        filters[f"bijlageidentificator{code}"] = within(_lower_first(code), "bijlageidentificator")
    return filters


ONDERWERPOBJECT = Resource(
    "onderwerpobject", "onderwerpobjecten", write_onderwerpobject, _onderwerpobject_filters
)
BIJLAGE = Resource("bijlage", "bijlagen", write_bijlage, _bijlage_filters)
