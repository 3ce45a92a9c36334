"""Finding the caller: the search request holds exactly one valid criterion, or says why not."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from bff.compose.zoeken_criteria import (
    ByAdres,
    ByBsn,
    ByEmailadres,
    ByKvkNummer,
    ByNaam,
    ByTelefoonnummer,
    PartijSearchRequest,
)
from bff.http import validation_error


def problems(body: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        PartijSearchRequest.model_validate(body)
    return [(p.name, p.code) for p in validation_error(caught.value).params]


@pytest.mark.parametrize(
    ("body", "criterion"),
    [
        ({"bsn": "12345672"}, ByBsn("012345672")),  # 8 digits are zero-padded
        ({"kvkNummer": "68750110"}, ByKvkNummer("68750110")),
        (
            {"kvkNummer": "68750110", "vestigingsnummer": "000038509504"},
            ByKvkNummer("68750110", "000038509504"),
        ),
        (
            {"geslachtsnaam": "Janssen", "geboortedatum": "2015-01-01", "voornamen": "Jia*"},
            ByNaam("Janssen", date(2015, 1, 1), "Jia*"),
        ),
        (
            {"postcode": "1014 aw", "huisnummer": 14, "huisnummertoevoeging": "H"},
            ByAdres("1014AW", 14, None, "H"),
        ),
        ({"telefoonnummer": "06 2598-8000"}, ByTelefoonnummer("0625988000")),
        ({"emailadres": " Suzanne@Mail.example "}, ByEmailadres("Suzanne@Mail.example")),
        ({"bsn": "999993653", "postcode": None}, ByBsn("999993653")),  # null is not given
    ],
)
def test_each_criterion_is_read_from_its_fields(body: dict[str, Any], criterion: object) -> None:
    assert PartijSearchRequest.model_validate(body).criterion() == criterion


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"bsn": "999993654"}, [("bsn", "value_error")]),  # fails the 11-proef
        ({"kvkNummer": "1234"}, [("kvkNummer", "value_error")]),
        (
            {"kvkNummer": "68750110", "vestigingsnummer": "12"},
            [("vestigingsnummer", "value_error")],
        ),
        (
            {"geslachtsnaam": "Ja*", "geboortedatum": "2015-02-30"},
            [("geslachtsnaam", "value_error"), ("geboortedatum", "value_error")],
        ),
        (
            {"geslachtsnaam": "Janssen", "geboortedatum": "01-01-2015", "voorvoegsel": "v4n"},
            [("geboortedatum", "value_error"), ("voorvoegsel", "value_error")],
        ),
        (
            {"postcode": "0123 AB", "huisnummer": "14", "huisletter": "ab"},
            [
                ("postcode", "value_error"),
                ("huisnummer", "int_type"),
                ("huisletter", "value_error"),
            ],
        ),
        ({"postcode": "1014AW", "huisnummer": 100000}, [("huisnummer", "less_than_equal")]),
        ({"telefoonnummer": "12345"}, [("telefoonnummer", "value_error")]),
        ({"emailadres": "not-an-address"}, [("emailadres", "value_error")]),
    ],
)
def test_a_malformed_criterion_names_each_bad_field(
    body: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert problems(body) == expected


def test_two_criteria_name_every_field_given() -> None:
    assert problems({"bsn": "999993653", "postcode": "1014AW", "huisnummer": 14}) == [
        ("bsn", "one_criterion_only"),
        ("postcode", "one_criterion_only"),
        ("huisnummer", "one_criterion_only"),
    ]


def test_field_errors_and_criterion_errors_come_together() -> None:
    assert problems({"bsn": "123", "emailadres": "a@b.nl"}) == [
        ("bsn", "value_error"),
        ("bsn", "one_criterion_only"),
        ("emailadres", "one_criterion_only"),
    ]


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        ({"geslachtsnaam": "Janssen"}, ["geboortedatum"]),
        ({"geboortedatum": "2015-01-01", "voornamen": "Jia"}, ["geslachtsnaam"]),
        ({"huisnummer": 14}, ["postcode"]),
        ({"huisletter": "a"}, ["postcode", "huisnummer"]),
        ({"vestigingsnummer": "000038509504"}, ["kvkNummer"]),
    ],
)
def test_half_a_pair_names_the_missing_half(body: dict[str, Any], missing: list[str]) -> None:
    assert problems(body) == [(name, "required_together") for name in missing]


def test_no_criterion_names_each_way_to_search() -> None:
    assert problems({}) == [
        (name, "criterion_required")
        for name in (
            "bsn",
            "kvkNummer",
            "geslachtsnaam",
            "postcode",
            "telefoonnummer",
            "emailadres",
        )
    ]


def test_unknown_fields_are_refused() -> None:
    assert ("naam", "extra_forbidden") in problems({"bsn": "999993653", "naam": "Moulin"})
