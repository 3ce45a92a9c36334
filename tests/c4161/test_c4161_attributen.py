"""C4161 (klantcontact registreren en raadplegen) attribute by attribute: every attribute the
case lists is found in the klantbeeld, the klantcontact detail or the interne-taken
worklist, with each code carrying its meaning.

The demo person's data is completed in the sandbox store with what the demo data leaves
empty (an interne notitie, a nummeraanduiding, an upstream klantcontact `nummer`, a
betrokkene with every field and a contact detail for this request only), so each
attribute has a value to find.
"""

from __future__ import annotations

from typing import Any

from bff.sandbox.klantinteracties.store import empty_adres
from tests.helpers.harness import DEMO_BSN, Bff, start_bff

# (object, attribute, where in the answer: dotted path, `*` walks a list)
C4161_KLANTBEELD: list[tuple[str, str, str]] = [
    ("partij", "nummer", "partij.partij.nummer"),
    ("partij", "interneNotitie", "partij.partij.interneNotitie"),
    ("partij", "soortPartij", "partij.partij.soortPartij.naam"),
    ("partij", "indicatieActief", "partij.partij.indicatieActief"),
    ("partij", "indicatieGeheimhouding", "partij.partij.indicatieGeheimhouding"),
    ("partij", "voorkeurstaal", "partij.partij.voorkeurstaal.naam"),
    ("partij", "bezoekadres.nummeraanduidingId", "partij.partij.bezoekadres.nummeraanduidingId"),
    ("partij", "bezoekadres.land", "partij.partij.bezoekadres.land.naam"),
    ("partij-identificator", "codeRegister", "partij.partij.identificatoren.*.codeRegister.naam"),
    (
        "partij-identificator",
        "codeObjecttype",
        "partij.partij.identificatoren.*.codeObjecttype.naam",
    ),
    (
        "partij-identificator",
        "codeSoortObjectId",
        "partij.partij.identificatoren.*.codeSoortObjectId.naam",
    ),
    ("partij-identificator", "objectId", "partij.partij.identificatoren.*.objectId"),
    (
        "digitaal adres",
        "soortDigitaalAdres",
        "partij.partij.digitaleAdressen.*.soortDigitaalAdres.naam",
    ),
    ("digitaal adres", "adres", "partij.partij.digitaleAdressen.*.adres"),
    ("klantcontact", "nummer", "klantcontacten.items.*.nummer"),
    ("klantcontact", "referentienummer", "klantcontacten.items.*.referentienummer"),
    ("klantcontact", "kanaal", "klantcontacten.items.*.kanaal.naam"),
    ("klantcontact", "onderwerp", "klantcontacten.items.*.onderwerp"),
    ("klantcontact", "inhoud", "klantcontacten.items.*.inhoud"),
    ("klantcontact", "reactie", "klantcontacten.items.*.reactie"),
    ("klantcontact", "taal", "klantcontacten.items.*.taal.naam"),
    ("klantcontact", "vertrouwelijk", "klantcontacten.items.*.vertrouwelijk"),
    ("klantcontact", "plaatsgevondenOp", "klantcontacten.items.*.plaatsgevondenOp"),
    ("klantcontact", "indicatieContactGelukt", "klantcontacten.items.*.indicatieContactGelukt"),
    ("betrokkene", "rol", "klantcontacten.items.*.betrokkenen.*.rol.naam"),
    ("betrokkene", "initiator", "klantcontacten.items.*.betrokkenen.*.initiator"),
    ("betrokkene", "naam", "klantcontacten.items.*.betrokkenen.*.naam"),
    ("betrokkene", "voorletters", "klantcontacten.items.*.betrokkenen.*.contactnaam.voorletters"),
    ("betrokkene", "voornaam", "klantcontacten.items.*.betrokkenen.*.contactnaam.voornaam"),
    (
        "betrokkene",
        "voorvoegselAchternaam",
        "klantcontacten.items.*.betrokkenen.*.contactnaam.voorvoegselAchternaam",
    ),
    ("betrokkene", "achternaam", "klantcontacten.items.*.betrokkenen.*.contactnaam.achternaam"),
    ("betrokkene", "organisatienaam", "klantcontacten.items.*.betrokkenen.*.organisatienaam"),
    (
        "betrokkene",
        "bezoekadres",
        "klantcontacten.items.*.betrokkenen.*.bezoekadres.straatnaam",
    ),
    (
        "betrokkene",
        "correspondentieadres",
        "klantcontacten.items.*.betrokkenen.*.correspondentieadres.adresregel1",
    ),
    (
        "betrokkene",
        "digitaal adres voor dit verzoek",
        "klantcontacten.items.*.betrokkenen.*.digitaleAdressen.*.adres",
    ),
    ("actor", "naam", "klantcontacten.items.*.actoren.*.naam"),
    ("actor", "soortActor", "klantcontacten.items.*.actoren.*.soortActor.naam"),
    ("actor", "indicatieActief", "klantcontacten.items.*.actoren.*.indicatieActief"),
    (
        "actor",
        "actoridentificator.objectId",
        "klantcontacten.items.*.actoren.*.actoridentificator.objectId",
    ),
    (
        "actor",
        "actoridentificator.codeObjecttype",
        "klantcontacten.items.*.actoren.*.actoridentificator.codeObjecttype.naam",
    ),
    (
        "actor",
        "actoridentificator.codeSoortObjectId",
        "klantcontacten.items.*.actoren.*.actoridentificator.codeSoortObjectId.naam",
    ),
    (
        "actor",
        "actoridentificator.codeRegister",
        "klantcontacten.items.*.actoren.*.actoridentificator.codeRegister.naam",
    ),
    ("interne taak", "nummer", "klantcontacten.items.*.interneTaken.*.nummer"),
    ("interne taak", "klantcontact", "klantcontacten.items.*.interneTaken.*.klantcontact"),
    (
        "interne taak",
        "gevraagdeHandeling",
        "klantcontacten.items.*.interneTaken.*.gevraagdeHandeling",
    ),
    ("interne taak", "toelichting", "klantcontacten.items.*.interneTaken.*.toelichting"),
    ("interne taak", "status", "klantcontacten.items.*.interneTaken.*.status.naam"),
    ("interne taak", "toegewezenOp", "klantcontacten.items.*.interneTaken.*.toegewezenOp"),
    ("interne taak", "afgehandeldOp", "klantcontacten.items.*.interneTaken.*.afgehandeldOp"),
    (
        "interne taak",
        "toegewezenAanActoren",
        "klantcontacten.items.*.interneTaken.*.toegewezenAanActoren.*.naam",
    ),
    (
        "onderwerpobject",
        "codeObjecttype",
        "klantcontacten.items.*.onderwerpobjecten.*.identificator.codeObjecttype.naam",
    ),
    (
        "onderwerpobject",
        "codeRegister",
        "klantcontacten.items.*.onderwerpobjecten.*.identificator.codeRegister.naam",
    ),
    (
        "onderwerpobject",
        "codeSoortObjectId",
        "klantcontacten.items.*.onderwerpobjecten.*.identificator.codeSoortObjectId.naam",
    ),
    ("onderwerpobject", "zaak", "klantcontacten.items.*.onderwerpobjecten.*.zaak.identificatie"),
    (
        "bijlage",
        "codeObjecttype",
        "klantcontacten.items.*.bijlagen.*.identificator.codeObjecttype.naam",
    ),
    (
        "bijlage",
        "codeRegister",
        "klantcontacten.items.*.bijlagen.*.identificator.codeRegister.naam",
    ),
    ("zaak", "identificatie", "zaken.items.*.identificatie"),
    ("zaak", "zaaktype", "zaken.items.*.zaaktype"),
    ("zaak", "status", "zaken.items.*.status"),
    ("zaak", "vertrouwelijkheidaanduiding", "zaken.items.*.vertrouwelijkheidaanduiding.naam"),
]


