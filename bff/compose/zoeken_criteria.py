"""Finding the caller: the search request and its criteria, checked before any upstream call.

A search has exactly one criterion (JSON names):

    bsn                                                      11-proef
    kvkNummer (+ vestigingsnummer)                           8 (12) digits
    geslachtsnaam + geboortedatum (+ voornamen, voorvoegsel) the BRP's own patterns
    postcode + huisnummer (+ huisletter, huisnummertoevoeging)
    telefoonnummer                                           spaces and dashes ignored
    emailadres

Field errors and criterion errors (none, two criteria, half a pair) are reported
together as one 422, each under the JSON name of the field it concerns.
`telefoonnummer_variants` gives the forms a Dutch number may be stored in upstream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from bff.compose.base import InModel
from bff.validation import Bsn, Emailadres, KvkNummer, Postcode, Telefoonnummer, Vestigingsnummer

CRITERIA: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("bsn",), ()),
    (("kvkNummer",), ("vestigingsnummer",)),
    (("geslachtsnaam", "geboortedatum"), ("voornamen", "voorvoegsel")),
    (("postcode", "huisnummer"), ("huisletter", "huisnummertoevoeging")),
    (("telefoonnummer",), ()),
    (("emailadres",), ()),
)
"""Per criterion: the fields it needs, and the fields that may refine it."""


def _matching(pattern: str, message: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(message)
        return value

    return AfterValidator(check)


def _iso_date(value: object) -> object:
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
            raise ValueError("Use a date like 1985-12-01.")
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("This date does not exist.") from None
    return value


_LETTERS = r"a-zA-Z0-9À-ž \.\-\'"  # the BRP's name alphabet
Geslachtsnaam = Annotated[
    str,
    _matching(
        rf"[{_LETTERS}]{{1,200}}|[{_LETTERS}]{{3,199}}\*",
        "Letters, spaces, dots, hyphens and apostrophes; end with * to search on the start "
        "(at least 3 characters before it).",
    ),
]
Voornamen = Annotated[
    str, _matching(rf"[{_LETTERS}]{{1,199}}\*?", "Letters, spaces, dots, hyphens, apostrophes.")
]
Voorvoegsel = Annotated[str, _matching(r"[a-zA-Z \']{1,10}", "At most 10 letters, e.g. van der.")]
Huisletter = Annotated[str, _matching(r"[a-zA-Z]", "One letter.")]
Huisnummertoevoeging = Annotated[
    str, _matching(r"[a-zA-Z0-9 \-]{1,4}", "At most 4 letters, digits, spaces or hyphens.")
]
Geboortedatum = Annotated[date, BeforeValidator(_iso_date)]


@dataclass(frozen=True)
class ByBsn:
    bsn: str


@dataclass(frozen=True)
class ByKvkNummer:
    kvk_nummer: str
    vestigingsnummer: str | None = None


@dataclass(frozen=True)
class ByNaam:
    geslachtsnaam: str
    geboortedatum: date
    voornamen: str | None = None
    voorvoegsel: str | None = None


@dataclass(frozen=True)
class ByAdres:
    postcode: str
    huisnummer: int
    huisletter: str | None = None
    huisnummertoevoeging: str | None = None


@dataclass(frozen=True)
class ByTelefoonnummer:
    telefoonnummer: str


@dataclass(frozen=True)
class ByEmailadres:
    emailadres: str


Criterion = ByBsn | ByKvkNummer | ByNaam | ByAdres | ByTelefoonnummer | ByEmailadres


def criterion_problems(present: set[str]) -> list[tuple[str, str, str]]:
    """(field, code, reason) for every way `present` (JSON names) is not one criterion."""
    given = [(needs, may) for needs, may in CRITERIA if present & {*needs, *may}]
    if not given:
        reason = (
            "Give one criterion: bsn; kvkNummer; geslachtsnaam + geboortedatum; "
            "postcode + huisnummer; telefoonnummer; or emailadres."
        )
        return [(needs[0], "criterion_required", reason) for needs, _ in CRITERIA]
    if len(given) > 1:
        mixed = " and ".join(" + ".join(needs) for needs, _ in given)
        reason = f"Search by one criterion at a time; this request combines {mixed}."
        fields = [f for needs, may in given for f in (*needs, *may) if f in present]
        return [(f, "one_criterion_only", reason) for f in fields]
    needs, _ = given[0]
    reason = f"Required for a search by {' + '.join(needs)}."
    return [(f, "required_together", reason) for f in needs if f not in present]


def telefoonnummer_variants(nummer: str) -> list[str]:
    """The forms one Dutch number may be stored in (`0612345678`, `+31...`, `0031...`).

    `nummer` is already normalised (no spaces); other numbers are looked up as typed.
    """
    national = None
    if re.fullmatch(r"0[1-9][0-9]{8}", nummer):
        national = nummer[1:]
    elif re.fullmatch(r"\+31[1-9][0-9]{8}", nummer):
        national = nummer[3:]
    elif re.fullmatch(r"0031[1-9][0-9]{8}", nummer):
        national = nummer[4:]
    if national is None:
        return [nummer]
    return [f"0{national}", f"+31{national}", f"0031{national}"]


class PartijSearchRequest(InModel):
    """Who is calling? Exactly one criterion: `bsn`; `kvkNummer` (with `vestigingsnummer`
    if known); `geslachtsnaam` + `geboortedatum` (with `voornamen`, `voorvoegsel`);
    `postcode` + `huisnummer` (with `huisletter`, `huisnummertoevoeging`); `telefoonnummer`;
    or `emailadres`. A name may end in `*` to match its start."""

    bsn: Bsn | None = None
    kvk_nummer: KvkNummer | None = None
    vestigingsnummer: Vestigingsnummer | None = None
    geslachtsnaam: Geslachtsnaam | None = None
    geboortedatum: Geboortedatum | None = None
    voornamen: Voornamen | None = None
    voorvoegsel: Voorvoegsel | None = None
    postcode: Postcode | None = None
    huisnummer: int | None = Field(None, ge=1, le=99999)
    huisletter: Huisletter | None = None
    huisnummertoevoeging: Huisnummertoevoeging | None = None
    telefoonnummer: Telefoonnummer | None = None
    emailadres: Emailadres | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _one_criterion(
        cls, data: Any, handler: ModelWrapValidatorHandler[PartijSearchRequest]
    ) -> PartijSearchRequest:
        """Run the field checks and the criterion check, and report both at once."""
        problems: list[InitErrorDetails] = []
        if isinstance(data, dict):
            names = {name: field.alias or name for name, field in cls.model_fields.items()}
            present = {
                alias
                for name, alias in names.items()
                if data.get(alias) is not None or data.get(name) is not None
            }
            problems = [
                {"type": PydanticCustomError(code, reason), "loc": (f,), "input": data.get(f)}
                for f, code, reason in criterion_problems(present)
            ]
        try:
            request = handler(data)
        except ValidationError as exc:
            errors: list[InitErrorDetails] = [
                {"type": e["type"], "loc": e["loc"], "input": e["input"], "ctx": e.get("ctx", {})}
                for e in exc.errors()
            ]
            raise ValidationError.from_exception_data(exc.title, errors + problems) from None
        if problems:
            raise ValidationError.from_exception_data(cls.__name__, problems)
        return request

    def criterion(self) -> Criterion:
        """The one criterion this (validated) request holds."""
        if self.bsn is not None:
            return ByBsn(self.bsn)
        if self.kvk_nummer is not None:
            return ByKvkNummer(self.kvk_nummer, self.vestigingsnummer)
        if self.geslachtsnaam is not None and self.geboortedatum is not None:
            return ByNaam(self.geslachtsnaam, self.geboortedatum, self.voornamen, self.voorvoegsel)
        if self.postcode is not None and self.huisnummer is not None:
            return ByAdres(
                self.postcode, self.huisnummer, self.huisletter, self.huisnummertoevoeging
            )
        if self.telefoonnummer is not None:
            return ByTelefoonnummer(self.telefoonnummer)
        if self.emailadres is not None:
            return ByEmailadres(self.emailadres)
        raise ValueError("no criterion: construct requests through validation")
