"""Hypothesis strategies for the BFF's write requests: valid ones, and near-boundary invalid ones.

Valid values are drawn from what the BFF promises to accept (its own patterns and lengths,
the demo reference lists, ids the demo sandbox holds), so a BFF that refuses one, or an
upstream that refuses what the BFF sent for it, fails the property. `Mutation`s put one
near-boundary invalid value into a valid body, with the name the 422 must give it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from bff.compose.partij_registratie_plan import adres_key
from bff.validation import EMAIL_PATTERN, PHONE_PATTERN, elfproef

KANALEN = ("telefoon", "e-mail", "balie", "brief", "chat", "webformulier", "social-media")
TALEN = ("nld", "eng", "deu", "fra", "tur", "ara", "pol", "spa")
# Letters, digits, marks, punctuation, symbols, spaces of any script, tabs and line breaks;
# no other control characters, no surrogates: what a person types in a KCC screen.
_TYPED = st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn"), include_characters="\t\n")


def text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Text as typed; not blank when required, no whitespace at the ends (trimmed anyway)."""
    drawn = st.text(_TYPED, min_size=min_size, max_size=max_size).map(str.strip)
    return drawn.filter(lambda s: len(s) >= min_size)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(None), strategy)


def without_none(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _with_check_digit(first8: int) -> str | None:
    digits = f"{first8:08d}"
    last = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
    return digits + str(last) if last < 10 else None


bsns = (
    st.integers(10_000_000, 99_999_999)
    .map(_with_check_digit)
    .filter(lambda bsn: bsn is not None and elfproef(bsn))
)
"""Any 9-digit number that passes the 11-proef."""
kvk_nummers = st.from_regex(r"\A[0-9]{8}\Z")
emails = st.from_regex(EMAIL_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 80)
_phones = st.from_regex(PHONE_PATTERN, fullmatch=True)


REFUSED_PREFIXES = ("0800", "0900", "140")  # free, paid and municipal numbers: Open Klant refuses


@st.composite
def phones(draw: st.DrawFn) -> str:
    """A phone number Open Klant takes, sometimes typed with spaces or dashes."""
    number = draw(_phones.filter(lambda n: not n.startswith(REFUSED_PREFIXES)))
    if number.startswith("0") and not number.startswith("00") and draw(st.booleans()):
        return f"{number[:3]}-{number[3:]}" if draw(st.booleans()) else f"{number[:2]} {number[2:]}"
    return number


@st.composite
def digitaal_adres(draw: st.DrawFn) -> dict[str, Any]:
    soort = draw(st.sampled_from(("email", "telefoonnummer", "overig")))
    adres = {"email": emails, "telefoonnummer": phones(), "overig": text(1, 80)}[soort]
    return without_none(
        soortDigitaalAdres=soort,
        adres=draw(adres),
        omschrijving=draw(optional(text(0, 40))),
    )


def distinct(adressen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each address once (the BFF refuses a repeat), compared as the BFF compares them."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for adres in adressen:
        key = adres_key(adres["soortDigitaalAdres"], adres["adres"].strip())
        if key not in seen:
            seen.add(key)
            kept.append(adres)
    return kept


@st.composite
def digitale_adressen(draw: st.DrawFn, *, identified: bool, max_size: int = 3) -> list[Any]:
    """Contact details of a registration: for general use only when the klant is known, the
    preferred one at most once and only for general use."""
    adressen = distinct(draw(st.lists(digitaal_adres(), max_size=max_size)))
    preferred = False
    for adres in adressen:
        gebruik = (
            draw(st.sampled_from(("algemeen", "dit-verzoek"))) if identified else "dit-verzoek"
        )
        adres["gebruik"] = gebruik
        if gebruik == "algemeen" and not preferred and draw(st.booleans()):
            adres["voorkeur"] = preferred = True
    return adressen


@st.composite
def contactnaam(draw: st.DrawFn) -> dict[str, Any]:
    naam = without_none(
        voorletters=draw(optional(text(1, 10))),
        voornaam=draw(optional(text(1, 200))),
        voorvoegselAchternaam=draw(optional(text(1, 10))),
        achternaam=draw(optional(text(1, 200))),
    )
    return (
        naam
        if any(naam.get(k) for k in ("voorletters", "voornaam", "achternaam"))
        else {
            **naam,
            "achternaam": draw(text(1, 200)),
        }
    )


@st.composite
def klantcontact(draw: st.DrawFn) -> dict[str, Any]:
    gelukt = draw(st.sampled_from((None, True, False)))
    return without_none(
        kanaal=draw(st.sampled_from(KANALEN)),
        onderwerp=draw(text(1, 200)),
        inhoud=draw(optional(text(0, 1000))),
        reactie=draw(optional(text(0, 4000))),
        taal=draw(st.sampled_from(TALEN)),
        vertrouwelijk=draw(st.booleans()),
        indicatieContactGelukt=gelukt,
        verdereActieOndernomen=False if gelukt else draw(st.booleans()),
    )


@dataclass(frozen=True)
class World:
    """Ids the demo sandbox holds that a request may name."""

    partijen: tuple[str, ...]
    bsns: tuple[str, ...]
    actoren: tuple[str, ...]
    zaken: tuple[str, ...]
    klantcontact: str  # not vertrouwelijk
    internetaak: str


@st.composite
def klant(draw: st.DrawFn, world: World) -> tuple[dict[str, Any], bool]:
    """The klant of a registration, and whether it is identified (partij, BSN or KvK)."""
    variant = draw(st.sampled_from(("partij", "bsn", "nieuwe-bsn", "kvk", "onbekend")))
    naam = draw(optional(contactnaam()))
    if variant == "partij":
        return without_none(partijId=draw(st.sampled_from(world.partijen)), contactnaam=naam), True
    if variant in ("bsn", "nieuwe-bsn"):
        bsn = draw(st.sampled_from(world.bsns) if variant == "bsn" else bsns)
        return without_none(bsn=bsn, contactnaam=naam), True
    organisatie = draw(optional(text(1, 200)))
    if variant == "kvk":
        return without_none(kvkNummer=draw(kvk_nummers), organisatienaam=organisatie), True
    if naam is None and organisatie is None:
        naam = draw(contactnaam())
    return without_none(contactnaam=naam, organisatienaam=organisatie), False


def interne_taak(world: World, toelichting_max: int = 1000) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda actor, handeling, toelichting: without_none(
            actor=actor, gevraagdeHandeling=handeling, toelichting=toelichting
        ),
        st.sampled_from(world.actoren),
        text(1, 200),
        optional(text(0, toelichting_max)),
    )


@st.composite
def registratie(draw: st.DrawFn, world: World) -> dict[str, Any]:
    """A valid `POST /api/v1/klantcontacten` body, in any of its variants."""
    wie, identified = draw(klant(world))
    productaanvraag = draw(
        optional(
            st.builds(
                lambda code, omschrijving, toelichting, taak: without_none(
                    productcode=code,
                    omschrijving=omschrijving,
                    toelichting=toelichting,
                    interneTaak=taak,
                ),
                text(1, 50),
                text(1, 200),
                optional(text(0, 1000)),
                optional(interne_taak(world, toelichting_max=900)),
            )
        )
    )
    return without_none(
        klantcontact=draw(klantcontact()),
        klant=wie,
        digitaleAdressen=draw(digitale_adressen(identified=identified)),
        zaak=draw(optional(st.sampled_from(world.zaken))),
        interneTaak=draw(optional(interne_taak(world))),
        productaanvraag=productaanvraag,
    )
