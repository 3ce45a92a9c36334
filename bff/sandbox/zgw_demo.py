"""Demo content of the sandbox Catalogi API 1.3.1 and Zaken API 1.5.1: one catalogus, its zaken.

Deterministic: fixed uuid seeds and a fixed random generator, so a demo zaak keeps its uuid
and identificatie (`ZAAK-2025-0000123`) across restarts. The zaken are spread over the
living BRP sandbox persons (rollen with `inpBsn`), with several for 999993653, and a few
over organisations (rollen with `innNnpId`).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bff.sandbox.brp import load_personen
from bff.sandbox.common import UuidFactory

if TYPE_CHECKING:
    from bff.sandbox.catalogi import CatalogiStore
    from bff.sandbox.zaken import ZakenStore

Record = dict[str, Any]
RSIN_GEMEENTE = "002220647"
CATALOGUS_SEED = 5_310
ZAKEN_SEED = 5_320
DEMO_BSN = "999993653"
ORGANISATIES = (  # naam, RSIN, KvK-nummer (as the demo partijen in Klantinteracties)
    ("Stichting Zomerfestival Turfmarkt", "857587973", "69599084"),
    ("Bakkerij De Korenaar", "863247118", "68750110"),
)

# identificatie, omschrijving, doorlooptijd, statustypen (omschrijving, statustekst), omschrijvingen
ZAAKTYPEN: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "PARKEERVERGUNNING",
        "Aanvraag parkeervergunning",
        "P8W",
        ("Ontvangen", "In behandeling", "Besluit genomen", "Afgehandeld"),
        ("Bewonersvergunning", "Bezoekersvergunning", "Mantelzorgvergunning"),
    ),
    (
        "MELDING-OPENBARE-RUIMTE",
        "Melding openbare ruimte",
        "P2W",
        ("Gemeld", "In behandeling", "Afgehandeld"),
        ("Losliggende stoeptegel", "Kapotte lantaarnpaal", "Zwerfafval", "Omgevallen boom"),
    ),
    (
        "BEZWAAR-WOZ",
        "Bezwaar WOZ-beschikking",
        "P12W",
        ("Ontvangen", "In behandeling", "Hoorzitting gepland", "Afgehandeld"),
        ("Bezwaar WOZ-waarde woning", "Bezwaar WOZ-waarde bedrijfspand"),
    ),
    (
        "EVENEMENTENVERGUNNING",
        "Aanvraag evenementenvergunning",
        "P8W",
        ("Ontvangen", "Advies gevraagd", "In behandeling", "Afgehandeld"),
        ("Buurtfeest", "Straatmarkt", "Sportevenement"),
    ),
    (
        "KLACHT",
        "Klacht",
        "P6W",
        ("Ontvangen", "In behandeling", "Afgehandeld"),
        ("Klacht over bejegening", "Klacht over afvalinzameling", "Klacht over wachttijd"),
    ),
)


def fill_catalogus(store: CatalogiStore) -> None:
    new_uuid = UuidFactory(CATALOGUS_SEED)
    catalogus = store.add(
        "catalogussen",
        {
            "uuid": new_uuid(),
            "domein": "KCC",
            "rsin": RSIN_GEMEENTE,
            "contactpersoonBeheerNaam": "Team Zaaktypebeheer",
            "contactpersoonBeheerTelefoonnummer": "14 020",
            "contactpersoonBeheerEmailadres": "zaaktypebeheer@gemeente.example",
            "naam": "Zaaktypecatalogus sandboxgemeente",
            "versie": "2025",
            "begindatumVersie": "2025-01-01",
        },
    )
    for identificatie, omschrijving, doorlooptijd, statussen, _ in ZAAKTYPEN:
        zaaktype = store.add(
            "zaaktypen",
            {
                "uuid": new_uuid(),
                "catalogus": catalogus,
                "identificatie": identificatie,
                "omschrijving": omschrijving,
                "omschrijvingGeneriek": omschrijving,
                "vertrouwelijkheidaanduiding": "zaakvertrouwelijk",
                "doel": f"Afhandelen van: {omschrijving.lower()}.",
                "aanleiding": "Verzoek of melding van een inwoner of organisatie.",
                "toelichting": "",
                "indicatieInternOfExtern": "extern",
                "handelingInitiator": "indienen",
                "onderwerp": omschrijving,
                "handelingBehandelaar": "behandelen",
                "doorlooptijd": doorlooptijd,
                "servicenorm": None,
                "opschortingEnAanhoudingMogelijk": True,
                "verlengingMogelijk": False,
                "verlengingstermijn": None,
                "trefwoorden": [],
                "publicatieIndicatie": False,
                "publicatietekst": "",
                "verantwoordingsrelatie": [],
                "productenOfDiensten": [],
                "referentieproces": {"naam": omschrijving, "link": ""},
                "verantwoordelijke": "Publiekszaken",
                "beginGeldigheid": "2024-01-01",
                "eindeGeldigheid": None,
                "versiedatum": "2024-01-01",
                "concept": False,
            },
        )
        for volgnummer, status in enumerate(statussen, start=1):
            store.add(
                "statustypen",
                {
                    "uuid": new_uuid(),
                    "zaaktype": zaaktype,
                    "omschrijving": status,
                    "omschrijvingGeneriek": status,
                    "statustekst": f"Uw {omschrijving.lower()} heeft de status: {status.lower()}.",
                    "volgnummer": volgnummer,
                    "informeren": volgnummer in (1, len(statussen)),
                    "doorlooptijd": None,
                    "toelichting": None,
                },
            )
        for generiek in ("initiator", "behandelaar"):
            store.add(
                "roltypen",
                {
                    "uuid": new_uuid(),
                    "zaaktype": zaaktype,
                    "omschrijving": generiek.capitalize(),
                    "omschrijvingGeneriek": generiek,
                },
            )


def _betrokkene(persoon: dict[str, Any]) -> dict[str, Any]:
    naam, geboorte = persoon["naam"], persoon["geboorte"]["datum"]
    return {
        "inpBsn": persoon["burgerservicenummer"],
        "geslachtsnaam": naam["geslachtsnaam"][:200],
        "voorvoegselGeslachtsnaam": naam.get("voorvoegsel", ""),
        "voorletters": naam.get("voorletters", "")[:20],
        "voornamen": naam.get("voornamen", "")[:200],
        "geslachtsaanduiding": persoon["geslacht"]["code"].lower(),
        "geboortedatum": geboorte.get("datum", ""),
    }


def _initiator(persoon: dict[str, Any] | None, organisatie: tuple[str, str, str]) -> Record:
    if persoon is None:
        naam, rsin, kvk_nummer = organisatie
        ident: Record = {"innNnpId": rsin, "kvkNummer": kvk_nummer, "statutaireNaam": naam}
        return {"betrokkeneType": "niet_natuurlijk_persoon", "betrokkeneIdentificatie": ident}
    return {"betrokkeneType": "natuurlijk_persoon", "betrokkeneIdentificatie": _betrokkene(persoon)}


def fill_zaken(store: ZakenStore, catalogi: CatalogiStore, count: int = 36) -> None:
    """`count` zaken over the living BRP persons (4 for 999993653) and 2 organisations."""
    rng = random.Random(ZAKEN_SEED)  # noqa: S311  # demo content, not security
    new_uuid = UuidFactory(ZAKEN_SEED)
    levend = [p for p in load_personen() if "overlijden" not in p]
    demo = next(p for p in levend if p["burgerservicenummer"] == DEMO_BSN)
    personen: list[dict[str, Any] | None] = [demo] * 4 + [None] * 2 * len(ORGANISATIES)
    personen += [rng.choice(levend) for _ in range(count - len(personen))]
    starts = sorted(date(2024, 3, 1) + timedelta(days=rng.randrange(600)) for _ in personen)
    zaaktypen = list(catalogi.zaaktypen.values())
    for seq, (persoon, start) in enumerate(zip(personen, starts, strict=True), start=101):
        zaaktype = rng.choice(zaaktypen) if persoon else zaaktypen[3]  # evenementenvergunning
        omschrijvingen = next(z[4] for z in ZAAKTYPEN if z[0] == zaaktype["identificatie"])
        kanaal = rng.choice(("telefoon", "e-mail", "balie", "webformulier"))
        zaak = store.add_zaak(
            {
                "uuid": new_uuid(),
                "identificatie": f"ZAAK-{start.year}-{seq:07d}",
                "bronorganisatie": RSIN_GEMEENTE,
                "verantwoordelijkeOrganisatie": RSIN_GEMEENTE,
                "omschrijving": rng.choice(omschrijvingen),
                "zaaktype": zaaktype["uuid"],
                "startdatum": start.isoformat(),
                "registratiedatum": start.isoformat(),
                "communicatiekanaalNaam": kanaal,
            }
        )
        roltype = next(
            r["uuid"]
            for r in catalogi.roltypen.values()
            if r["zaaktype"] == zaaktype["uuid"] and r["omschrijvingGeneriek"] == "initiator"
        )
        rol = _initiator(persoon, ORGANISATIES[seq % len(ORGANISATIES)])
        store.add_rol(
            {"uuid": new_uuid(), "zaak": zaak, "roltype": roltype, **rol}
            | {"omschrijving": "Initiator", "omschrijvingGeneriek": "initiator"}
        )
        if persoon and zaaktype["identificatie"] == "MELDING-OPENBARE-RUIMTE":
            plek = f"Bij {persoon['adressering'].get('adresregel1', 'onbekend adres')}"
            store.add_zaakobject(
                {
                    "uuid": new_uuid(),
                    "zaak": zaak,
                    "objectType": "overige",
                    "objectTypeOverige": "locatie",
                    "relatieomschrijving": "Locatie van de melding",
                    "objectIdentificatie": {"overigeData": {"omschrijving": plek}},
                }
            )
        moment = datetime.combine(start, time(9, 30))
        statustypen = catalogi.statustypen_of(zaaktype["uuid"])
        for statustype in statustypen[: rng.randint(1, len(statustypen))]:
            store.add_status(
                {
                    "uuid": new_uuid(),
                    "zaak": zaak,
                    "statustype": statustype["uuid"],
                    "datumStatusGezet": moment.isoformat() + "Z",
                }
            )
            moment += timedelta(days=rng.randint(2, 20), hours=rng.randint(0, 6))
