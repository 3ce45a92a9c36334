"""Klantinteracties API 0.9.0 (Open Klant 2.18): what the resource mixins share.

The client base with its name and probe, one-page listing (a page past the end is an
empty page, not a NotFound), the `expand` builder, id checks, and the quirk of
duplicate partij-identificatoren.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from bff.errors import NotFound, UpstreamRejected
from bff.upstreams.base import Page, PageOutOfRange, UpstreamClient
from bff.upstreams.klantinteracties.models import PartijIdentificatorGroepType

M = TypeVar("M", bound=BaseModel)

KLANTCONTACT_EXPAND = frozenset(
    {
        "hadBetrokkenen",
        "hadBetrokkenen.wasPartij",
        "hadBetrokkenen.digitaleAdressen",
        "leiddeTotInterneTaken",
        "gingOverOnderwerpobjecten",
        "omvatteBijlagen",
    }
)
PARTIJ_EXPAND = frozenset(
    {"betrokkenen", "betrokkenen.hadKlantcontact", "digitaleAdressen", "categorieRelaties"}
)
BETROKKENE_EXPAND = frozenset({"digitaleAdressen"})

MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class PageOf(Generic[M]):
    """One page of a list. `count` is None when the page lay past the end (count unknown)."""

    items: list[M]
    count: int | None
    has_next: bool


class DuplicatePartijIdentificator(UpstreamRejected):
    """Open Klant refused a partij-identificator that already exists (it is globally unique).

    Someone else registered the same BSN/KvK number first: look the partij up again.
    """


def build_expand(fields: Iterable[str], allowed: frozenset[str]) -> str | None:
    """The `expand` value with every parent listed before its children.

    Open Klant silently expands nothing for `hadBetrokkenen.wasPartij` alone; it needs
    `hadBetrokkenen,hadBetrokkenen.wasPartij`. Unknown names are a bug on our side.
    """
    ordered: dict[str, None] = {}
    for field in fields:
        parts = field.split(".")
        for depth in range(1, len(parts) + 1):
            name = ".".join(parts[:depth])
            if name not in allowed:
                raise ValueError(f"expand {name!r} is not supported here")
            ordered.setdefault(name, None)
    return ",".join(ordered) or None


def with_expand(
    params: Mapping[str, Any], fields: Iterable[str], allowed: frozenset[str]
) -> dict[str, Any]:
    query = dict(params)
    expand = build_expand(fields, allowed)
    if expand:
        query["expand"] = expand
    return query


def identificator_filters(prefix: str, ident: PartijIdentificatorGroepType) -> dict[str, str]:
    """All four `<prefix>code...` filters: Open Klant ignores a partial identificator."""
    return {
        f"{prefix}codeRegister": ident.code_register,
        f"{prefix}codeObjecttype": ident.code_objecttype,
        f"{prefix}codeSoortObjectId": ident.code_soort_object_id,
        f"{prefix}objectId": ident.object_id,
    }


def is_duplicate_identificator(exc: UpstreamRejected) -> bool:
    """400 `__all__` "... moet uniek zijn" (or code `unique`) on a partij-identificator."""
    for param in exc.invalid_params:
        last = param.name.rsplit(".", 1)[-1]
        if param.code == "unique":
            return True
        if last in {"__all__", "nonFieldErrors", "non_field_errors"} and "uniek" in (
            param.reason.lower()
        ):
            return True
    return False


def duplicate_from(exc: UpstreamRejected) -> DuplicatePartijIdentificator:
    return DuplicatePartijIdentificator(
        exc.upstream,
        "This identificator is already registered with another partij.",
        invalid_params=exc.invalid_params,
    )


Removable = Literal["internetaken", "bijlagen", "digitaleadressen"]


class KlantinteractiesBase(UpstreamClient):
    """The Open Klant client core; resource methods live in the mixins."""

    name = "klantinteracties"

    @staticmethod
    def check_id(value: str, kind: str) -> str:
        """A uuid for a path segment; anything else cannot exist upstream."""
        try:
            return str(uuid.UUID(value))
        except (ValueError, AttributeError, TypeError):
            raise NotFound(f"There is no {kind} with id {value!r}.") from None

    async def page_of(
        self,
        path: str,
        model: type[M],
        *,
        params: Mapping[str, Any],
        page: int,
        page_size: int,
    ) -> PageOf[M]:
        if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError("page must be >= 1 and page_size within 1..500")
        query = {**params, "page": page, "pageSize": page_size}
        try:
            items, count, has_next = await self.first_page(path, model, params=query)
        except PageOutOfRange:
            return PageOf(items=[], count=None, has_next=False)
        return PageOf(items=items, count=count, has_next=has_next)

    async def delete_extra(self, resource: Removable, uuid: str) -> bool:
        """Delete an interne taak, bijlage or digitaal adres a registration made twice (see
        `bff.registration.klantcontact_opruimen`). False when it was already gone."""
        try:
            await self.request(
                "DELETE",
                f"{resource}/{self.check_id(uuid, resource)}",
                template=f"{resource}/{{uuid}}",
            )
        except NotFound:
            return False
        return True

    async def probe(self) -> str | None:
        """A cheap list call; returns the `API-version` header."""
        response = await self.request("GET", "actoren", params={"pageSize": 1})
        self.parse(response, Page)
        version: str | None = response.headers.get("API-version")
        return version
