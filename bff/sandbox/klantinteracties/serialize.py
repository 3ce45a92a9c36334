"""Response bodies of the sandbox Klantinteracties API, shaped as the 0.9.0 spec's schemas.

`Representation` turns stored records into JSON with `url` fields built from the request's
host and mount path, `{uuid, url}` references, and the read-only relations (a partij's
`betrokkenen`, a klantcontact's `hadBetrokkenActoren`, ...) derived from the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from starlette.requests import Request

from bff.sandbox.klantinteracties.store import (
    ADRES_KEYS,
    CONTACTNAAM_KEYS,
    IDENTIFICATOR_KEYS,
    KlantinteractiesStore,
    Record,
)

Body = dict[str, Any]

PATHS: dict[str, str] = {
    "partij": "partijen",
    "partij_identificator": "partij-identificatoren",
    "digitaal_adres": "digitaleadressen",
    "klantcontact": "klantcontacten",
    "betrokkene": "betrokkenen",
    "onderwerpobject": "onderwerpobjecten",
    "bijlage": "bijlagen",
    "actor": "actoren",
    "actorklantcontact": "actorklantcontacten",
    "internetaak": "internetaken",
}


def api_root(request: Request) -> str:
    """Scheme, host and mount path of this request: where the API's URLs start."""
    root_path: str = request.scope.get("root_path", "")
    return str(request.base_url).rstrip("/") + root_path


def full_name(naam: Record | None) -> str:
    if not naam:
        return ""
    parts = (naam.get("voornaam"), naam.get("voorvoegselAchternaam"), naam.get("achternaam"))
    return " ".join(part for part in parts if part)


def _group(value: Record | None, keys: Iterable[str]) -> Body:
    value = value or {}
    return {key: value.get(key, None if key == "huisnummer" else "") for key in keys}


