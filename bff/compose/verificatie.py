"""Verifying a caller: the control questions, comparing the answers with the BRP, the answer.

The caller gives a BSN and answers control questions (`Vraag`: geboortedatum, postcode +
huisnummer, geboorteplaats); which are asked and how many must match is configured
(`VerificatieSettings`). `vergelijk` counts the answers that match the BRP person,
compared normalised (a postcode without spaces in capitals, a place name without case,
accents or extra spaces). The answer (`VerificatieView`) says verified or not and how many
answers matched, never a BRP value. No I/O: the answers are neither logged nor kept.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from bff.compose.base import InModel, OutModel
from bff.errors import InvalidParam
from bff.settings import Vraag
from bff.upstreams.brp import Persoon
from bff.validation import Bsn

BRP_VERIFICATIE_FIELDS = (
    "geboorte.datum",
    "geboorte.plaats",
    "verblijfplaats.verblijfadres.postcode",
    "verblijfplaats.verblijfadres.huisnummer",
)
VerificatieId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="The `id` answered by `POST /api/v1/verificaties` (opaque).",
    ),
]
VRAAG_VELDEN: dict[Vraag, tuple[str, ...]] = {
    "geboortedatum": ("geboortedatum",),
    "postcode_huisnummer": ("postcode", "huisnummer"),
    "geboorteplaats": ("geboorteplaats",),
}


class AntwoordenInput(InModel):
    """What the caller answered; leave out what was not asked."""

    geboortedatum: date | None = None
    postcode: str | None = Field(default=None, min_length=6, max_length=7)
    huisnummer: int | None = Field(default=None, ge=1, le=99999)
    geboorteplaats: str | None = Field(default=None, min_length=1, max_length=80)


class VerificatieInput(InModel):
    """`POST /api/v1/verificaties`: the person and the caller's answers."""

    bsn: Bsn
    antwoorden: AntwoordenInput


def gegeven_vragen(antwoorden: AntwoordenInput) -> list[Vraag]:
    """The questions answered in full (postcode and huisnummer count as one)."""
    return [
        vraag
        for vraag, velden in VRAAG_VELDEN.items()
        if all(getattr(antwoorden, veld) is not None for veld in velden)
    ]


def verificatie_problems(
    body: VerificatieInput, vragen: list[Vraag], min_juist: int
) -> list[InvalidParam]:
    """Only asked questions, each answered whole, and at least `min_juist` of them."""
    problems: list[InvalidParam] = []
    antwoorden = body.antwoorden
    for vraag, velden in VRAAG_VELDEN.items():
        given = [v for v in velden if getattr(antwoorden, v) is not None]
        if given and vraag not in vragen:
            problems += [
                InvalidParam(f"antwoorden.{v}", "This question is not asked here.", "not-asked")
                for v in given
            ]
        elif given and len(given) < len(velden):
            problems += [
                InvalidParam(f"antwoorden.{v}", "Give postcode and huisnummer together.", "missing")
                for v in velden
                if v not in given
            ]
    answered = [v for v in gegeven_vragen(antwoorden) if v in vragen]
    if not problems and len(answered) < min_juist:
        problems.append(
            InvalidParam(
                "antwoorden",
                f"Answer at least {min_juist} of: {', '.join(vragen)}.",
                "too-few-answers",
            )
        )
    return problems


def _postcode(value: str) -> str:
    return "".join(value.split()).upper()


def _plaats(value: str) -> str:
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return " ".join(folded.replace("-", " ").split()).casefold()


def vergelijk(persoon: Persoon | None, antwoorden: AntwoordenInput, vragen: list[Vraag]) -> int:
    """How many of the asked questions were answered as the BRP has it (0 for no person)."""
    if persoon is None:
        return 0
    geboorte = persoon.geboorte
    adres = persoon.verblijfplaats.verblijfadres if persoon.verblijfplaats else None
    juist = 0
    for vraag in gegeven_vragen(antwoorden):
        if vraag not in vragen:
            continue
        if vraag == "geboortedatum":
            datum = geboorte.datum.datum if geboorte and geboorte.datum else None
            juist += datum is not None and datum == antwoorden.geboortedatum
        elif vraag == "postcode_huisnummer":
            juist += (
                adres is not None
                and adres.postcode is not None
                and _postcode(adres.postcode) == _postcode(antwoorden.postcode or "")
                and adres.huisnummer == antwoorden.huisnummer
            )
        else:
            plaats = geboorte.plaats.omschrijving if geboorte and geboorte.plaats else None
            juist += plaats is not None and _plaats(plaats) == _plaats(
                antwoorden.geboorteplaats or ""
            )
    return juist


class VerificatieView(OutModel):
    """Verified or not, and how many answers matched; never what the BRP holds."""

    id: str | None = Field(
        default=None,
        description="When verified: pass it to the klantbeeld and the registration.",
    )
    geverifieerd: bool
    aantal_juist: int = Field(description="How many answers matched the BRP.")
    aantal_vereist: int = Field(description="How many must match.")
    geldig_tot: datetime | None = Field(default=None, description="When verified: until when.")
    pogingen_over: int | None = Field(
        default=None, description="When not verified: failed attempts left before a lock."
    )
