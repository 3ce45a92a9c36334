"""Open Klant response bodies as the real service shapes them (trimmed to what we read)."""

from __future__ import annotations

from typing import Any

from tests.upstreams.conftest import KI

PARTIJ = "11111111-1111-4111-8111-111111111111"
KLANTCONTACT = "22222222-2222-4222-8222-222222222222"
BETROKKENE = "33333333-3333-4333-8333-333333333333"
ADRES = "44444444-4444-4444-8444-444444444444"
ACTOR = "55555555-5555-4555-8555-555555555555"
TAAK = "66666666-6666-4666-8666-666666666666"
ONDERWERP = "77777777-7777-4777-8777-777777777777"
BIJLAGE = "88888888-8888-4888-8888-888888888888"
IDENT = "99999999-9999-4999-8999-999999999999"

BSN_IDENTIFICATOR = {
    "codeObjecttype": "natuurlijk_persoon",
    "codeSoortObjectId": "bsn",
    "objectId": "999993653",
    "codeRegister": "brp",
}


def ref(kind: str, uuid: str) -> dict[str, str]:
    return {"uuid": uuid, "url": f"{KI}/{kind}/{uuid}"}


def partij(uuid: str = PARTIJ, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/partijen/{uuid}",
        "nummer": "0000000001",
        "soortPartij": "persoon",
        "indicatieActief": True,
        "indicatieGeheimhouding": False,
        "voorkeurstaal": "nld",
        "betrokkenen": [],
        "categorieRelaties": [],
        "vertegenwoordigden": [],
        "digitaleAdressen": [ref("digitaleadressen", ADRES)],
        "voorkeursDigitaalAdres": None,
        "rekeningnummers": [],
        "partijIdentificatoren": [
            {
                "uuid": IDENT,
                "url": f"{KI}/partij-identificatoren/{IDENT}",
                "identificeerdePartij": ref("partijen", uuid),
                "partijIdentificator": BSN_IDENTIFICATOR,
                "subIdentificatorVan": None,
                "anderePartijIdentificator": "",
            }
        ],
        "partijIdentificatie": {
            "contactnaam": {
                "voorletters": "J",
                "voornaam": "Jan",
                "voorvoegselAchternaam": "de",
                "achternaam": "Vries",
            },
            "volledigeNaam": "Jan de Vries",
        },
        "bezoekadres": None,
        "correspondentieadres": None,
        **extra,
    }


def digitaal_adres(uuid: str = ADRES, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/digitaleadressen/{uuid}",
        "verstrektDoorBetrokkene": None,
        "verstrektDoorPartij": ref("partijen", PARTIJ),
        "adres": "jan@example.nl",
        "soortDigitaalAdres": "email",
        "isStandaardAdres": True,
        "omschrijving": "prive",
        "referentie": "",
        "verificatieDatum": None,
        **extra,
    }


def actor(uuid: str = ACTOR, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/actoren/{uuid}",
        "naam": "Mieke Medewerker",
        "soortActor": "medewerker",
        "indicatieActief": True,
        "actoridentificator": {
            "objectId": "mieke@gemeente.nl",
            "codeObjecttype": "mdw",
            "codeRegister": "msei",
            "codeSoortObjectId": "email",
        },
        "actorIdentificatie": {
            "functie": "KCC",
            "emailadres": "mieke@gemeente.nl",
            "telefoonnummer": "0201234567",
        },
        **extra,
    }


def betrokkene(uuid: str = BETROKKENE, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/betrokkenen/{uuid}",
        "wasPartij": ref("partijen", PARTIJ),
        "hadKlantcontact": ref("klantcontacten", KLANTCONTACT),
        "digitaleAdressen": [],
        "bezoekadres": None,
        "correspondentieadres": None,
        "contactnaam": {"voorletters": "J", "voornaam": "Jan", "achternaam": "Vries"},
        "volledigeNaam": "Jan Vries",
        "rol": "klant",
        "organisatienaam": "",
        "initiator": True,
        **extra,
    }


def klantcontact(uuid: str = KLANTCONTACT, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/klantcontacten/{uuid}",
        "gingOverOnderwerpobjecten": [],
        "hadBetrokkenActoren": [actor()],
        "omvatteBijlagen": [],
        "hadBetrokkenen": [ref("betrokkenen", BETROKKENE)],
        "leiddeTotInterneTaken": [],
        "nummer": None,
        "referentienummer": "1234567",
        "kanaal": "telefoon",
        "onderwerp": "Paspoort aanvragen",
        "inhoud": "Vraag over de kosten",
        "reactie": "",
        "indicatieContactGelukt": True,
        "verdereActieOndernomen": False,
        "taal": "nld",
        "vertrouwelijk": False,
        "plaatsgevondenOp": "2026-11-02T10:15:00+01:00",
        "metadata": {},
        **extra,
    }


def internetaak(uuid: str = TAAK, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/internetaken/{uuid}",
        "nummer": None,
        "referentienummer": None,
        "gevraagdeHandeling": "Terugbellen",
        "aanleidinggevendKlantcontact": ref("klantcontacten", KLANTCONTACT),
        "toegewezenAanActor": ref("actoren", ACTOR),
        "toegewezenAanActoren": [ref("actoren", ACTOR)],
        "toelichting": "Graag voor vrijdag",
        "status": "te_verwerken",
        "toegewezenOp": "2026-11-02T10:20:00+01:00",
        "afgehandeldOp": None,
        **extra,
    }


def onderwerpobject(uuid: str = ONDERWERP) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/onderwerpobjecten/{uuid}",
        "klantcontact": ref("klantcontacten", KLANTCONTACT),
        "wasKlantcontact": None,
        "onderwerpobjectidentificator": {
            "objectId": "0f1e2d3c-0000-4000-8000-00000000abcd",
            "codeObjecttype": "zaak",
            "codeRegister": "open-zaak",
            "codeSoortObjectId": "uuid",
        },
    }


def bijlage(uuid: str = BIJLAGE) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "url": f"{KI}/bijlagen/{uuid}",
        "wasBijlageVanKlantcontact": ref("klantcontacten", KLANTCONTACT),
        "bijlageidentificator": {
            "objectId": "0f1e2d3c-0000-4000-8000-00000000beef",
            "codeObjecttype": "productaanvraag",
            "codeRegister": "objecten",
            "codeSoortObjectId": "uuid",
        },
    }
