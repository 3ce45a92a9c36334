"""Partijen: persoon, organisatie or contactpersoon, with identificatoren and digitale adressen.

A POST may carry `partijIdentificatoren` (written in the same step, or not at all) and
`digitaleAdressen` (existing addresses, linked to the new partij). A PATCH with
`partijIdentificatoren` replaces the whole list; a PATCH of `partijIdentificatie` without
`soortPartij` is accepted and changes nothing. `voorkeursDigitaalAdres` must be one of the
partij's own addresses (on create: one of the `digitaleAdressen` of the same body).
"""

from __future__ import annotations

from bff.sandbox.klantinteracties import identificatoren
from bff.sandbox.klantinteracties.fields import Errors, Field, Validator
from bff.sandbox.klantinteracties.groepen import ADRES_FIELDS, CONTACTNAAM_FIELDS, merge
from bff.sandbox.klantinteracties.query import Expansion, Filter
from bff.sandbox.klantinteracties.resource import Resource, same, within
from bff.sandbox.klantinteracties.store import (
    CONTACTNAAM_KEYS,
    KlantinteractiesStore,
    Record,
    empty_adres,
    empty_group,
)

SOORTEN = ("persoon", "organisatie", "contactpersoon")
FIELDS = (
    Field("nummer", nullable=True, max_length=10),
    Field("interneNotitie", max_length=1000),
    Field("soortPartij", "choice", required=True, choices=SOORTEN),
    Field("indicatieGeheimhouding", "boolean", nullable=True),
    Field("voorkeurstaal", max_length=3),
    Field("indicatieActief", "boolean", required=True),
)
SCALARS = tuple(field.name for field in FIELDS)
NOT_LINKED = "Het voorkeurs adres moet een gelinkte digitaal adres zijn."


def _identificatie(store: KlantinteractiesStore, v: Validator, soort: str) -> Record | None:
    """The validated `partijIdentificatie` for `soort`, or None when not sent."""
    inner = v.nested("partijIdentificatie")
    if inner is None:
        return None
    if soort == "organisatie":
        inner.fields([Field("naam", max_length=200)])
        return {"naam": inner.out.get("naam", "")}
    inner.group("contactnaam", CONTACTNAAM_FIELDS)
    naam = inner.out.get("contactnaam")
    result: Record = {"contactnaam": None if naam is None else merge(None, naam, _naam())}
    if soort == "contactpersoon":
        werkgever = inner.nested("werkteVoorPartij")
        if werkgever is not None:
            key = werkgever.reference(store.partijen, "Partij")
            if key is not None and store.partijen[key]["soortPartij"] != "organisatie":
                reason = "Partij object moet het soort 'organisatie' hebben."
                werkgever.error("uuid", "invalid", reason)
            result["werkteVoorPartij"] = key
        result.setdefault("werkteVoorPartij", None)
    return result


def _naam() -> Record:
    return empty_group(CONTACTNAAM_KEYS)


def _empty_identificatie(soort: str) -> Record:
    if soort == "organisatie":
        return {"naam": ""}
    if soort == "contactpersoon":
        return {"werkteVoorPartij": None, "contactnaam": None}
    return {"contactnaam": None}


def _identificator_items(
    store: KlantinteractiesStore, v: Validator, creating: bool
) -> list[Record] | None:
    """Field-level checks of `partijIdentificatoren`: per item its own `out`."""
    items = v.items("partijIdentificatoren", nullable=True)
    if items is None:
        return None
    outs: list[Record] = []
    for item in items:
        item.ref("identificeerdePartij", store.partijen, "Partij")
        if "uuid" in item.data:
            key = item.reference(store.partij_identificatoren, "PartijIdentificator")
            item.out["uuid"] = key
        identificatoren.check_fields(store, item)
        if creating and item.out.get("identificeerdePartij") is not None:
            reason = "Het veld `identificeerdePartij` wordt automatisch ingesteld."
            v.error("partijIdentificatoren.identificeerdePartij", "invalid", reason)
        outs.append(item.out)
    uuids = [out["uuid"] for out in outs if out.get("uuid")]
    if len(uuids) != len(set(uuids)):
        reason = "Duplicaat uuid kan niet worden ingevoerd voor `partijIdentificatoren`."
        v.error("partijIdentificatoren.identificeerdePartij", "duplicated", reason)
    return outs


def _check_identificatoren(
    store: KlantinteractiesStore, partij: str, items: list[Record], errors: Errors
) -> list[Record]:
    """Object-level rules of the new list, checked against everything that stays."""
    kept_uuids = {item.get("uuid") for item in items}
    staying = [
        i
        for i in store.partij_identificatoren.values()
        if i["partij"] != partij or i["uuid"] in kept_uuids
    ]
    result: list[Record] = []
    for index, item in enumerate(items):
        instance = store.partij_identificatoren.get(item.get("uuid") or "")
        ident = identificatoren.candidate(instance, item, partij)
        others = [i for i in staying if i["uuid"] != ident["uuid"]] + result
        identificatoren.check_rules(store, ident, others, errors, f"partijIdentificatoren.{index}.")
        result.append(ident)
    return result


