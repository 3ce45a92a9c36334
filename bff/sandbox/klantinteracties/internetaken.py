"""Interne taken: follow-up work a klantcontact led to, assigned to one or more actoren.

A create names `toegewezenAanActoren` (an empty list is accepted) or the deprecated single
`toegewezenAanActor`, not both. `toegewezenOp` is set on create. `afgehandeldOp`
is set when the status becomes `verwerkt` and cleared when it goes back to `te_verwerken`;
sending it with `te_verwerken` is a 400. A PATCH of `toegewezenAanActoren` replaces them.
"""

from __future__ import annotations

from bff.sandbox.klantinteracties.fields import Errors, Field, Validator
from bff.sandbox.klantinteracties.query import Filter, uuid_from_url
from bff.sandbox.klantinteracties.resource import Resource, same, same_uuid
from bff.sandbox.klantinteracties.store import KlantinteractiesStore, Record

STATUSSEN = ("te_verwerken", "verwerkt")
FIELDS = (
    Field("nummer", nullable=True, max_length=10),
    Field("referentienummer", nullable=True, max_length=10),
    Field("gevraagdeHandeling", required=True, max_length=200),
    Field("toelichting", max_length=1000),
    Field("status", "choice", required=True, choices=STATUSSEN),
    Field("afgehandeldOp", "datetime", nullable=True),
)


def _actoren(store: KlantinteractiesStore, v: Validator, creating: bool) -> None:
    single, many = "toegewezenAanActor" in v.data, "toegewezenAanActoren" in v.data
    if single and many:
        reason = "`toegewezenAanActor` en `toegewezenAanActoren` mag niet beiden gebruikt worden."
        v.error("nonFieldErrors", "invalid", reason)
    elif not single and not many and creating:
        reason = "`toegewezenAanActor` of `toegewezenAanActoren` is vereist."
        v.error("nonFieldErrors", "invalid", reason)
    elif single:
        v.ref("toegewezenAanActor", store.actoren, "Actor", nullable=False)
        if "toegewezenAanActor" in v.out:
            v.out["toegewezenAanActoren"] = [v.out.pop("toegewezenAanActor")]
    elif many:
        v.ref_list("toegewezenAanActoren", store.actoren, "Actor")


def write(
    store: KlantinteractiesStore, instance: Record | None, body: Record, partial: bool
) -> Record:
    errors = Errors()
    v = Validator(body, errors, partial=partial)
    v.fields(FIELDS)
    v.ref(
        "aanleidinggevendKlantcontact",
        store.klantcontacten,
        "Klantcontact",
        required=True,
        nullable=False,
    )
    _actoren(store, v, creating=instance is None or not partial)
    errors.raise_if_any()
    changes = v.out
    status = changes.get("status", instance["status"] if instance else None)
    if changes.get("afgehandeldOp") and status != "verwerkt":
        reason = "De interne taak kan alleen een afgehandeldOp hebben met status 'verwerkt'."
        errors.add("afgehandeldOp", "invalid", reason)
    errors.raise_if_any()
    if status == "te_verwerken":
        changes["afgehandeldOp"] = None
    elif not changes.get("afgehandeldOp") and not (instance and instance["afgehandeldOp"]):
        changes["afgehandeldOp"] = store.now()
    if instance is None:
        return store.insert("internetaken", changes)
    instance.update(changes)
    return instance


def _filters(store: KlantinteractiesStore) -> dict[str, Filter]:
    def klantcontact(key: str) -> Filter:
        def keep(taak: Record, value: object) -> bool:
            found = store.klantcontacten.get(taak["aanleidinggevendKlantcontact"]) or {}
            return found.get(key) == value

        return Filter(keep)

    return {
        "aanleidinggevendKlantcontact__uuid": same_uuid("aanleidinggevendKlantcontact"),
        "aanleidinggevendKlantcontact__url": Filter(
            lambda r, v: r["aanleidinggevendKlantcontact"] == uuid_from_url(str(v))
        ),
        "klantcontact__uuid": same_uuid("aanleidinggevendKlantcontact"),
        "klantcontact__referentienummer": klantcontact("referentienummer"),
        "klantcontact__nummer": klantcontact("nummer"),
        "toegewezenAanActor__uuid": Filter(lambda r, v: v in r["toegewezenAanActoren"], "uuid"),
        "toegewezenAanActor__url": Filter(
            lambda r, v: uuid_from_url(str(v)) in r["toegewezenAanActoren"]
        ),
        "actoren__naam": Filter(
            lambda r, v: any(
                store.actoren[a]["naam"] == v
                for a in r["toegewezenAanActoren"]
                if a in store.actoren
            )
        ),
        "status": Filter(lambda r, v: r["status"] == v, "choice", STATUSSEN),
        "nummer": same("nummer"),
        "referentienummer": same("referentienummer"),
        "toegewezenOp": Filter(lambda r, v: r["toegewezenOp"] == v, "datetime"),
    }


RESOURCE = Resource("internetaak", "internetaken", write, _filters)
