"""Comparing a caller's answers with the BRP person: normalised, only what is asked."""

from __future__ import annotations

from datetime import date

from bff.compose.verificatie import AntwoordenInput, vergelijk
from bff.settings import Vraag
from bff.upstreams.brp import Persoon

PERSOON = Persoon.model_validate(
    {
        "geboorte": {
            "datum": {"type": "Datum", "datum": "1985-12-01"},
            "plaats": {"omschrijving": "Súdwest-Fryslân"},
        },
        "verblijfplaats": {
            "type": "Adres",
            "verblijfadres": {"postcode": "3077AW", "huisnummer": 31},
        },
    }
)
ALLE: list[Vraag] = ["geboortedatum", "postcode_huisnummer", "geboorteplaats"]


def test_answers_match_regardless_of_case_spaces_and_accents() -> None:
    antwoorden = AntwoordenInput(
        geboortedatum=date(1985, 12, 1),
        postcode="3077 aw",
        huisnummer=31,
        geboorteplaats="  sudwest fryslan ",
    )
    assert vergelijk(PERSOON, antwoorden, ALLE) == 3


def test_a_wrong_huisnummer_fails_the_address_and_unasked_questions_do_not_count() -> None:
    antwoorden = AntwoordenInput(
        geboortedatum=date(1985, 12, 1), postcode="3077AW", huisnummer=33, geboorteplaats="x"
    )
    assert vergelijk(PERSOON, antwoorden, ALLE) == 1
    assert vergelijk(PERSOON, antwoorden, ["postcode_huisnummer"]) == 0


def test_no_person_matches_nothing() -> None:
    assert vergelijk(None, AntwoordenInput(geboortedatum=date(1985, 12, 1)), ALLE) == 0