class Representation:
    """Serialisers of one response: same store, same URL root."""

    def __init__(self, store: KlantinteractiesStore, root: str) -> None:
        self.store = store
        self.root = root
        self._by_kind: dict[str, Callable[[Record], Body]] = {
            "partij": self.partij,
            "partij_identificator": self.partij_identificator,
            "digitaal_adres": self.digitaal_adres,
            "klantcontact": self.klantcontact,
            "betrokkene": self.betrokkene,
            "onderwerpobject": self.onderwerpobject,
            "bijlage": self.bijlage,
            "actor": self.actor,
            "actorklantcontact": self.actorklantcontact,
            "internetaak": self.internetaak,
        }

    def render(self, kind: str, record: Record) -> Body:
        return self._by_kind[kind](record)

    def url(self, kind: str, uuid: str) -> str:
        return f"{self.root}/{PATHS[kind]}/{uuid}"

    def ref(self, kind: str, uuid: str | None) -> Body | None:
        return None if uuid is None else {"uuid": uuid, "url": self.url(kind, uuid)}

    def refs(self, kind: str, records: Iterable[Record]) -> list[Body]:
        return [{"uuid": r["uuid"], "url": self.url(kind, r["uuid"])} for r in records]

    def partij(self, rec: Record) -> Body:
        uuid = rec["uuid"]
        identificatoren = self.store.identificatoren_of_partij(uuid)
        return {
            "uuid": uuid,
            "url": self.url("partij", uuid),
            "nummer": rec["nummer"],
            "interneNotitie": rec["interneNotitie"],
            "betrokkenen": self.refs("betrokkene", self.store.betrokkenen_of_partij(uuid)),
            "categorieRelaties": [],
            "digitaleAdressen": self.refs("digitaal_adres", self.store.adressen_of_partij(uuid)),
            "voorkeursDigitaalAdres": self.ref("digitaal_adres", rec["voorkeursDigitaalAdres"]),
            "vertegenwoordigden": [],
            "rekeningnummers": [],
            "voorkeursRekeningnummer": None,
            "partijIdentificatoren": [self.partij_identificator(i) for i in identificatoren],
            "soortPartij": rec["soortPartij"],
            "indicatieGeheimhouding": rec["indicatieGeheimhouding"],
            "voorkeurstaal": rec["voorkeurstaal"],
            "indicatieActief": rec["indicatieActief"],
            "bezoekadres": _group(rec["bezoekadres"], ADRES_KEYS),
            "correspondentieadres": _group(rec["correspondentieadres"], ADRES_KEYS),
            "partijIdentificatie": self.partij_identificatie(rec),
        }

    def partij_identificatie(self, rec: Record) -> Body:
        stored: Record = rec["partijIdentificatie"] or {}
        soort = rec["soortPartij"]
        if soort == "organisatie":
            return {"naam": stored.get("naam", "")}
        naam = stored.get("contactnaam")
        contactnaam = None if naam is None else _group(naam, CONTACTNAAM_KEYS)
        if soort == "contactpersoon":
            return {
                "uuid": stored.get("uuid", rec["uuid"]),
                "werkteVoorPartij": self.ref("partij", stored.get("werkteVoorPartij")),
                "contactnaam": contactnaam,
                "volledigeNaam": full_name(naam),
            }
        return {"contactnaam": contactnaam, "volledigeNaam": full_name(naam)}

    def partij_identificator(self, rec: Record) -> Body:
        return {
            "uuid": rec["uuid"],
            "url": self.url("partij_identificator", rec["uuid"]),
            "identificeerdePartij": self.ref("partij", rec["partij"]),
            "anderePartijIdentificator": rec["anderePartijIdentificator"],
            "partijIdentificator": {
                "codeObjecttype": rec["codeObjecttype"],
                "codeSoortObjectId": rec["codeSoortObjectId"],
                "objectId": rec["objectId"],
                "codeRegister": rec["codeRegister"],
            },
            "subIdentificatorVan": self.ref("partij_identificator", rec["subIdentificatorVan"]),
        }

    def digitaal_adres(self, rec: Record) -> Body:
        return {
            "uuid": rec["uuid"],
            "url": self.url("digitaal_adres", rec["uuid"]),
            "verstrektDoorBetrokkene": self.ref("betrokkene", rec["verstrektDoorBetrokkene"]),
            "verstrektDoorPartij": self.ref("partij", rec["verstrektDoorPartij"]),
            "adres": rec["adres"],
            "soortDigitaalAdres": rec["soortDigitaalAdres"],
            "isStandaardAdres": rec["isStandaardAdres"],
            "omschrijving": rec["omschrijving"],
            "referentie": rec["referentie"],
            "verificatieDatum": rec["verificatieDatum"],
        }

    def klantcontact(self, rec: Record) -> Body:
        uuid = rec["uuid"]
        store = self.store
        return {
            "uuid": uuid,
            "url": self.url("klantcontact", uuid),
            "gingOverOnderwerpobjecten": self.refs(
                "onderwerpobject", store.where("onderwerpobjecten", "klantcontact", uuid)
            ),
            "hadBetrokkenActoren": [self.actor(a) for a in store.actoren_of_klantcontact(uuid)],
            "omvatteBijlagen": self.refs(
                "bijlage", store.where("bijlagen", "wasBijlageVanKlantcontact", uuid)
            ),
            "hadBetrokkenen": self.refs("betrokkene", store.betrokkenen_of_klantcontact(uuid)),
            "leiddeTotInterneTaken": self.refs(
                "internetaak", store.where("internetaken", "aanleidinggevendKlantcontact", uuid)
            ),
            **{
                key: rec[key]
                for key in (
                    "nummer",
                    "referentienummer",
                    "kanaal",
                    "onderwerp",
                    "inhoud",
                    "reactie",
                    "indicatieContactGelukt",
                    "hoofdOnderwerpType",
                    "verdereActieOndernomen",
                    "taal",
                    "vertrouwelijk",
                    "plaatsgevondenOp",
                    "metadata",
                )
            },
        }

    def betrokkene(self, rec: Record) -> Body:
        uuid = rec["uuid"]
        return {
            "uuid": uuid,
            "url": self.url("betrokkene", uuid),
            "wasPartij": self.ref("partij", rec["wasPartij"]),
            "hadKlantcontact": self.ref("klantcontact", rec["hadKlantcontact"]),
            "digitaleAdressen": self.refs(
                "digitaal_adres", self.store.adressen_of_betrokkene(uuid)
            ),
            "bezoekadres": _group(rec["bezoekadres"], ADRES_KEYS),
            "correspondentieadres": _group(rec["correspondentieadres"], ADRES_KEYS),
            "contactnaam": _group(rec["contactnaam"], CONTACTNAAM_KEYS),
            "volledigeNaam": full_name(rec["contactnaam"]),
            "rol": rec["rol"],
            "organisatienaam": rec["organisatienaam"],
            "initiator": rec["initiator"],
        }

    def onderwerpobject(self, rec: Record) -> Body:
        return {
            "uuid": rec["uuid"],
            "url": self.url("onderwerpobject", rec["uuid"]),
            "klantcontact": self.ref("klantcontact", rec["klantcontact"]),
            "wasKlantcontact": self.ref("klantcontact", rec["wasKlantcontact"]),
            "onderwerpobjectidentificator": _group(
                rec["onderwerpobjectidentificator"], IDENTIFICATOR_KEYS
            ),
        }

    def bijlage(self, rec: Record) -> Body:
        return {
            "uuid": rec["uuid"],
            "url": self.url("bijlage", rec["uuid"]),
            "wasBijlageVanKlantcontact": self.ref("klantcontact", rec["wasBijlageVanKlantcontact"]),
            "bijlageidentificator": _group(rec["bijlageidentificator"], IDENTIFICATOR_KEYS),
        }

    def actor(self, rec: Record) -> Body:
        return {
            "uuid": rec["uuid"],
            "url": self.url("actor", rec["uuid"]),
            "naam": rec["naam"],
            "soortActor": rec["soortActor"],
            "indicatieActief": rec["indicatieActief"],
            "actoridentificator": _group(rec["actoridentificator"], IDENTIFICATOR_KEYS),
            "actorIdentificatie": dict(rec["actorIdentificatie"]),
        }

    def actorklantcontact(self, rec: Record) -> Body:
        return {
            "uuid": rec["uuid"],
            "url": self.url("actorklantcontact", rec["uuid"]),
            "actor": self.ref("actor", rec["actor"]),
            "klantcontact": self.ref("klantcontact", rec["klantcontact"]),
        }

    def internetaak(self, rec: Record) -> Body:
        actoren = rec["toegewezenAanActoren"]
        return {
            "uuid": rec["uuid"],
            "url": self.url("internetaak", rec["uuid"]),
            "nummer": rec["nummer"],
            "referentienummer": rec["referentienummer"],
            "gevraagdeHandeling": rec["gevraagdeHandeling"],
            "aanleidinggevendKlantcontact": self.ref(
                "klantcontact", rec["aanleidinggevendKlantcontact"]
            ),
            "toegewezenAanActor": self.ref("actor", actoren[0] if actoren else None),
            "toegewezenAanActoren": [self.ref("actor", a) for a in actoren],
            "toelichting": rec["toelichting"],
            "status": rec["status"],
            "toegewezenOp": rec["toegewezenOp"],
            "afgehandeldOp": rec["afgehandeldOp"],
        }
