"""Partij-identificatoren: the rules Open Klant applies to a partij's register identifiers.

Allowed combinations (brp/natuurlijk_persoon/bsn; hr/niet_natuurlijk_persoon/kvk_nummer or
rsin; hr/vestiging/vestigingsnummer under a kvk_nummer), the number checks (BSN and RSIN
9 digits with the 11-proef, KvK 8, vestiging 12), one identificator per soort per partij,
and global uniqueness, both reported as `__all__` like the database constraints. Used by the
`/partij-identificatoren` endpoint and by the `partijIdentificatoren` list of a partij.
"""

from __future__ import annotations

from collections.abc import Iterable

from bff.sandbox.klantinteracties.fields import Errors, Field, Validator
from bff.sandbox.klantinteracties.query import Filter
from bff.sandbox.klantinteracties.resource import Resource, same
from bff.sandbox.klantinteracties.store import KlantinteractiesStore, Record

REGISTERS = {"brp": ("natuurlijk_persoon",), "hr": ("niet_natuurlijk_persoon", "vestiging")}
SOORTEN = {
    "natuurlijk_persoon": ("bsn",),
    "niet_natuurlijk_persoon": ("kvk_nummer", "rsin"),
    "vestiging": ("vestigingsnummer",),
}
CODES = ("codeObjecttype", "codeSoortObjectId", "objectId", "codeRegister")
GROEP_FIELDS = (
    Field("codeObjecttype", "choice", required=True, choices=tuple(SOORTEN)),
    Field(
        "codeSoortObjectId",
        "choice",
        required=True,
        choices=("bsn", "vestigingsnummer", "kvk_nummer", "rsin"),
    ),
    Field("objectId", required=True, max_length=200),
    Field("codeRegister", "choice", required=True, choices=tuple(REGISTERS)),
)
LENGTHS = {"bsn": 9, "rsin": 9, "kvk_nummer": 8, "vestigingsnummer": 12}
UNIQUE = "`PartijIdentificator` moet uniek zijn, er bestaat er al een met deze gegevenscombinatie."


def elfproef(number: str) -> bool:
    """The 11-proef: weights 9..2 and -1 on the last digit (8-digit numbers are zero-padded)."""
    digits = [int(d) for d in number.zfill(9)]
    total = sum(w * d for w, d in zip(range(9, 1, -1), digits[:8], strict=True)) - digits[8]
    return total % 11 == 0


def object_id_problem(soort: str, object_id: str) -> str | None:
    if soort not in LENGTHS:
        return None
    if not object_id.isdigit():
        return "Voer een numerieke waarde in"
    if len(object_id) != LENGTHS[soort]:
        return f"Waarde moet {LENGTHS[soort]} tekens lang zijn"
    if soort in ("bsn", "rsin") and not elfproef(object_id):
        return f"Onjuist {soort.upper()} nummer"
    return None


def check_fields(store: KlantinteractiesStore, v: Validator, *, required: bool = True) -> None:
    """Field-level checks of one identificator object; the group lands in `out` merged later."""
    v.fields([Field("anderePartijIdentificator", max_length=200)])
    inner = v.nested("partijIdentificator", required=required, nullable=False)
    if inner is not None:
        inner.fields(GROEP_FIELDS)
        v.out["partijIdentificator"] = inner.out
    v.ref("subIdentificatorVan", store.partij_identificatoren, "PartijIdentificator")


def candidate(instance: Record | None, out: Record, partij: str | None) -> Record:
    """The identificator record as it would be stored after applying `out`."""
    record: Record = dict(instance) if instance else dict.fromkeys(CODES, "")
    record.setdefault("uuid", None)
    record.setdefault("anderePartijIdentificator", "")
    record.setdefault("subIdentificatorVan", None)
    record["partij"] = partij
    record.update(out.get("partijIdentificator") or {})
    for key in ("anderePartijIdentificator", "subIdentificatorVan"):
        if key in out:
            record[key] = out[key]
    return record


