"""The in-memory store of the sandbox Klantinteracties API (Open Klant 2.18, API 0.9.0).

One plain dict per resource, keyed by uuid, holding *records*: dicts with the API's own
camelCase field names, where every reference to another resource is stored as that
resource's uuid string (or `None`), never as a URL. Read-only relations (a partij's
`betrokkenen`, a klantcontact's `hadBetrokkenen`, ...) are not stored: they are derived
from the references when a record is serialised, so they cannot drift.

| attribute                | record keys (besides `uuid`)                                        |
|--------------------------|---------------------------------------------------------------------|
| `partijen`               | nummer, interneNotitie, soortPartij, indicatieGeheimhouding,         |
|                          | voorkeurstaal, indicatieActief, bezoekadres{}, correspondentieadres{},|
|                          | voorkeursDigitaalAdres, partijIdentificatie{}                       |
| `partij_identificatoren` | partij, anderePartijIdentificator, codeObjecttype, codeSoortObjectId,|
|                          | objectId, codeRegister, subIdentificatorVan                         |
| `digitaleadressen`       | verstrektDoorBetrokkene, verstrektDoorPartij, adres,                 |
|                          | soortDigitaalAdres, isStandaardAdres, omschrijving, referentie,      |
|                          | verificatieDatum                                                     |
| `klantcontacten`         | nummer, referentienummer, kanaal, onderwerp, inhoud, reactie,        |
|                          | indicatieContactGelukt, hoofdOnderwerpType, verdereActieOndernomen,  |
|                          | taal, vertrouwelijk, plaatsgevondenOp, metadata{}                    |
| `betrokkenen`            | wasPartij, hadKlantcontact, bezoekadres{}, correspondentieadres{},   |
|                          | contactnaam{}, rol, organisatienaam, initiator                       |
| `onderwerpobjecten`      | klantcontact, wasKlantcontact, onderwerpobjectidentificator{}        |
| `bijlagen`               | wasBijlageVanKlantcontact, bijlageidentificator{}                    |
| `actoren`                | naam, soortActor, indicatieActief, actoridentificator{},             |
|                          | actorIdentificatie{}                                                 |
| `actorklantcontacten`    | actor, klantcontact                                                  |
| `internetaken`           | nummer, referentienummer, gevraagdeHandeling,                        |
|                          | aanleidinggevendKlantcontact, toegewezenAanActoren[], toelichting,   |
|                          | status, toegewezenOp, afgehandeldOp                                  |

Date-times are ISO 8601 strings in UTC (`...Z`). Dicts keep insertion order, which is
creation order; "newest first" listings reverse it. Seed data with `insert`, which fills
the defaults the API would, so the serialisers never meet a half-made record.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bff.sandbox.common import UuidFactory

Record = dict[str, Any]

ADRES_KEYS = (
    "nummeraanduidingId",
    "straatnaam",
    "huisnummer",
    "huisnummertoevoeging",
    "postcode",
    "stad",
    "adresregel1",
    "adresregel2",
    "adresregel3",
    "land",
)
CONTACTNAAM_KEYS = ("voorletters", "voornaam", "voorvoegselAchternaam", "achternaam")
IDENTIFICATOR_KEYS = ("objectId", "codeObjecttype", "codeRegister", "codeSoortObjectId")


def empty_adres() -> Record:
    return {key: (None if key == "huisnummer" else "") for key in ADRES_KEYS}


def empty_group(keys: tuple[str, ...]) -> Record:
    return dict.fromkeys(keys, "")


def format_datetime(moment: datetime) -> str:
    """ISO 8601 in UTC with a `Z`, as Open Klant renders date-times."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _defaults() -> dict[str, Record]:
    return {
        "partijen": {
            "nummer": None,
            "interneNotitie": "",
            "soortPartij": "persoon",
            "indicatieGeheimhouding": None,
            "voorkeurstaal": "",
            "indicatieActief": True,
            "bezoekadres": empty_adres(),
            "correspondentieadres": empty_adres(),
            "voorkeursDigitaalAdres": None,
            "partijIdentificatie": {"contactnaam": None},
        },
        "partij_identificatoren": {
            "partij": None,
            "anderePartijIdentificator": "",
            "codeObjecttype": "",
            "codeSoortObjectId": "",
            "objectId": "",
            "codeRegister": "",
            "subIdentificatorVan": None,
        },
        "digitaleadressen": {
            "verstrektDoorBetrokkene": None,
            "verstrektDoorPartij": None,
            "adres": "",
            "soortDigitaalAdres": "email",
            "isStandaardAdres": False,
            "omschrijving": "",
            "referentie": "",
            "verificatieDatum": None,
        },
        "klantcontacten": {
            "nummer": None,
            "referentienummer": None,
            "kanaal": "",
            "onderwerp": "",
            "inhoud": "",
            "reactie": "",
            "indicatieContactGelukt": None,
            "hoofdOnderwerpType": "",
            "verdereActieOndernomen": False,
            "taal": "nld",
            "vertrouwelijk": False,
            "plaatsgevondenOp": None,
            "metadata": {},
        },
        "betrokkenen": {
            "wasPartij": None,
            "hadKlantcontact": None,
            "bezoekadres": empty_adres(),
            "correspondentieadres": empty_adres(),
            "contactnaam": empty_group(CONTACTNAAM_KEYS),
            "rol": "klant",
            "organisatienaam": "",
            "initiator": True,
        },
        "onderwerpobjecten": {
            "klantcontact": None,
            "wasKlantcontact": None,
            "onderwerpobjectidentificator": empty_group(IDENTIFICATOR_KEYS),
        },
        "bijlagen": {
            "wasBijlageVanKlantcontact": None,
            "bijlageidentificator": empty_group(IDENTIFICATOR_KEYS),
        },
        "actoren": {
            "naam": "",
            "soortActor": "medewerker",
            "indicatieActief": True,
            "actoridentificator": empty_group(IDENTIFICATOR_KEYS),
            "actorIdentificatie": {},
        },
        "actorklantcontacten": {"actor": None, "klantcontact": None},
        "internetaken": {
            "nummer": None,
            "referentienummer": None,
            "gevraagdeHandeling": "",
            "aanleidinggevendKlantcontact": None,
            "toegewezenAanActoren": [],
            "toelichting": "",
            "status": "te_verwerken",
            "toegewezenOp": None,
            "afgehandeldOp": None,
        },
    }


