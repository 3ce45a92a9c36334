"""The words of the demo: medewerkers, afdelingen, onderwerpen, answers.

The medewerkers match the demo issuer's (`bff.sandbox.issuer.DEMO_MEDEWERKERS`) by
e-mail, so a demo login finds its own actor in Klantinteracties.
"""

from __future__ import annotations

# naam, e-mail (actoridentificator objectId), functie, telefoonnummer
MEDEWERKERS: tuple[tuple[str, str, str, str], ...] = (
    ("Anna de Vries", "anna.devries@gemeente.example", "KCC-medewerker", "0201234501"),
    ("Bram Jansen", "bram.jansen@gemeente.example", "Senior KCC-medewerker", "0201234502"),
    ("Chantal Bakker", "chantal.bakker@gemeente.example", "Vakspecialist", "0201234503"),
    ("Dirk Visser", "dirk.visser@gemeente.example", "Vergunningverlener", "0201234504"),
    ("Esra Yilmaz", "esra.yilmaz@gemeente.example", "Medewerker belastingen", "0201234505"),
)

# naam, omschrijving, e-mail, telefoonnummer
AFDELINGEN: tuple[tuple[str, str, str, str], ...] = (
    (
        "Vergunningen",
        "Team vergunningen en handhaving",
        "vergunningen@gemeente.example",
        "0201234600",
    ),
    ("Burgerzaken", "Team burgerzaken", "burgerzaken@gemeente.example", "0201234610"),
    ("Belastingen", "Team belastingen en WOZ", "belastingen@gemeente.example", "0201234620"),
    (
        "Openbare ruimte",
        "Team beheer openbare ruimte",
        "openbareruimte@gemeente.example",
        "0201234630",
    ),
)

# naam, functie, omschrijving
GEAUTOMATISEERDE_ACTOREN: tuple[tuple[str, str, str], ...] = (
    ("Webformulier", "Formulierenserver", "Contactformulier op de gemeentelijke website"),
)

KANALEN: tuple[str, ...] = (
    "telefoon",
    "telefoon",
    "telefoon",
    "e-mail",
    "balie",
    "brief",
    "chat",
    "webformulier",
)

# onderwerp, inhoud (the question as the agent typed it)
ONDERWERPEN: tuple[tuple[str, str], ...] = (
    ("Parkeervergunning", "Vraagt hoe lang de behandeling van de aanvraag nog duurt."),
    ("Afvalpas", "Afvalpas kwijt, wil een nieuwe pas aanvragen."),
    ("WOZ-beschikking", "Is het niet eens met de WOZ-waarde en vraagt naar bezwaar."),
    ("Verhuizing", "Geeft een verhuizing door en vraagt wat er nodig is."),
    ("Paspoort", "Wil een afspraak maken voor een nieuw paspoort."),
    ("Melding openbare ruimte", "Meldt een kapotte lantaarnpaal in de straat."),
    ("Evenementenvergunning", "Vraagt welke stukken nodig zijn voor een buurtfeest."),
    ("Gemeentelijke belastingen", "Vraagt om een betalingsregeling voor de aanslag."),
    ("Klacht", "Is ontevreden over de afhandeling van een eerdere melding."),
    ("Bijzondere bijstand", "Vraagt of zij in aanmerking komt voor bijzondere bijstand."),
)

REACTIES: tuple[str, ...] = (
    "Uitgelegd hoe de procedure werkt en de doorlooptijd genoemd.",
    "Doorverwezen naar het formulier op de website.",
    "Afspraak gemaakt bij de balie.",
    "Informatie per e-mail toegezegd.",
    "Vraag beantwoord, klant is tevreden.",
)

GEVRAAGDE_HANDELINGEN: tuple[str, ...] = (
    "Klant terugbellen",
    "Klant informeren over de status van de aanvraag",
    "Zaak aanmaken voor de productaanvraag",
    "Klacht in behandeling nemen",
    "Betalingsregeling beoordelen",
)

# naam, KvK-nummer
ORGANISATIES: tuple[tuple[str, str], ...] = (
    ("Stichting Zomerfestival Turfmarkt", "69599084"),
    ("Bakkerij De Korenaar", "68750110"),
    ("Hoveniersbedrijf Groen & Zo", "90001354"),
)
