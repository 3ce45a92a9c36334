"""Wire models for compose tests, built from bodies shaped like Open Klant's and Open Zaak's."""

from __future__ import annotations

from typing import Any

from bff.codes import CodeTables, Entry, load_bundled
from bff.upstreams.klantinteracties.models import Actor, Klantcontact, Partij
from bff.upstreams.zaken import Zaak

KI = "http://openklant.test/klantinteracties/api/v1"
ZAKEN = "http://openzaak.test/zaken/api/v1"
CATALOGI = "http://openzaak.test/catalogi/api/v1"

PARTIJ = "11111111-1111-4111-8111-111111111111"
KC = "22222222-2222-4222-8222-222222222222"
BETROKKENE = "33333333-3333-4333-8333-333333333333"
MEDEWERKER = "55555555-5555-4555-8555-555555555551"
AFDELING = "55555555-5555-4555-8555-555555555552"
SYSTEEM = "55555555-5555-4555-8555-555555555553"
TAAK = "66666666-6666-4666-8666-666666666666"
ONDERWERP = "77777777-7777-4777-8777-777777777777"
BIJLAGE = "88888888-8888-4888-8888-888888888888"
ZAAK = "aaaaaaaa-0000-4000-8000-000000000001"

CODES = CodeTables.build(
    load_bundled(),
    kanalen=[Entry("telefoon", "Telefoon"), Entry("e-mail", "E-mail")],
)


def ref(kind: str, uuid: str) -> dict[str, str]:
    return {"uuid": uuid, "url": f"{KI}/{kind}/{uuid}"}


def actor_body(uuid: str = MEDEWERKER, soort: str = "medewerker", **extra: Any) -> dict[str, Any]:
    identificatie = {
        "medewerker": {
            "functie": "KCC-medewerker",
            "emailadres": "anna@gemeente.example",
            "telefoonnummer": "0201234501",
        },
        "organisatorische_eenheid": {
            "omschrijving": "Team vergunningen",
            "emailadres": "vergunningen@gemeente.example",
            "telefoonnummer": "0201234600",
        },
        "geautomatiseerde_actor": {
            "functie": "Formulierenserver",
            "omschrijving": "Contactformulier",
        },
    }[soort]
    naam = {"medewerker": "Anna", "organisatorische_eenheid": "Vergunningen"}.get(soort, "Web")
    return {
        "uuid": uuid,
        "url": f"{KI}/actoren/{uuid}",
        "naam": naam,
        "soortActor": soort,
        "indicatieActief": True,
        "actoridentificator": None,
        "actorIdentificatie": identificatie,
        **extra,
    }


def actor(uuid: str = MEDEWERKER, soort: str = "medewerker") -> Actor:
    return Actor.model_validate(actor_body(uuid, soort))


def partij_body(uuid: str = PARTIJ, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/partijen/{uuid}",
        "soortPartij": "persoon",
        "indicatieActief": True,
        "indicatieGeheimhouding": False,
        "voorkeurstaal": "nld",
        "digitaleAdressen": [],
        "voorkeursDigitaalAdres": None,
        "partijIdentificatoren": [],
        "partijIdentificatie": {
            "contactnaam": {
                "voorletters": "J",
                "voornaam": "Jan",
                "voorvoegselAchternaam": "de",
                "achternaam": "Vries",
            }
        },
        "bezoekadres": None,
        "correspondentieadres": None,
        "betrokkenen": [],
        **extra,
    }


def partij(uuid: str = PARTIJ, **extra: Any) -> Partij:
    return Partij.model_validate(partij_body(uuid, **extra))


def betrokkene_body(
    uuid: str = BETROKKENE, kc: str = KC, *, partij: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uuid": uuid,
        "url": f"{KI}/betrokkenen/{uuid}",
        "wasPartij": ref("partijen", PARTIJ),
        "hadKlantcontact": ref("klantcontacten", kc),
        "digitaleAdressen": [],
        "contactnaam": {
            "voorletters": "J",
            "voornaam": "Jan",
            "voorvoegselAchternaam": "de",
            "achternaam": "Vries",
        },
        "volledigeNaam": "",
        "rol": "klant",
        "organisatienaam": "",
        "initiator": True,
        **extra,
    }
    if partij is not None:
        body["_expand"] = {"wasPartij": partij}
    return body


