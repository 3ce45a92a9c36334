"""What a klantbeeld request asks: whose klantbeeld (`Subject`) and which page of klantcontacten.

Pure. `POST /api/v1/klantbeeld` takes exactly one of `bsn`, `kvkNummer` (optionally with
`vestigingsnummer`) and `partijId` in the body, so no BSN appears in a URL;
`GET /api/v1/partijen/{id}/klantbeeld` names a known partij. Both take `cursor` (from the
previous answer's `klantcontacten.nextCursor`) and `pageSize`. Every problem is reported
at once, by field name, before anything is sent upstream.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from bff.compose.base import InModel
from bff.compose.klantbeeld import KLANTBEELD_CURSOR
from bff.compose.paging import CURSOR_MAX, Paging, resolve_paging
from bff.compose.verificatie import VerificatieId
from bff.errors import InvalidInput, InvalidParam
from bff.validation import Bsn, KvkNummer, Vestigingsnummer


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError("A partijId is the uuid of a partij in Klantinteracties.") from None


PartijId = Annotated[str, AfterValidator(_uuid)]


class KlantbeeldRequest(InModel):
    """Exactly one of `bsn`, `kvkNummer` (with an optional `vestigingsnummer`), `partijId`."""

    bsn: Bsn | None = None
    kvk_nummer: KvkNummer | None = None
    vestigingsnummer: Vestigingsnummer | None = None
    partij_id: PartijId | None = None
    cursor: str | None = Field(None, max_length=CURSOR_MAX)
    page_size: int | None = Field(None, ge=1)
    verificatie: VerificatieId | None = Field(
        None, description="The id of the caller's verificatie (`POST /api/v1/verificaties`)."
    )


class KlantbeeldQuery(BaseModel):
    """Query parameters of `GET /api/v1/partijen/{id}/klantbeeld`; unknown ones are refused."""

    model_config = ConfigDict(
        frozen=True, alias_generator=to_camel, populate_by_name=True, extra="forbid"
    )

    cursor: str | None = Field(None, max_length=CURSOR_MAX)
    page_size: int | None = Field(None, ge=1)
    verificatie: VerificatieId | None = None


@dataclass(frozen=True)
class Subject:
    """Whose klantbeeld: a person by BSN, an organisatie (or vestiging) by KvK, or a partij."""

    kind: Literal["bsn", "kvk", "partij"]
    bsn: str | None = None
    kvk_nummer: str | None = None
    vestigingsnummer: str | None = None
    partij_id: str | None = None


ONE_OF = "Give exactly one of bsn, kvkNummer or partijId."


def _subject_problems(request: KlantbeeldRequest) -> list[InvalidParam]:
    given = {
        "bsn": request.bsn,
        "kvkNummer": request.kvk_nummer,
        "partijId": request.partij_id,
    }
    named = [name for name, value in given.items() if value is not None]
    problems = []
    if not named:
        problems = [InvalidParam(name, ONE_OF, "required") for name in given]
    elif len(named) > 1:
        problems = [InvalidParam(name, ONE_OF, "one-of") for name in named]
    if request.vestigingsnummer is not None and request.kvk_nummer is None:
        reason = "A vestigingsnummer is given together with the kvkNummer of its organisatie."
        problems.append(InvalidParam("vestigingsnummer", reason, "requires-kvk-nummer"))
    return problems


def resolve_request(
    request: KlantbeeldRequest, *, default_page_size: int, max_page_size: int
) -> tuple[Subject, Paging]:
    """The subject and page asked for; `InvalidInput` naming every bad field otherwise."""
    paging, paging_problems = resolve_paging(
        KLANTBEELD_CURSOR,
        request.cursor,
        request.page_size,
        default=default_page_size,
        maximum=max_page_size,
    )
    problems = _subject_problems(request) + paging_problems
    if problems:
        raise InvalidInput(problems)
    if request.bsn is not None:
        subject = Subject(kind="bsn", bsn=request.bsn)
    elif request.kvk_nummer is not None:
        subject = Subject(
            kind="kvk", kvk_nummer=request.kvk_nummer, vestigingsnummer=request.vestigingsnummer
        )
    else:
        subject = Subject(kind="partij", partij_id=request.partij_id)
    return subject, paging


def resolve_query(
    partij_id: str, query: KlantbeeldQuery, *, default_page_size: int, max_page_size: int
) -> tuple[Subject, Paging]:
    """The partij of the path and the page asked for; `InvalidInput` otherwise."""
    paging, problems = resolve_paging(
        KLANTBEELD_CURSOR,
        query.cursor,
        query.page_size,
        default=default_page_size,
        maximum=max_page_size,
    )
    if problems:
        raise InvalidInput(problems)
    return Subject(kind="partij", partij_id=partij_id), paging
