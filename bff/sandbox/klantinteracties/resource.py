"""What the generic routes need to know about one Klantinteracties resource.

Each resource module exports one `Resource`: its store table, a `write` that validates a
body completely and only then writes (create when `instance` is None; PATCH when
`partial`), its list filters, its `expand` relations and its list order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bff.sandbox.klantinteracties.query import Expansion, Filter
from bff.sandbox.klantinteracties.store import KlantinteractiesStore, Record

Writer = Callable[[KlantinteractiesStore, Record | None, Record, bool], Record]
Filters = Callable[[KlantinteractiesStore], Mapping[str, Filter]]
Expansions = Callable[[KlantinteractiesStore], Mapping[str, Expansion]]


def newest_first(records: list[Record]) -> list[Record]:
    return list(reversed(records))


@dataclass(frozen=True)
class Resource:
    kind: str
    table: str
    write: Writer
    filters: Filters
    expansions: Expansions | None = None
    order: Callable[[list[Record]], list[Record]] = newest_first


def same(key: str) -> Filter:
    """Keep records whose `key` equals the parameter."""
    return Filter(lambda record, value: record[key] == value)


def same_uuid(key: str) -> Filter:
    return Filter(lambda record, value: record[key] == value, kind="uuid")


def within(key: str, group: str) -> Filter:
    """Keep records whose gegevensgroep `group` has `key` equal to the parameter."""
    return Filter(lambda record, value: (record[group] or {}).get(key) == value)