def check_rules(
    store: KlantinteractiesStore,
    ident: Record,
    others: Iterable[Record],
    errors: Errors,
    prefix: str = "",
) -> None:
    """Object-level rules for `ident` against the identificatoren it will live among."""
    others = list(others)
    register, objecttype, soort = (
        ident["codeRegister"],
        ident["codeObjecttype"],
        ident["codeSoortObjectId"],
    )
    if objecttype not in REGISTERS.get(register, ()):
        allowed = list(REGISTERS.get(register, ()))
        reason = f"voor `codeRegister` {register} zijn alleen deze waarden toegestaan: {allowed}"
        return errors.add(f"{prefix}partijIdentificatorCodeObjecttype", "invalid", reason)
    if soort not in SOORTEN[objecttype]:
        allowed = list(SOORTEN[objecttype])
        reason = (
            f"voor `codeObjecttype` {objecttype} zijn alleen deze waarden toegestaan: {allowed}"
        )
        return errors.add(f"{prefix}partijIdentificatorCodeSoortObjectId", "invalid", reason)
    if (problem := object_id_problem(soort, ident["objectId"])) is not None:
        reason = f"Deze waarde is ongeldig, reden: {problem}"
        return errors.add(f"{prefix}partijIdentificatorObjectId", "invalid", reason)
    sub_name = f"{prefix}subIdentificatorVan"
    sub = store.partij_identificatoren.get(ident["subIdentificatorVan"] or "")
    if sub is not None and sub["uuid"] == ident["uuid"]:
        return errors.add(
            sub_name, "invalid", "Kan zichzelf niet selecteren als `subIdentificatorVan`."
        )
    if soort == "vestigingsnummer":
        if sub is None or sub["codeSoortObjectId"] != "kvk_nummer":
            reason = "Een vestigingsnummer vraagt een `subIdentificatorVan` met een kvk_nummer."
            return errors.add(sub_name, "invalid", reason)
        if ident["partij"] is None or sub["partij"] != ident["partij"]:
            reason = "Je moet een `subIdentificatorVan` selecteren die tot dezelfde partij behoort."
            return errors.add(sub_name, "invalid", reason)
    elif sub is not None:
        reason = "Alleen een vestigingsnummer kan een `subIdentificatorVan` hebben."
        return errors.add(sub_name, "invalid", reason)
    if ident["partij"] is not None and any(
        o["partij"] == ident["partij"] and o["codeSoortObjectId"] == soort for o in others
    ):
        # A database constraint in Open Klant, so reported as `__all__` like the global one.
        return errors.add(
            "__all__", "invalid", "`CodeSoortObjectId` moet uniek zijn voor de Partij."
        )
    key = [ident[code] for code in CODES] + [ident["subIdentificatorVan"]]
    if any([o[code] for code in CODES] + [o["subIdentificatorVan"]] == key for o in others):
        errors.add("__all__", "invalid", UNIQUE)
    return None


def write(
    store: KlantinteractiesStore, instance: Record | None, body: Record, partial: bool
) -> Record:
    errors = Errors()
    v = Validator(body, errors, partial=partial)
    v.ref("identificeerdePartij", store.partijen, "Partij")
    check_fields(store, v)
    errors.raise_if_any()
    partij = v.out.get("identificeerdePartij", instance["partij"] if instance else None)
    ident = candidate(instance, v.out, partij)
    others = [i for i in store.partij_identificatoren.values() if i["uuid"] != ident["uuid"]]
    check_rules(store, ident, others, errors)
    errors.raise_if_any()
    fields = {key: value for key, value in ident.items() if key != "uuid"}
    if instance is None:
        return store.insert("partij_identificatoren", fields)
    instance.update(fields)
    return instance


def _filters(store: KlantinteractiesStore) -> dict[str, Filter]:
    return {
        "partijIdentificatorCodeObjecttype": same("codeObjecttype"),
        "partijIdentificatorCodeSoortObjectId": same("codeSoortObjectId"),
        "partijIdentificatorObjectId": same("objectId"),
        "partijIdentificatorCodeRegister": same("codeRegister"),
        "anderePartijIdentificator": same("anderePartijIdentificator"),
    }


RESOURCE = Resource("partij_identificator", "partij_identificatoren", write, _filters)
