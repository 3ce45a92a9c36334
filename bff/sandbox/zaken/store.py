"""The in-memory store of the sandbox Zaken API 1.5.1 (Open Zaak 1.30), and its serialiser.

Records are dicts with the API's field names, where a reference to another resource holds
that resource's uuid (`zaak`, `zaaktype`, `statustype`, `roltype`), turned into a URL by
`Serializer`. Derived fields (`rollen`, `status`, `zaakobjecten`, `einddatum` of a zaak)
are computed from the other records, so they cannot drift. Zaaktypen, statustypen and
roltypen live in the `CatalogiStore` given as `catalogi`. A new store is empty;
`seed_demo()` fills the demo catalogus and zaken (`bff.sandbox.zgw_demo`).
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any

from starlette.requests import Request

from bff.sandbox import catalogi, zgw_demo
from bff.sandbox.catalogi import CatalogiStore
from bff.sandbox.common import UuidFactory
from bff.sandbox.zgw import own_base, service_base

BASE_PATH = "/zaken/api/v1"  # must equal bff.sandbox.app.BASE_PATHS["zaken"]

Record = dict[str, Any]

ZAAK_DEFAULTS: Record = {
    "identificatie": "",
    "omschrijving": "",
    "toelichting": "",
    "einddatumGepland": None,
    "uiterlijkeEinddatumAfdoening": None,
    "publicatiedatum": None,
    "laatstGeopend": None,
    "communicatiekanaal": "",
    "communicatiekanaalNaam": "",
    "productenOfDiensten": [],
    "vertrouwelijkheidaanduiding": "zaakvertrouwelijk",
    "betalingsindicatie": "",
    "laatsteBetaaldatum": None,
    "zaakgeometrie": None,
    "verlenging": None,
    "opschorting": {"indicatie": False, "eerdereOpschorting": False, "reden": ""},
    "selectielijstklasse": "",
    "hoofdzaak": None,
    "relevanteAndereZaken": [],
    "gerelateerdeZaken": [],
    "kenmerken": [],
    "archiefnominatie": None,
    "archiefstatus": "nog_te_archiveren",
    "archiefactiedatum": None,
    "opdrachtgevendeOrganisatie": "",
    "processobjectaard": "",
    "startdatumBewaartermijn": None,
    "processobject": None,
}
IDENTIFICATIE_DEFAULTS = {
    "natuurlijk_persoon": (
        "inpBsn",
        "anpIdentificatie",
        "inpA_nummer",
        "geslachtsnaam",
        "voorvoegselGeslachtsnaam",
        "voorletters",
        "voornamen",
        "geslachtsaanduiding",
        "geboortedatum",
    ),
    "niet_natuurlijk_persoon": (
        "innNnpId",
        "annIdentificatie",
        "kvkNummer",
        "vestigingsNummer",
        "statutaireNaam",
        "innRechtsvorm",
        "bezoekadres",
    ),
    "vestiging": ("vestigingsNummer", "kvkNummer", "handelsnaam"),
    "medewerker": ("identificatie", "achternaam", "voorletters", "voorvoegselAchternaam"),
    "organisatorische_eenheid": ("identificatie", "naam", "isGehuisvestIn"),
}
ROL_DEFAULTS: Record = {
    "betrokkene": "",
    "afwijkendeNaamBetrokkene": "",
    "roltoelichting": "",
    "indicatieMachtiging": "",
    "contactpersoonRol": None,
    "beginGeldigheid": None,
    "eindeGeldigheid": None,
    "betrokkeneIdentificatie": {},
    "authenticatieContext": None,
}


def now_z() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class ZakenStore:
    """Zaken, rollen, statussen and zaakobjecten, each a dict keyed by uuid.

    `catalogi` (constructor keyword or attribute) resolves zaaktypen and statustypen for
    `expand` and for validating a new zaak's `zaaktype`.
    """

    def __init__(self, seed: int | None = None, *, catalogi: CatalogiStore | None = None) -> None:
        self.new_uuid = UuidFactory(seed)
        self.catalogi = catalogi
        self.zaken: dict[str, Record] = {}
        self.rollen: dict[str, Record] = {}
        self.statussen: dict[str, Record] = {}
        self.zaakobjecten: dict[str, Record] = {}

    @property
    def catalogus(self) -> CatalogiStore:
        if self.catalogi is None:
            raise RuntimeError("ZakenStore.catalogi is not set: give it the CatalogiStore")
        return self.catalogi

    def seed_demo(self) -> None:
        """Fill the demo catalogus (if empty) and the demo zaken (if no zaken exist)."""
        self.catalogus.seed_demo()
        if not self.zaken:
            zgw_demo.fill_zaken(self, self.catalogus)

    # Writers: fill the defaults the API would, so serialisers never meet half-made records.

    def add_zaak(self, record: Record) -> str:
        zaak = {**copy.deepcopy(ZAAK_DEFAULTS), **record}
        zaak.setdefault("uuid", self.new_uuid())
        zaak.setdefault("registratiedatum", date.today().isoformat())
        zaak.setdefault("laatstGemuteerd", now_z())
        self.zaken[zaak["uuid"]] = zaak
        return str(zaak["uuid"])

    def add_rol(self, record: Record) -> str:
        rol = {**copy.deepcopy(ROL_DEFAULTS), **record}
        rol.setdefault("uuid", self.new_uuid())
        rol.setdefault("registratiedatum", now_z())
        self.rollen[rol["uuid"]] = rol
        return str(rol["uuid"])

    def add_status(self, record: Record) -> str:
        status = {"statustoelichting": "", "gezetdoor": None, **record}
        status.setdefault("uuid", self.new_uuid())
        self.statussen[status["uuid"]] = status
        return str(status["uuid"])

    def add_zaakobject(self, record: Record) -> str:
        zaakobject = {"object": "", "zaakobjecttype": "", "relatieomschrijving": "", **record}
        zaakobject.setdefault("uuid", self.new_uuid())
        self.zaakobjecten[zaakobject["uuid"]] = zaakobject
        return str(zaakobject["uuid"])

    # Derived relations.

    def rollen_of(self, zaak: str) -> list[Record]:
        return [r for r in self.rollen.values() if r["zaak"] == zaak]

    def current_status(self, zaak: str) -> Record | None:
        found = [s for s in self.statussen.values() if s["zaak"] == zaak]
        return max(found, key=lambda s: str(s["datumStatusGezet"]), default=None)

    def einddatum(self, zaak: str) -> str | None:
        status = self.current_status(zaak)
        if status is None or status["statustype"] not in self.catalogus.statustypen:
            return None
        if not self.catalogus.is_eindstatus(self.catalogus.statustypen[status["statustype"]]):
            return None
        return str(status["datumStatusGezet"])[:10]


class Serializer:
    """Records -> response bodies, with the URLs of this request's host."""

    def __init__(self, store: ZakenStore, request: Request) -> None:
        self.store = store
        self.base = own_base(request)
        self.catalogi = service_base(request, catalogi.BASE_PATH)

    def url(self, collection: str, uuid: str) -> str:
        return f"{self.base}/{collection}/{uuid}"

    def zaak(self, uuid: str, expand: frozenset[str] | None = None) -> Record:
        """The zaak; with `expand` (even empty) also `_expand`, as when the client asked."""
        store, record = self.store, self.store.zaken[uuid]
        status = store.current_status(uuid)
        rollen = store.rollen_of(uuid)
        zaakobjecten = [o for o in store.zaakobjecten.values() if o["zaak"] == uuid]
        body = {"url": self.url("zaken", uuid), "uuid": uuid, **record}
        body |= {
            "zaaktype": f"{self.catalogi}/zaaktypen/{record['zaaktype']}",
            "einddatum": store.einddatum(uuid),
            "betalingsindicatieWeergave": "",
            "deelzaken": [],
            "eigenschappen": [],
            "rollen": [self.url("rollen", r["uuid"]) for r in rollen],
            "status": self.url("statussen", status["uuid"]) if status else None,
            "zaakinformatieobjecten": [],
            "zaakobjecten": [self.url("zaakobjecten", o["uuid"]) for o in zaakobjecten],
            "resultaat": None,
        }
        if expand is None:
            return body
        expanded: Record = {}
        if "zaaktype" in expand and record["zaaktype"] in store.catalogus.zaaktypen:
            expanded["zaaktype"] = store.catalogus.zaaktype_body(record["zaaktype"], self.catalogi)
        if "status" in expand:
            expanded["status"] = self.status(status["uuid"], expand) if status else None
        if "rollen" in expand:
            expanded["rollen"] = [self.rol(r["uuid"], expand) for r in rollen]
        if "zaakobjecten" in expand:
            expanded["zaakobjecten"] = [self.zaakobject(o["uuid"]) for o in zaakobjecten]
        for name in ("deelzaken", "eigenschappen", "zaakinformatieobjecten"):
            if name in expand:
                expanded[name] = []  # the sandbox keeps none of these
        for name in ("hoofdzaak", "resultaat"):
            if name in expand:
                expanded[name] = None
        return {**body, "_expand": expanded}

    def status(self, uuid: str, expand: frozenset[str] = frozenset()) -> Record:
        record, statustypen = self.store.statussen[uuid], self.store.catalogus.statustypen
        current = self.store.current_status(record["zaak"])
        body = {
            "url": self.url("statussen", uuid),
            **record,
            "zaak": self.url("zaken", record["zaak"]),
            "statustype": f"{self.catalogi}/statustypen/{record['statustype']}",
            "indicatieLaatstGezetteStatus": current is not None and current["uuid"] == uuid,
            "zaakinformatieobjecten": [],
        }
        if "status.statustype" in expand and record["statustype"] in statustypen:
            statustype = self.store.catalogus.statustype_body(record["statustype"], self.catalogi)
            body["_expand"] = {"statustype": statustype}
        return body

    def rol(self, uuid: str, expand: frozenset[str] = frozenset()) -> Record:
        record = self.store.rollen[uuid]
        defaults: Record = dict.fromkeys(
            IDENTIFICATIE_DEFAULTS.get(record["betrokkeneType"], ()), ""
        )
        defaults |= {"verblijfsadres": None, "subVerblijfBuitenland": None}
        body = {
            "url": self.url("rollen", uuid),
            **record,
            "zaak": self.url("zaken", record["zaak"]),
            "roltype": f"{self.catalogi}/roltypen/{record['roltype']}",
            "statussen": [],
            "betrokkeneIdentificatie": {**defaults, **record["betrokkeneIdentificatie"]},
        }
        if "rollen.roltype" in expand and record["roltype"] in self.store.catalogus.roltypen:
            roltype = self.store.catalogus.roltype_body(record["roltype"], self.catalogi)
            body["_expand"] = {"roltype": roltype}
        return body

    def zaakobject(self, uuid: str) -> Record:
        record = self.store.zaakobjecten[uuid]
        return {
            "url": self.url("zaakobjecten", uuid),
            **record,
            "zaak": self.url("zaken", record["zaak"]),
        }
