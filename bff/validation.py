"""Input rules checked before any upstream call, exactly as the upstreams check them.

Reusable pydantic field types for the frontend input models: `Bsn` (9 digits, 11-proef,
8 digits zero-padded), `KvkNummer`, `Vestigingsnummer`, `Rsin`, `Telefoonnummer` (the
Klantinteracties pattern, after removing the spaces and dashes people type), `Emailadres`,
`Postcode` (normalised to `1234AB`), `Referentienummer`. A value that fails raises a
`ValueError` whose text is shown to the agent in `invalidParams[].reason`.

Identifiers take ASCII digits only (`ascii_digits`): `str.isdigit()` also accepts
full-width, Arabic-Indic and superscript digits, which no upstream stores. Free text
takes no control characters other than tab, CR and LF (`control_character_problems`,
applied to every JSON body and query string the BFF reads).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

from bff.errors import InvalidParam

PHONE_PATTERN = re.compile(r"^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$")
# Open Klant refuses these even when they match the pattern (`140` covers `1400`).
REFUSED_PHONE_PREFIXES = ("0800", "0900", "1400", "140")
EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
POSTCODE_PATTERN = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")
DIGITAAL_ADRES_MAX = 80
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_REASON = "Control characters (other than tab and line breaks) are not allowed."


def ascii_digits(text: str) -> bool:
    """Only the digits 0-9 (and at least one)."""
    return text.isascii() and text.isdigit()


def control_character_problems(value: object, name: str = "") -> list[InvalidParam]:
    """A problem per string in `value` (JSON data) holding a control character, by field path."""
    if isinstance(value, str):
        if CONTROL_CHARACTERS.search(value):
            return [InvalidParam(name or "body", CONTROL_REASON, "control-characters")]
        return []
    if isinstance(value, dict):
        found: list[InvalidParam] = []
        for key, item in value.items():
            found += control_character_problems(item, f"{name}.{key}" if name else str(key))
        return found
    if isinstance(value, list):
        found = []
        for index, item in enumerate(value):
            found += control_character_problems(item, f"{name}.{index}" if name else str(index))
        return found
    return []


def elfproef(digits: str) -> bool:
    """The 11-proef of a BSN or RSIN: weights 9..2 and -1 for the last digit."""
    if len(digits) != 9 or not ascii_digits(digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0 and digits != "000000000"


def normalise_bsn(value: str) -> str:
    text = value.strip()
    if len(text) == 8 and ascii_digits(text):
        text = "0" + text
    if len(text) != 9 or not ascii_digits(text):
        raise ValueError("A BSN has 9 digits (0-9).")
    if not elfproef(text):
        raise ValueError("This is not a valid BSN (11-proef).")
    return text


def _digits(count: int, label: str) -> AfterValidator:
    def check(value: str) -> str:
        text = value.strip()
        if len(text) != count or not ascii_digits(text):
            raise ValueError(f"A {label} has {count} digits (0-9).")
        return text

    return AfterValidator(check)


def normalise_rsin(value: str) -> str:
    text = value.strip()
    if len(text) != 9 or not elfproef(text):
        raise ValueError("An RSIN has 9 digits (0-9) and passes the 11-proef.")
    return text


def normalise_telefoonnummer(value: str) -> str:
    text = re.sub(r"[\s\-().]", "", value)
    if text.startswith(REFUSED_PHONE_PREFIXES):
        raise ValueError(
            "Klantinteracties does not accept 0800, 0900, 1400 or 140xx numbers: "
            "give the caller's own number."
        )
    if not PHONE_PATTERN.match(text):
        raise ValueError(
            "Not a valid phone number: use 10 digits starting with 0 (0612345678), "
            "or an international number starting with + or 00."
        )
    return text


def normalise_emailadres(value: str) -> str:
    text = value.strip()
    if len(text) > DIGITAAL_ADRES_MAX:
        raise ValueError(f"An e-mail address may be at most {DIGITAAL_ADRES_MAX} characters.")
    if not EMAIL_PATTERN.match(text):
        raise ValueError("Not a valid e-mail address.")
    return text


def normalise_postcode(value: str) -> str:
    match = POSTCODE_PATTERN.match(value.strip())
    if not match:
        raise ValueError("A postcode is four digits and two letters, e.g. 1234 AB.")
    return match.group(1) + match.group(2).upper()


def postcode_with_space(postcode: str) -> str:
    """`1234AB` as Klantinteracties stores it: `1234 AB`."""
    return f"{postcode[:4]} {postcode[4:]}"


def _referentienummer(value: str) -> str:
    text = value.strip()
    if not ascii_digits(text) or len(text) > 10:
        raise ValueError("A referentienummer has at most 10 digits (0-9).")
    return text


Bsn = Annotated[str, AfterValidator(normalise_bsn)]
KvkNummer = Annotated[str, _digits(8, "KvK number")]
Vestigingsnummer = Annotated[str, _digits(12, "vestigingsnummer")]
Rsin = Annotated[str, AfterValidator(normalise_rsin)]
Telefoonnummer = Annotated[str, AfterValidator(normalise_telefoonnummer)]
Emailadres = Annotated[str, AfterValidator(normalise_emailadres)]
Postcode = Annotated[str, AfterValidator(normalise_postcode)]
Referentienummer = Annotated[str, AfterValidator(_referentienummer)]
