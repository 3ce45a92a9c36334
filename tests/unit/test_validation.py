"""Input rules: BSN 11-proef, KvK, phone and e-mail patterns, postcode."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from bff.validation import (
    Bsn,
    Emailadres,
    KvkNummer,
    Postcode,
    Referentienummer,
    Rsin,
    Telefoonnummer,
    elfproef,
)


class Sample(BaseModel):
    bsn: Bsn | None = None
    kvk: KvkNummer | None = None
    rsin: Rsin | None = None
    telefoon: Telefoonnummer | None = None
    email: Emailadres | None = None
    postcode: Postcode | None = None
    referentienummer: Referentienummer | None = None


@pytest.mark.parametrize("bsn", ["999993653", "111222333", "010000008"])
def test_valid_bsns_pass_the_elfproef(bsn: str) -> None:
    assert elfproef(bsn)
    assert Sample(bsn=bsn).bsn == bsn


def test_eight_digit_bsn_is_zero_padded() -> None:
    assert Sample(bsn="10000008").bsn == "010000008"


@pytest.mark.parametrize("bsn", ["999993654", "12345678a", "1234567890", "000000000", ""])
def test_invalid_bsn_is_rejected_naming_the_field(bsn: str) -> None:
    with pytest.raises(ValidationError) as info:
        Sample(bsn=bsn)
    assert info.value.errors()[0]["loc"] == ("bsn",)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12345678", "0612345678"),
        ("020-1234567", "0201234567"),
        ("+31612345678", "+31612345678"),
        ("0031612345678", "0031612345678"),
    ],
)
def test_phone_numbers_are_normalised_to_the_upstream_pattern(typed: str, stored: str) -> None:
    assert Sample(telefoon=typed).telefoon == stored


@pytest.mark.parametrize("phone", ["12345", "0012", "+31", "06123456789", "abc"])
def test_bad_phone_numbers_are_rejected(phone: str) -> None:
    with pytest.raises(ValidationError):
        Sample(telefoon=phone)


@pytest.mark.parametrize("phone", ["0800-123456", "0800123456", "0900 1234567", "14 020", "1400"])
def test_service_and_municipal_numbers_open_klant_refuses_are_rejected(phone: str) -> None:
    with pytest.raises(ValidationError, match="0800, 0900, 1400 or 140xx"):
        Sample(telefoon=phone)


def test_email_must_be_valid_and_fit_80_characters() -> None:
    assert Sample(email="a.b@example.nl").email == "a.b@example.nl"
    for bad in ["no-at-sign", "a@b", "x" * 75 + "@example.nl"]:
        with pytest.raises(ValidationError):
            Sample(email=bad)


def test_postcode_is_normalised_and_kvk_needs_eight_digits() -> None:
    assert Sample(postcode="1234 ab").postcode == "1234AB"
    with pytest.raises(ValidationError):
        Sample(postcode="0123AB")
    assert Sample(kvk="69599084").kvk == "69599084"
    with pytest.raises(ValidationError):
        Sample(kvk="1234567")


def test_rsin_and_referentienummer() -> None:
    assert Sample(rsin="002220647").rsin == "002220647"
    with pytest.raises(ValidationError):
        Sample(rsin="002220648")
    assert Sample(referentienummer="0000000012").referentienummer == "0000000012"
    with pytest.raises(ValidationError):
        Sample(referentienummer="12345678901")