class KlantinteractiesStore:
    """Records of every Klantinteracties resource, plus the relations derived from them."""

    def __init__(self, *, seed: int | None = None) -> None:
        self.new_uuid = UuidFactory(seed)
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.partijen: dict[str, Record] = {}
        self.partij_identificatoren: dict[str, Record] = {}
        self.digitaleadressen: dict[str, Record] = {}
        self.klantcontacten: dict[str, Record] = {}
        self.betrokkenen: dict[str, Record] = {}
        self.onderwerpobjecten: dict[str, Record] = {}
        self.bijlagen: dict[str, Record] = {}
        self.actoren: dict[str, Record] = {}
        self.actorklantcontacten: dict[str, Record] = {}
        self.internetaken: dict[str, Record] = {}

    def table(self, name: str) -> dict[str, Record]:
        table: dict[str, Record] = getattr(self, name)
        return table

    def now(self) -> str:
        return format_datetime(self.clock())

    def insert(self, name: str, fields: Record | None = None) -> Record:
        """Add a record to table `name` with the API's defaults; returns the stored record."""
        record: Record = {"uuid": self.new_uuid(), **copy.deepcopy(_defaults()[name])}
        record.update(copy.deepcopy(fields or {}))
        if name == "klantcontacten" and record["plaatsgevondenOp"] is None:
            record["plaatsgevondenOp"] = self.now()
        if name == "internetaken" and record["toegewezenOp"] is None:
            record["toegewezenOp"] = self.now()
        self.table(name)[record["uuid"]] = record
        return record

    # Derived relations, in creation order.

    def where(self, name: str, key: str, value: object) -> list[Record]:
        return [record for record in self.table(name).values() if record[key] == value]

    def betrokkenen_of_partij(self, uuid: str) -> list[Record]:
        return self.where("betrokkenen", "wasPartij", uuid)

    def betrokkenen_of_klantcontact(self, uuid: str) -> list[Record]:
        return self.where("betrokkenen", "hadKlantcontact", uuid)

    def adressen_of_partij(self, uuid: str) -> list[Record]:
        return self.where("digitaleadressen", "verstrektDoorPartij", uuid)

    def adressen_of_betrokkene(self, uuid: str) -> list[Record]:
        return self.where("digitaleadressen", "verstrektDoorBetrokkene", uuid)

    def identificatoren_of_partij(self, uuid: str) -> list[Record]:
        return self.where("partij_identificatoren", "partij", uuid)

    def actoren_of_klantcontact(self, uuid: str) -> list[Record]:
        links = self.where("actorklantcontacten", "klantcontact", uuid)
        return [self.actoren[link["actor"]] for link in links if link["actor"] in self.actoren]

    # Deletes, cascading as Open Klant's foreign keys do.

    def delete_partij(self, uuid: str) -> None:
        for betrokkene in self.betrokkenen_of_partij(uuid):
            self.delete_betrokkene(betrokkene["uuid"])
        for identificator in self.identificatoren_of_partij(uuid):
            self.delete_partij_identificator(identificator["uuid"])
        for adres in self.adressen_of_partij(uuid):
            if adres["verstrektDoorBetrokkene"] is None:
                self.delete_digitaal_adres(adres["uuid"])
            else:
                adres["verstrektDoorPartij"] = None
        for partij in self.partijen.values():
            if partij["partijIdentificatie"].get("werkteVoorPartij") == uuid:
                partij["partijIdentificatie"]["werkteVoorPartij"] = None
        self.partijen.pop(uuid, None)

    def delete_partij_identificator(self, uuid: str) -> None:
        for identificator in self.partij_identificatoren.values():
            if identificator["subIdentificatorVan"] == uuid:
                identificator["subIdentificatorVan"] = None
        self.partij_identificatoren.pop(uuid, None)

    def delete_digitaal_adres(self, uuid: str) -> None:
        for partij in self.partijen.values():
            if partij["voorkeursDigitaalAdres"] == uuid:
                partij["voorkeursDigitaalAdres"] = None
        self.digitaleadressen.pop(uuid, None)

    def delete_betrokkene(self, uuid: str) -> None:
        for adres in self.adressen_of_betrokkene(uuid):
            if adres["verstrektDoorPartij"] is None:
                self.delete_digitaal_adres(adres["uuid"])
            else:
                adres["verstrektDoorBetrokkene"] = None
        self.betrokkenen.pop(uuid, None)

    def delete_klantcontact(self, uuid: str) -> None:
        for betrokkene in self.betrokkenen_of_klantcontact(uuid):
            self.delete_betrokkene(betrokkene["uuid"])
        for onderwerpobject in list(self.onderwerpobjecten.values()):
            if onderwerpobject["klantcontact"] == uuid:
                del self.onderwerpobjecten[onderwerpobject["uuid"]]
            elif onderwerpobject["wasKlantcontact"] == uuid:
                onderwerpobject["wasKlantcontact"] = None
        for name, key in (
            ("bijlagen", "wasBijlageVanKlantcontact"),
            ("actorklantcontacten", "klantcontact"),
            ("internetaken", "aanleidinggevendKlantcontact"),
        ):
            for record in self.where(name, key, uuid):
                del self.table(name)[record["uuid"]]
        self.klantcontacten.pop(uuid, None)

    def delete_actor(self, uuid: str) -> None:
        for link in self.where("actorklantcontacten", "actor", uuid):
            del self.actorklantcontacten[link["uuid"]]
        for taak in self.internetaken.values():
            taak["toegewezenAanActoren"] = [a for a in taak["toegewezenAanActoren"] if a != uuid]
        self.actoren.pop(uuid, None)

    def delete(self, name: str, uuid: str) -> None:
        """Delete one record of table `name` with the cascade that resource has."""
        cascades: dict[str, Callable[[str], None]] = {
            "partijen": self.delete_partij,
            "partij_identificatoren": self.delete_partij_identificator,
            "digitaleadressen": self.delete_digitaal_adres,
            "betrokkenen": self.delete_betrokkene,
            "klantcontacten": self.delete_klantcontact,
            "actoren": self.delete_actor,
        }
        if name in cascades:
            cascades[name](uuid)
        else:
            self.table(name).pop(uuid, None)