def found_at(document: Any, path: str) -> list[Any]:
    """Every value at `path` (dotted, `*` for each item of a list) that is not null."""
    values = [document]
    for step in path.split("."):
        nxt: list[Any] = []
        for value in values:
            if step == "*" and isinstance(value, list):
                nxt.extend(value)
            elif isinstance(value, dict) and value.get(step) is not None:
                nxt.append(value[step])
        values = nxt
    return [v for v in values if v is not None and v != []]


def complete_demo_person(bff: Bff) -> dict[str, str]:
    """Fill in what the demo data leaves empty; returns the uuids made."""
    ki = bff.sandbox.klantinteracties
    ident = next(i for i in ki.partij_identificatoren.values() if i["objectId"] == DEMO_BSN)
    partij = ki.partijen[ident["partij"]]
    partij["nummer"] = partij["nummer"] or "0000000101"
    partij["interneNotitie"] = "Belt liefst 's ochtends"
    partij["bezoekadres"]["nummeraanduidingId"] = "0599200000012345"
    partij["bezoekadres"]["land"] = partij["bezoekadres"]["land"] or "NL"
    kc = ki.insert(
        "klantcontacten",
        {
            "nummer": "0000012345",
            "referentienummer": "4161000001",
            "kanaal": "telefoon",
            "onderwerp": "Parkeervergunning",
            "inhoud": "Vraag over de vergunning",
            "reactie": "Collega belt terug",
            "taal": "nld",
            "vertrouwelijk": False,
            "indicatieContactGelukt": True,
            "plaatsgevondenOp": "2099-01-01T09:00:00Z",
        },
    )
    adres = {"straatnaam": "Coolsingel", "huisnummer": 40, "postcode": "3011AD", "land": "NL"}
    betrokkene = ki.insert(
        "betrokkenen",
        {
            "wasPartij": partij["uuid"],
            "hadKlantcontact": kc["uuid"],
            "rol": "klant",
            "initiator": True,
            "organisatienaam": "Bakkerij De Korenbloem",
            "contactnaam": {
                "voorletters": "J.",
                "voornaam": "Jan",
                "voorvoegselAchternaam": "de",
                "achternaam": "Vries",
            },
            "bezoekadres": {**empty_adres(), **adres},
            "correspondentieadres": {**empty_adres(), "adresregel1": "Postbus 70012"},
        },
    )
    terugbel = ki.insert(
        "digitaleadressen",
        {
            "verstrektDoorBetrokkene": betrokkene["uuid"],
            "verstrektDoorPartij": None,
            "adres": "0612345678",
            "soortDigitaalAdres": "telefoonnummer",
            "omschrijving": "Terugbelnummer",
        },
    )
    actor = next(a for a in ki.actoren.values() if a["soortActor"] == "medewerker")
    ki.insert("actorklantcontacten", {"actor": actor["uuid"], "klantcontact": kc["uuid"]})
    taak = ki.insert(
        "internetaken",
        {
            "nummer": "0000000042",
            "gevraagdeHandeling": "Klant terugbellen",
            "aanleidinggevendKlantcontact": kc["uuid"],
            "toegewezenAanActoren": [actor["uuid"]],
            "toelichting": "Over de parkeervergunning",
            "status": "verwerkt",
            "afgehandeldOp": "2099-01-02T09:00:00Z",
        },
    )
    zaak = demo_zaak(bff)
    ki.insert(
        "onderwerpobjecten",
        {
            "klantcontact": kc["uuid"],
            "onderwerpobjectidentificator": {
                "codeObjecttype": "zaak",
                "codeRegister": "open-zaak",
                "codeSoortObjectId": "uuid",
                "objectId": zaak["uuid"],
            },
        },
    )
    ki.insert(
        "bijlagen",
        {
            "wasBijlageVanKlantcontact": kc["uuid"],
            "bijlageidentificator": {
                "codeObjecttype": "productaanvraag",
                "codeRegister": "objecten",
                "codeSoortObjectId": "uuid",
                "objectId": "cccccccc-0000-4000-8000-000000000001",
            },
        },
    )
    return {
        "klantcontact": kc["uuid"],
        "taak": taak["uuid"],
        "actor": actor["uuid"],
        "terugbel": terugbel["adres"],
    }