def taak_body(uuid: str = TAAK, kc: str = KC, *actoren: str, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/internetaken/{uuid}",
        "nummer": "0000000001",
        "gevraagdeHandeling": "Klant terugbellen",
        "aanleidinggevendKlantcontact": ref("klantcontacten", kc),
        "toegewezenAanActoren": [ref("actoren", a) for a in actoren or (AFDELING,)],
        "toelichting": "Graag voor vrijdag.",
        "status": "te_verwerken",
        "toegewezenOp": "2026-11-01T10:00:00Z",
        "afgehandeldOp": None,
        **extra,
    }


def onderwerp_body(uuid: str = ONDERWERP, kc: str = KC, **ident: str) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/onderwerpobjecten/{uuid}",
        "klantcontact": ref("klantcontacten", kc),
        "wasKlantcontact": None,
        "onderwerpobjectidentificator": {
            "objectId": ZAAK,
            "codeObjecttype": "zaak",
            "codeRegister": "open-zaak",
            "codeSoortObjectId": "uuid",
            **ident,
        },
    }


def bijlage_body(uuid: str = BIJLAGE, kc: str = KC) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/bijlagen/{uuid}",
        "wasBijlageVanKlantcontact": ref("klantcontacten", kc),
        "bijlageidentificator": {
            "objectId": "cccccccc-0000-4000-8000-000000000001",
            "codeObjecttype": "productaanvraag",
            "codeRegister": "objecten",
            "codeSoortObjectId": "uuid",
        },
    }


def klantcontact_body(
    uuid: str = KC, *, expand: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uuid": uuid,
        "url": f"{KI}/klantcontacten/{uuid}",
        "nummer": "",
        "referentienummer": "9000000001",
        "kanaal": "telefoon",
        "onderwerp": "Parkeervergunning",
        "inhoud": "Vraagt naar de doorlooptijd.",
        "reactie": "Doorlooptijd genoemd.",
        "indicatieContactGelukt": True,
        "verdereActieOndernomen": False,
        "taal": "nld",
        "vertrouwelijk": False,
        "plaatsgevondenOp": "2026-11-01T09:30:00Z",
        "hadBetrokkenen": [ref("betrokkenen", BETROKKENE)],
        "hadBetrokkenActoren": [actor_body()],
        "gingOverOnderwerpobjecten": [],
        "omvatteBijlagen": [],
        "leiddeTotInterneTaken": [],
        **extra,
    }
    if expand is not None:
        body["_expand"] = expand
    return body


def full_expand(kc: str = KC, *, partij: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "hadBetrokkenen": [betrokkene_body(kc=kc, partij=partij)],
        "leiddeTotInterneTaken": [taak_body(TAAK, kc, AFDELING, MEDEWERKER)],
        "gingOverOnderwerpobjecten": [onderwerp_body(kc=kc)],
        "omvatteBijlagen": [bijlage_body(kc=kc)],
    }


def klantcontact(uuid: str = KC, **extra: Any) -> Klantcontact:
    return Klantcontact.model_validate(klantcontact_body(uuid, **extra))


def zaak_body(uuid: str = ZAAK, *, expand: bool = True, **extra: Any) -> dict[str, Any]:
    zaaktype = f"{CATALOGI}/zaaktypen/bbbbbbbb-0000-4000-8000-000000000001"
    statustype = f"{CATALOGI}/statustypen/bbbbbbbb-0000-4000-8000-000000000002"
    status = f"{ZAKEN}/statussen/aaaaaaaa-0000-4000-8000-000000000002"
    body: dict[str, Any] = {
        "url": f"{ZAKEN}/zaken/{uuid}",
        "uuid": uuid,
        "identificatie": "ZAAK-2026-0000001",
        "omschrijving": "Parkeervergunning Kerkstraat",
        "zaaktype": zaaktype,
        "startdatum": "2026-10-01",
        "einddatum": None,
        "status": status,
        "vertrouwelijkheidaanduiding": "openbaar",
        **extra,
    }
    if expand:
        body["_expand"] = {
            "zaaktype": {"url": zaaktype, "omschrijving": "Parkeervergunning aanvragen"},
            "status": {
                "url": status,
                "zaak": body["url"],
                "statustype": statustype,
                "datumStatusGezet": "2026-10-02T09:00:00Z",
                "_expand": {
                    "statustype": {
                        "url": statustype,
                        "omschrijving": "In behandeling",
                        "zaaktype": zaaktype,
                        "volgnummer": 2,
                    }
                },
            },
        }
    return body


def zaak(uuid: str = ZAAK, **extra: Any) -> Zaak:
    return Zaak.model_validate(zaak_body(uuid, **extra))