def write(
    store: KlantinteractiesStore, instance: Record | None, body: Record, partial: bool
) -> Record:
    errors = Errors()
    v = Validator(body, errors, partial=partial)
    v.fields(FIELDS)
    v.group("bezoekadres", ADRES_FIELDS)
    v.group("correspondentieadres", ADRES_FIELDS)
    v.ref_list("digitaleAdressen", store.digitaleadressen, "DigitaalAdres", nullable=True)
    v.ref("voorkeursDigitaalAdres", store.digitaleadressen, "DigitaalAdres")
    v.ref_list("rekeningnummers", {}, "Rekeningnummer", nullable=True)
    v.ref("voorkeursRekeningnummer", {}, "Rekeningnummer")
    out = v.out
    soort = out.get("soortPartij")
    identificatie = _identificatie(store, v, soort) if soort else None
    items = _identificator_items(store, v, creating=instance is None)
    errors.raise_if_any()

    uuid = instance["uuid"] if instance else store.new_uuid()
    adressen = out.get("digitaleAdressen")
    if adressen is None:
        adressen = [a["uuid"] for a in store.adressen_of_partij(uuid)] if instance else []
    if out.get("voorkeursDigitaalAdres") and out["voorkeursDigitaalAdres"] not in adressen:
        errors.add("voorkeursDigitaalAdres", "invalid", NOT_LINKED)
    idents = _check_identificatoren(store, uuid, items, errors) if items is not None else None
    errors.raise_if_any()

    old_soort = None if instance is None else instance["soortPartij"]
    record: Record = instance if instance is not None else {"uuid": uuid}
    if instance is None:
        record.update(bezoekadres=empty_adres(), correspondentieadres=empty_adres())
        record.update(voorkeursDigitaalAdres=None, nummer=None, interneNotitie="")
        record.update(indicatieGeheimhouding=None, voorkeurstaal="")
        record["partijIdentificatie"] = _empty_identificatie(soort or "persoon")
    record.update({key: out[key] for key in SCALARS if key in out})
    for group in ("bezoekadres", "correspondentieadres"):
        if group in out:
            record[group] = merge(record[group], out[group], empty_adres())
    if "voorkeursDigitaalAdres" in out:
        record["voorkeursDigitaalAdres"] = out["voorkeursDigitaalAdres"]
    if soort is not None and (identificatie is not None or instance is None):
        record["partijIdentificatie"] = identificatie or _empty_identificatie(soort)
    elif soort is not None and soort != old_soort:
        record["partijIdentificatie"] = _empty_identificatie(soort)
    store.partijen[uuid] = record
    if out.get("digitaleAdressen") is not None:
        for adres in store.digitaleadressen.values():
            if adres["verstrektDoorPartij"] == uuid and adres["uuid"] not in adressen:
                adres["verstrektDoorPartij"] = None
            elif adres["uuid"] in adressen:
                adres["verstrektDoorPartij"] = uuid
    if idents is not None:
        _replace_identificatoren(store, uuid, idents)
    return record


def _replace_identificatoren(
    store: KlantinteractiesStore, partij: str, idents: list[Record]
) -> None:
    kept = {ident["uuid"] for ident in idents if ident["uuid"]}
    for existing in store.identificatoren_of_partij(partij):
        if existing["uuid"] not in kept:
            store.delete_partij_identificator(existing["uuid"])
    for ident in idents:
        fields = {key: value for key, value in ident.items() if key != "uuid"}
        if ident["uuid"] in store.partij_identificatoren:
            store.partij_identificatoren[ident["uuid"]].update(fields)
        else:
            store.insert("partij_identificatoren", fields)


def _has_identificator(store: KlantinteractiesStore, code: str) -> Filter:
    def keep(partij: Record, value: object) -> bool:
        return any(i[code] == value for i in store.identificatoren_of_partij(partij["uuid"]))

    return Filter(keep)


def _filters(store: KlantinteractiesStore) -> dict[str, Filter]:
    filters: dict[str, Filter] = {
        f"partijIdentificator__{code}": _has_identificator(store, code)
        for code in identificatoren.CODES
    }
    filters["soortPartij"] = Filter(lambda r, v: r["soortPartij"] == v, "choice", SOORTEN)
    filters["indicatieActief"] = Filter(lambda r, v: r["indicatieActief"] == v, "boolean")
    filters["indicatieGeheimhouding"] = Filter(
        lambda r, v: r["indicatieGeheimhouding"] == v, "boolean"
    )
    filters["nummer"] = same("nummer")
    for group in ("bezoekadres", "correspondentieadres"):
        for key in ("adresregel1", "adresregel2", "adresregel3", "land", "nummeraanduidingId"):
            filters[f"{group}{key[0].upper()}{key[1:]}"] = within(key, group)
    return filters


def _expansions(store: KlantinteractiesStore) -> dict[str, Expansion]:
    return {
        "betrokkenen": Expansion("betrokkene", lambda p: store.betrokkenen_of_partij(p["uuid"])),
        "betrokkenen.hadKlantcontact": Expansion(
            "klantcontact", lambda b: store.klantcontacten.get(b["hadKlantcontact"])
        ),
        "categorieRelaties": Expansion("categorie_relatie", lambda p: []),
        "digitaleAdressen": Expansion(
            "digitaal_adres", lambda p: store.adressen_of_partij(p["uuid"])
        ),
    }


RESOURCE = Resource("partij", "partijen", write, _filters, _expansions)
