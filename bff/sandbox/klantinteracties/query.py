"""Query parameters of the sandbox Klantinteracties API: list filters and `expand`.

Filters are exact-match parameters (django-filter style: an empty value is ignored, a
malformed uuid or boolean is a 400). `expand` is a comma list of dotted relation names;
a child is only expanded when its parent is listed too, the result goes under `_expand`
of each record (always on list items, `{}` when nothing was asked), and one object is
expanded at most once per response, as Open Klant does (see `Expander`).
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from bff.sandbox.common import invalid
from bff.sandbox.klantinteracties.fields import FALSE, TRUE, Errors, parse_datetime
from bff.sandbox.klantinteracties.serialize import Body, Representation
from bff.sandbox.klantinteracties.store import Record, format_datetime


@dataclass(frozen=True)
class Filter:
    """One list filter: how its value is parsed and which records it keeps."""

    keep: Callable[[Record, Any], bool]
    kind: str = "text"  # text | uuid | boolean | choice | datetime
    choices: tuple[str, ...] = ()


def _parse(name: str, spec: Filter, raw: str, errors: Errors) -> tuple[bool, Any]:
    if spec.kind == "uuid":
        try:
            return True, str(uuidlib.UUID(raw))
        except ValueError:
            errors.add(name, "invalid", "Voer een geldige UUID in.")
    elif spec.kind == "boolean":
        if raw in TRUE:
            return True, True
        if raw in FALSE:
            return True, False
        errors.add(name, "invalid", "Selecteer een geldige keuze.")
    elif spec.kind == "choice":
        if raw in spec.choices:
            return True, raw
        errors.add(name, "invalid_choice", f"Selecteer een geldige keuze. {raw} is geen optie.")
    elif spec.kind == "datetime":
        moment = parse_datetime(raw)
        if moment is not None:
            return True, format_datetime(moment)
        errors.add(name, "invalid", "Voer een geldige datum/tijd in.")
    else:
        return True, raw
    return False, None


def apply_filters(
    request: Request, records: list[Record], filters: Mapping[str, Filter]
) -> list[Record]:
    errors = Errors()
    active: list[tuple[Filter, Any]] = []
    for name, spec in filters.items():
        raw = request.query_params.get(name)
        if raw:
            ok, value = _parse(name, spec, raw, errors)
            if ok:
                active.append((spec, value))
    errors.raise_if_any()
    return [r for r in records if all(spec.keep(r, value) for spec, value in active)]


def uuid_from_url(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Expansion:
    """A relation that `expand` may inline: the kind of the related records and how to get them."""

    kind: str
    related: Callable[[Record], list[Record] | Record | None]


def requested_expand(request: Request, allowed: Mapping[str, Expansion]) -> set[str] | None:
    """The expand names asked for, None without `expand`; an unknown name is a 400."""
    values = request.query_params.getlist("expand")
    if not values:
        return None
    names = {part.strip() for value in values for part in value.split(",") if part.strip()}
    for name in sorted(names):
        if name not in allowed:
            raise invalid(
                "expand",
                f"Selecteer een geldige keuze. {name} is geen beschikbare keuze.",
                code="invalid_choice",
            )
    return names


class Expander:
    """Builds `_expand` for the records of one response the way Open Klant 2.18 does.

    Relations are visited in the order of the resource's fields (the order of `allowed`),
    each related object is expanded at most once per response, and a relation that comes
    out empty (no objects, a null, or only objects already expanded elsewhere) is shown as
    `[]` or `null` only when it is the first such relation of its parent: the others are
    left out. A child is visited only when it and its parent are both asked for.
    """

    def __init__(
        self, representation: Representation, allowed: Mapping[str, Expansion], names: set[str]
    ) -> None:
        self.representation = representation
        self.allowed = allowed
        self.names = names
        self.seen: set[tuple[str, str]] = set()

    def with_expand(self, body: Body, record: Record, *, listed: bool) -> Body:
        """`body` with `_expand`; a detail gets none when nothing was expanded, a list item `{}`."""
        expanded = self._expand(record, "")
        if expanded or listed:
            body["_expand"] = expanded
        return body

    def _expand(self, record: Record, parent: str) -> Body:
        out: Body = {}
        shown_empty = False
        for name, expansion in self.allowed.items():
            head, _, leaf = name.rpartition(".")
            if head != parent or name not in self.names:
                continue
            related = expansion.related(record)
            items = related if isinstance(related, list) else [] if related is None else [related]
            bodies = [body for item in items if (body := self._one(name, expansion.kind, item))]
            if bodies:
                out[leaf] = bodies if isinstance(related, list) else bodies[0]
            elif not shown_empty:
                out[leaf] = [] if isinstance(related, list) else None
                shown_empty = True
        return out

    def _one(self, name: str, kind: str, record: Record) -> Body | None:
        key = (kind, record["uuid"])
        if key in self.seen:
            return None
        self.seen.add(key)
        body = self.representation.render(kind, record)
        if any(child.startswith(f"{name}.") for child in self.names):
            body["_expand"] = self._expand(record, name)
        return body
