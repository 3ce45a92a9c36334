"""Klantcontacten, and `/maak-klantcontact` that writes one with its betrokkene and onderwerpobject.

Rules: `referentienummer` is up to 10 digits and unique; a contact that succeeded cannot
also have `verdereActieOndernomen`; `plaatsgevondenOp` defaults to now; `metadata` values
become strings of at most 255 characters. `/maak-klantcontact` validates all three parts
before it writes any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bff.sandbox.klantinteracties import betrokkenen, onderwerpen
from bff.sandbox.klantinteracties.fields import Errors, Field, Validator, parse_datetime, type_name
from bff.sandbox.klantinteracties.query import Expansion, Filter, uuid_from_url
from bff.sandbox.klantinteracties.resource import Resource, same
from bff.sandbox.klantinteracties.store import KlantinteractiesStore, Record

FIELDS = (
    Field("nummer", nullable=True, max_length=10),
    Field("referentienummer", nullable=True, max_length=10),
    Field("kanaal", required=True, max_length=50),
    Field("onderwerp", required=True, max_length=200),
    Field("inhoud", max_length=1000),
    Field("reactie", max_length=4000),
    Field("indicatieContactGelukt", "boolean", nullable=True),
    Field("hoofdOnderwerpType", "uri", max_length=200),
    Field("verdereActieOndernomen", "boolean"),
    Field("taal", required=True, max_length=3),
    Field("vertrouwelijk", "boolean", required=True),
    Field("plaatsgevondenOp", "datetime"),
)
NO_FURTHER_ACTION = "no-further-action-when-contact-succesful"
BetrokkeneTest = Callable[[KlantinteractiesStore, Record, Any], bool]


def _metadata(v: Validator) -> None:
    if not v.present("metadata"):
        return
    raw = v.data["metadata"]
    if not isinstance(raw, dict):
        reason = f'Verwachtte een dictionary van items, maar kreeg type "{type_name(raw)}".'
        return v.error("metadata", "not_a_dict", reason)
    values: dict[str, str] = {}
    for key, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            v.error(f"metadata.{key}", "invalid", "Geen geldige string.")
        elif len(str(value)) > 255:
            reason = "Zorg ervoor dat dit veld niet meer dan 255 karakters bevat."
            v.error(f"metadata.{key}", "max_length", reason)
        else:
            values[str(key)] = str(value)
    v.out["metadata"] = values
    return None


def check(store: KlantinteractiesStore, v: Validator, instance: Record | None) -> None:
    """Field checks, then (only when those passed) the rules across fields."""
    before = len(v.errors.params)
    v.fields(FIELDS)
    _metadata(v)
    nummer = v.out.get("referentienummer")
    if nummer and not nummer.isdigit():  # an empty one is accepted (and stays unique)
        v.error("referentienummer", "invalid", "Voer een numerieke waarde in.")
    elif nummer is not None and any(
        kc["referentienummer"] == nummer and kc is not instance
        for kc in store.klantcontacten.values()
    ):
        reason = "Er bestaat al een klantcontact met eenzelfde referentienummer."
        v.error("referentienummer", "unique", reason)
    if len(v.errors.params) > before:
        return
    state = {**(instance or {}), **v.out}
    if state.get("indicatieContactGelukt") is True and state.get("verdereActieOndernomen") is True:
        reason = "Verdere actie ondernemen kan niet als het contact gelukt is."
        v.error("nonFieldErrors", NO_FURTHER_ACTION, reason)


def save(store: KlantinteractiesStore, instance: Record | None, out: Record) -> Record:
    if instance is None:
        return store.insert("klantcontacten", out)
    instance.update(out)
    return instance


def write(
    store: KlantinteractiesStore, instance: Record | None, body: Record, partial: bool
) -> Record:
    errors = Errors()
    v = Validator(body, errors, partial=partial)
    check(store, v, instance)
    errors.raise_if_any()
    return save(store, instance, v.out)


def maak(store: KlantinteractiesStore, body: Record) -> tuple[Record, Record | None, Record | None]:
    """Validate klantcontact, betrokkene and onderwerpobject together, then write all three."""
    errors = Errors()
    root = Validator(body, errors)
    klantcontact = root.nested("klantcontact", required=True, nullable=False)
    if klantcontact is not None:
        check(store, klantcontact, None)
    betrokkene = root.nested("betrokkene", nullable=False)
    if betrokkene is not None:
        betrokkenen.check(store, betrokkene, with_klantcontact=False)
    onderwerpobject = root.nested("onderwerpobject", nullable=False)
    if onderwerpobject is not None:
        onderwerpen.check_onderwerpobject(store, onderwerpobject, with_klantcontact=False)
    errors.raise_if_any()
    saved = save(store, None, klantcontact.out if klantcontact is not None else {})
    made_betrokkene = made_onderwerpobject = None
    if betrokkene is not None:
        fields = {**betrokkene.out, "hadKlantcontact": saved["uuid"]}
        made_betrokkene = betrokkenen.save(store, None, fields)
    if onderwerpobject is not None:
        fields = {**onderwerpobject.out, "klantcontact": saved["uuid"]}
        made_onderwerpobject = onderwerpen.save_onderwerpobject(store, None, fields)
    return saved, made_betrokkene, made_onderwerpobject


def newest_contact_first(records: list[Record]) -> list[Record]:
    def moment(record: Record) -> datetime:
        return parse_datetime(record["plaatsgevondenOp"]) or datetime.min.replace(tzinfo=UTC)

    return sorted(reversed(records), key=moment, reverse=True)


def _filters(store: KlantinteractiesStore) -> dict[str, Filter]:
    def betrokkene(test: BetrokkeneTest) -> Filter:
        def keep(kc: Record, value: object) -> bool:
            found = store.betrokkenen_of_klantcontact(kc["uuid"])
            return any(test(store, b, value) for b in found)

        return Filter(keep)

    def partij_identificator(code: str) -> Filter:
        def test(s: KlantinteractiesStore, b: Record, value: object) -> bool:
            idents = s.identificatoren_of_partij(b["wasPartij"]) if b["wasPartij"] else []
            return any(i[code] == value for i in idents)

        return betrokkene(test)

    def onderwerp(key: str, code: str) -> Filter:
        def keep(kc: Record, value: object) -> bool:
            found = store.where("onderwerpobjecten", key, kc["uuid"])
            if code == "uuid":
                return any(o["uuid"] == value for o in found)
            return any(o["onderwerpobjectidentificator"][code] == value for o in found)

        return Filter(keep, "uuid" if code == "uuid" else "text")

    filters: dict[str, Filter] = {
        "hadBetrokkene__uuid": Filter(
            lambda kc, v: any(
                b["uuid"] == v for b in store.betrokkenen_of_klantcontact(kc["uuid"])
            ),
            "uuid",
        ),
        "hadBetrokkene__url": betrokkene(lambda s, b, v: b["uuid"] == uuid_from_url(str(v))),
        "hadBetrokkene__wasPartij__uuid": Filter(
            betrokkene(lambda s, b, v: b["wasPartij"] == v).keep, "uuid"
        ),
        "hadBetrokkene__wasPartij__url": betrokkene(
            lambda s, b, v: b["wasPartij"] == uuid_from_url(str(v))
        ),
        "hadBetrokkene__wasPartij": Filter(
            betrokkene(lambda s, b, v: (b["wasPartij"] is not None) == v).keep, "boolean"
        ),
        "hadBetrokkene__digitaaladres__adres__icontains": betrokkene(
            lambda s, b, v: any(
                str(v).lower() in a["adres"].lower() for a in s.adressen_of_betrokkene(b["uuid"])
            )
        ),
        "referentienummer": same("referentienummer"),
        "nummer": same("nummer"),
        "kanaal": same("kanaal"),
        "onderwerp": Filter(lambda kc, v: str(v).lower() in kc["onderwerp"].lower()),
        "inhoud": Filter(lambda kc, v: str(v).lower() in kc["inhoud"].lower()),
        "vertrouwelijk": Filter(lambda kc, v: kc["vertrouwelijk"] == v, "boolean"),
        "indicatieContactGelukt": Filter(
            lambda kc, v: kc["indicatieContactGelukt"] == v, "boolean"
        ),
        "plaatsgevondenOp": Filter(lambda kc, v: kc["plaatsgevondenOp"] == v, "datetime"),
        "leiddeTotInterneTaken": Filter(
            lambda kc, v: (
                bool(store.where("internetaken", "aanleidinggevendKlantcontact", kc["uuid"])) == v
            ),
            "boolean",
        ),
        "onderwerpobject__uuid": onderwerp("klantcontact", "uuid"),
        "wasOnderwerpobject__uuid": onderwerp("wasKlantcontact", "uuid"),
    }
    for code in ("codeObjecttype", "codeRegister", "codeSoortObjectId", "objectId"):
        filters[f"hadBetrokkene__wasPartij__partijIdentificator__{code}"] = partij_identificator(
            code
        )
        suffix = f"onderwerpobjectidentificator{code[0].upper()}{code[1:]}"
        filters[f"onderwerpobject__{suffix}"] = onderwerp("klantcontact", code)
        filters[f"wasOnderwerpobject__{suffix}"] = onderwerp("wasKlantcontact", code)
    return filters


def _expansions(store: KlantinteractiesStore) -> dict[str, Expansion]:
    def where(table: str, key: str) -> Expansion:
        kind = {"internetaken": "internetaak", "onderwerpobjecten": "onderwerpobject"}
        return Expansion(kind.get(table, "bijlage"), lambda kc: store.where(table, key, kc["uuid"]))

    # In the order of the klantcontact's and betrokkene's fields: it decides which of
    # several empty relations Open Klant shows (see `Expander`).
    return {
        "gingOverOnderwerpobjecten": where("onderwerpobjecten", "klantcontact"),
        "omvatteBijlagen": where("bijlagen", "wasBijlageVanKlantcontact"),
        "hadBetrokkenen": Expansion(
            "betrokkene", lambda kc: store.betrokkenen_of_klantcontact(kc["uuid"])
        ),
        "hadBetrokkenen.wasPartij": Expansion(
            "partij", lambda b: store.partijen.get(b["wasPartij"] or "")
        ),
        "hadBetrokkenen.digitaleAdressen": Expansion(
            "digitaal_adres", lambda b: store.adressen_of_betrokkene(b["uuid"])
        ),
        "leiddeTotInterneTaken": where("internetaken", "aanleidinggevendKlantcontact"),
    }


RESOURCE = Resource(
    "klantcontact", "klantcontacten", write, _filters, _expansions, newest_contact_first
)
