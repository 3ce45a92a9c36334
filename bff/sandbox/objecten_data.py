"""`record.data` of the sandbox Objects API 2.6: JSON-schema validation and `data_attr` filters.

The validator covers the subset of JSON Schema an objecttype for KCC forms needs: `type`,
`required`, `properties`, `additionalProperties: false`, `enum`, `minLength`,
`maxLength`, `pattern` and `items`; other keywords are ignored (the real API uses a full
validator). A `data_attr` filter is `key__operator__value` with the operators `exact`,
`gt`, `gte`, `lt`, `lte`, `icontains` and `in` (values separated by `|`).
"""

from __future__ import annotations

import re
from typing import Any

from bff.sandbox.common import invalid

Record = dict[str, Any]
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def schema_errors(schema: Record, value: Any, path: str) -> list[dict[str, str]]:
    """Violations of the JSON Schema subset described in the module docstring."""

    def error(reason: str, at: str = path) -> list[dict[str, str]]:
        return [{"name": at, "code": "invalid-jsonschema", "reason": reason}]

    kind = schema.get("type")
    if kind in _TYPES and (
        not isinstance(value, _TYPES[kind]) or (kind != "boolean" and isinstance(value, bool))
    ):
        return error(f"{value!r} is not of type '{kind}'")
    if "enum" in schema and value not in schema["enum"]:
        return error(f"{value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            return error(f"{value!r} is too short")
        if len(value) > schema.get("maxLength", len(value)):
            return error(f"{value!r} is too long")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return error(f"{value!r} does not match {schema['pattern']!r}")
    found: list[dict[str, str]] = []
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            found += schema_errors(schema["items"], item, f"{path}.{i}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                found += error(f"'{name}' is a required property", f"{path}.{name}")
        for name, item in value.items():
            if name in properties:
                found += schema_errors(properties[name], item, f"{path}.{name}")
            elif schema.get("additionalProperties") is False:
                found += error(f"Additional property '{name}' is not allowed", f"{path}.{name}")
    return found


def parse_data_attr(raw: str) -> tuple[list[str], str, str]:
    """`key__operator__value` (nested keys joined by `__`) -> (keys, operator, value)."""
    parts = raw.split("__")
    if len(parts) < 3 or parts[-2] not in ("exact", "gt", "gte", "lt", "lte", "icontains", "in"):
        raise invalid("data_attr", "Gebruik de vorm key__operator__value.", "invalid-data-attr")
    return parts[:-2], parts[-2], parts[-1]


def data_attr_matches(data: Any, attr: tuple[list[str], str, str]) -> bool:
    keys, op, wanted = attr
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    if op == "icontains":
        return wanted.lower() in str(data).lower()
    if op == "in":
        return str(data) in wanted.split("|")
    actual: Any = data
    if isinstance(data, int | float) and not isinstance(data, bool):
        try:
            wanted_value: Any = float(wanted)
        except ValueError:
            return False
    else:
        actual, wanted_value = str(data), wanted
    compare = {
        "exact": actual == wanted_value,
        "gt": actual > wanted_value,
        "gte": actual >= wanted_value,
        "lt": actual < wanted_value,
        "lte": actual <= wanted_value,
    }
    return bool(compare[op])
