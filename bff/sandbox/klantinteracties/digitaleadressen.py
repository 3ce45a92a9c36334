"""Digitale adressen: e-mail, telefoonnummer or other addresses of a partij or a betrokkene.

`adres` is checked by its `soortDigitaalAdres` (an e-mail address, or the spec's phone
pattern without 0800, 0900, 1400 and 140 numbers). A create must carry the
`verstrektDoorPartij` key (`null` is fine). `isStandaardAdres` needs a partij; setting it
clears it on the partij's other addresses of the same soort. There is no uniqueness on
`adres`: the same address can be stored twice.
"""

from __future__ import annotations

import re

from bff.sandbox.klantinteracties.fields import EMAIL, REFUSED_PHONE, Errors, Field, Validator
from bff.sandbox.klantinteracties.groepen import PHONE_PATTERN, REFUSED_PHONE_PREFIXES
from bff.sandbox.klantinteracties.query import Expansion, Filter
from bff.sandbox.klantinteracties.resource import Resource, same, same_uuid
from bff.sandbox.klantinteracties.store import KlantinteractiesStore, Record

SOORTEN = ("email", "telefoonnummer", "overig")
FIELDS = (
    Field("adres", required=True, max_length=80),
    Field("soortDigitaalAdres", "choice", required=True, choices=SOORTEN),
    Field("isStandaardAdres", "boolean"),
    Field("omschrijving", max_length=40),
    Field("referentie", max_length=50, pattern=r"^[-a-zA-Z0-9_]+$"),
    Field("verificatieDatum", "date", nullable=True),
)


def write(
    store: KlantinteractiesStore, instance: Record | None, body: Record, partial: bool
) -> Record:
    errors = Errors()
    v = Validator(body, errors, partial=partial)
    v.ref("verstrektDoorBetrokkene", store.betrokkenen, "Betrokkene")
    # Not marked required in the spec, but Open Klant refuses a create without the key.
    v.ref("verstrektDoorPartij", store.partijen, "Partij", required=instance is None)
    v.fields(FIELDS)
    errors.raise_if_any()
    record: Record = dict(instance) if instance else {}
    record.update(v.out)
    soort, adres = record.get("soortDigitaalAdres"), record.get("adres", "")
    if soort == "email" and not EMAIL.match(adres):
        errors.add("adres", "invalid", "Voer een geldig e-mailadres in.")
    elif soort == "telefoonnummer" and adres.startswith(REFUSED_PHONE_PREFIXES):
        errors.add("adres", "invalid", REFUSED_PHONE)
    elif soort == "telefoonnummer" and not re.match(PHONE_PATTERN, adres):
        errors.add("adres", "invalid", "Het opgegeven telefoonnummer is ongeldig.")
    if record.get("isStandaardAdres") and not record.get("verstrektDoorPartij"):
        reason = (
            "`isStandaardAdres` kan alleen gezet worden als `verstrektDoorPartij` niet leeg is."
        )
        errors.add("isStandaardAdres", "invalid", reason)
    errors.raise_if_any()
    if instance is None:
        saved = store.insert("digitaleadressen", v.out)
    else:
        instance.update(v.out)
        saved = instance
    if saved["isStandaardAdres"] and saved["verstrektDoorPartij"] is not None:
        for other in store.adressen_of_partij(saved["verstrektDoorPartij"]):
            if other is not saved and other["soortDigitaalAdres"] == saved["soortDigitaalAdres"]:
                other["isStandaardAdres"] = False
    return saved


def _filters(store: KlantinteractiesStore) -> dict[str, Filter]:
    def identificator(code: str) -> Filter:
        def keep(adres: Record, value: object) -> bool:
            partij = adres["verstrektDoorPartij"]
            idents = store.identificatoren_of_partij(partij) if partij else []
            return any(i[code] == value for i in idents)

        return Filter(keep)

    filters: dict[str, Filter] = {
        "adres": same("adres"),
        "adres__icontains": Filter(lambda r, v: str(v).lower() in r["adres"].lower()),
        "soortDigitaalAdres": Filter(lambda r, v: r["soortDigitaalAdres"] == v, "choice", SOORTEN),
        "isStandaardAdres": Filter(lambda r, v: r["isStandaardAdres"] == v, "boolean"),
        "omschrijving": same("omschrijving"),
        "referentie": same("referentie"),
        "verstrektDoorPartij__uuid": same_uuid("verstrektDoorPartij"),
        "verstrektDoorBetrokkene__uuid": same_uuid("verstrektDoorBetrokkene"),
    }
    for code in ("codeObjecttype", "codeRegister", "codeSoortObjectId", "objectId"):
        filters[f"verstrektDoorPartij__partijIdentificator__{code}"] = identificator(code)
    return filters


def _expansions(store: KlantinteractiesStore) -> dict[str, Expansion]:
    return {
        "verstrektDoorBetrokkene": Expansion(
            "betrokkene", lambda a: store.betrokkenen.get(a["verstrektDoorBetrokkene"] or "")
        ),
        "verstrektDoorBetrokkene.hadKlantcontact": Expansion(
            "klantcontact", lambda b: store.klantcontacten.get(b["hadKlantcontact"])
        ),
        "verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken": Expansion(
            "internetaak",
            lambda kc: store.where("internetaken", "aanleidinggevendKlantcontact", kc["uuid"]),
        ),
    }


RESOURCE = Resource("digitaal_adres", "digitaleadressen", write, _filters, _expansions)