def demo_zaak(bff: Bff) -> dict[str, Any]:
    """A zaak in which the demo person has a rol."""
    store = bff.sandbox.zaken
    for zaak in store.zaken.values():
        for rol in store.rollen_of(zaak["uuid"]):
            if (rol.get("betrokkeneIdentificatie") or {}).get("inpBsn") == DEMO_BSN:
                return zaak
    raise AssertionError("the demo person has no zaak")


async def test_klantbeeld_shows_every_c4161_attribute_with_codes_named() -> None:
    async with start_bff() as bff:
        complete_demo_person(bff)
        r = await bff.client.post(
            "/api/v1/klantbeeld",
            json={"bsn": DEMO_BSN, "pageSize": 50},
            headers=bff.auth_vertrouwelijk(),
        )
    assert r.status_code == 200, r.text
    body = r.json()
    missing = [(obj, attr) for obj, attr, path in C4161_KLANTBEELD if not found_at(body, path)]
    assert missing == []


async def test_identificator_codes_and_vertrouwelijkheidaanduiding_carry_their_meaning() -> None:
    async with start_bff() as bff:
        complete_demo_person(bff)
        r = await bff.client.post(
            "/api/v1/klantbeeld", json={"bsn": DEMO_BSN, "pageSize": 50}, headers=bff.auth()
        )
    body = r.json()
    (ident,) = [i for i in body["partij"]["partij"]["identificatoren"] if i["objectId"] == DEMO_BSN]
    assert ident["codeSoortObjectId"] == {"code": "bsn", "naam": "Burgerservicenummer"}
    assert ident["codeRegister"] == {"code": "brp", "naam": "Basisregistratie Personen"}
    zaak = body["zaken"]["items"][0]
    assert zaak["vertrouwelijkheidaanduiding"]["naam"]


async def test_klantcontact_detail_shows_nummer_betrokkene_parts_and_callback_number() -> None:
    async with start_bff() as bff:
        made = complete_demo_person(bff)
        r = await bff.client.get(
            f"/api/v1/klantcontacten/{made['klantcontact']}", headers=bff.auth()
        )
    assert r.status_code == 200, r.text
    kc = r.json()
    assert (kc["nummer"], kc["referentienummer"]) == ("0000012345", "4161000001")
    (betrokkene,) = kc["betrokkenen"]
    assert betrokkene["contactnaam"] == {
        "voorletters": "J.",
        "voornaam": "Jan",
        "voorvoegselAchternaam": "de",
        "achternaam": "Vries",
    }
    assert betrokkene["organisatienaam"] == "Bakkerij De Korenbloem"
    assert betrokkene["bezoekadres"]["straatnaam"] == "Coolsingel"
    assert betrokkene["correspondentieadres"]["adresregel1"] == "Postbus 70012"
    (terugbel,) = betrokkene["digitaleAdressen"]
    assert terugbel["adres"] == made["terugbel"]
    assert terugbel["soortDigitaalAdres"] == {"code": "telefoonnummer", "naam": "Telefoonnummer"}
    (taak,) = kc["interneTaken"]
    assert (taak["nummer"], taak["klantcontact"]) == ("0000000042", made["klantcontact"])
    assert taak["afgehandeldOp"]
    assert taak["toegewezenOp"]
    (actor,) = kc["actoren"]
    assert actor["indicatieActief"] is True
    assert actor["actoridentificator"]["codeObjecttype"]["code"]


async def test_worklist_item_shows_the_callback_number_without_extra_upstream_calls() -> None:
    async with start_bff() as bff:
        made = complete_demo_person(bff)
        ki = bff.sandbox.klantinteracties
        ki.internetaken[made["taak"]]["status"] = "te_verwerken"
        ki.internetaken[made["taak"]]["afgehandeldOp"] = None
        kc_reads = bff.sandbox.faults.add(
            "klantinteracties", method="GET", path="^/klantcontacten/"
        )
        adres_reads = bff.sandbox.faults.add(
            "klantinteracties", method="GET", path="^/(digitaleadressen|betrokkenen)"
        )
        r = await bff.client.get(
            "/api/v1/interne-taken",
            params={"toegewezenAan": made["actor"], "pageSize": 100},
            headers=bff.auth(),
        )
    assert r.status_code == 200, r.text
    (item,) = [t for t in r.json()["items"] if t["uuid"] == made["taak"]]
    assert item["nummer"] == "0000000042"
    assert item["klantcontact"]["nummer"] == "0000012345"
    assert [a["adres"] for a in item["klantcontact"]["digitaleAdressen"]] == [made["terugbel"]]
    distinct = {t["klantcontact"]["uuid"] for t in r.json()["items"] if t["klantcontact"]}
    assert kc_reads.hits == len(distinct)
    assert adres_reads.hits == 0
