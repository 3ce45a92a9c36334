"""Field validation of Klantinteracties request bodies, the way Django REST Framework does it.

A `Validator` walks one JSON object, checks each declared field (required, null, blank,
type, length, pattern, enum, references, NUL characters) and keeps going after a failure,
so one 400 lists every bad field (and every failing validator of a field), named with
dotted paths (`klantcontact.kanaal`, `partijIdentificatoren.0.partijIdentificator.objectId`).
Valid values land in `out`.
Object-level rules run only when the fields were fine, as in DRF.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bff.sandbox.common import invalid_many
from bff.sandbox.klantinteracties.store import Record, format_datetime

REQUIRED = "Dit veld is vereist."
NOT_EMPTY = "Dit veld mag niet leeg zijn."
NUL = "Null karakters zijn niet toegestaan."
REFUSED_PHONE = (
    "Het opgegeven telefoonnummer is ongeldig, telefoonnummers beginnend met 0800, 0900, "
    "1400 of 140xx zijn niet toegestaan."
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URI = re.compile(r"^https?://\S+$")
TRUE = {True, "true", "True", "TRUE", "1"}
FALSE = {False, "false", "False", "FALSE", "0"}


class Errors:
    """The invalidParams of one response, in the order they were found."""

    def __init__(self) -> None:
        self.params: list[dict[str, str]] = []

    def add(self, name: str, code: str, reason: str) -> None:
        self.params.append({"name": name, "code": code, "reason": reason})

    def __bool__(self) -> bool:
        return bool(self.params)

    def raise_if_any(self) -> None:
        if self.params:
            raise invalid_many(self.params)


@dataclass(frozen=True)
class Field:
    """One scalar field as the spec declares it."""

    name: str
    kind: str = "text"  # text | integer | boolean | choice | email | uri | date | datetime
    required: bool = False
    nullable: bool = False
    blank: bool = True
    max_length: int | None = None
    min_length: int | None = None
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    allowed: frozenset[str] | None = None  # a code list such as ISO 3166 landen
    refused_prefixes: tuple[str, ...] = ()  # refused before `pattern` is tried
    error_name: str | None = None  # the name Open Klant reports, when not `name`


def text_problems(spec: Field, text: str) -> list[tuple[str, str]]:
    """Every validator of a text field that refuses `text`, as (code, reason): like Django,
    all of them run, so a too long, malformed value gets both `max_length` and `invalid`."""
    problems: list[tuple[str, str]] = []
    if spec.max_length is not None and len(text) > spec.max_length:
        reason = f"Zorg ervoor dat dit veld niet meer dan {spec.max_length} karakters bevat."
        problems.append(("max_length", reason))
    if spec.min_length is not None and len(text) < spec.min_length:
        reason = f"Zorg ervoor dat dit veld minimaal {spec.min_length} karakters bevat."
        problems.append(("min_length", reason))
    if "\x00" in text:
        problems.append(("null_characters_not_allowed", NUL))
    if spec.refused_prefixes and text.startswith(spec.refused_prefixes):
        problems.append(("invalid", REFUSED_PHONE))
    elif spec.pattern is not None and not re.match(spec.pattern, text):
        problems.append(("invalid", "Voer een geldige waarde in."))
    if spec.allowed is not None and text not in spec.allowed:
        problems.append(("invalid", f"{text} is geen geldige code."))
    if spec.kind == "email" and not EMAIL.match(text):
        problems.append(("invalid", "Voer een geldig e-mailadres in."))
    if spec.kind == "uri" and not URI.match(text):
        problems.append(("invalid", "Voer een geldige URL in."))
    return problems


def parse_datetime(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def type_name(value: object) -> str:
    return type(value).__name__


class Validator:
    """One JSON object under validation; errors go to the shared `Errors`."""

    def __init__(
        self,
        data: Mapping[str, Any],
        errors: Errors,
        *,
        prefix: str = "",
        partial: bool = False,
    ) -> None:
        self.data = data
        self.errors = errors
        self.prefix = prefix
        self.partial = partial
        self.out: Record = {}

    def path(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def error(self, name: str, code: str, reason: str) -> None:
        self.errors.add(self.path(name), code, reason)

    def present(self, name: str, *, required: bool = False, nullable: bool = False) -> bool:
        """True when `name` holds a value to check; a null is stored or reported here."""
        if name not in self.data:
            if required and not self.partial:
                self.error(name, "required", REQUIRED)
            return False
        if self.data[name] is None:
            if nullable:
                self.out[name] = None
            else:
                self.error(name, "null", NOT_EMPTY)
            return False
        return True

    def fields(self, specs: Iterable[Field]) -> None:
        for spec in specs:
            if self.present(spec.name, required=spec.required, nullable=spec.nullable):
                value = self._scalar(spec, self.data[spec.name])
                if value is not None:
                    self.out[spec.name] = value

    def _scalar(self, spec: Field, raw: Any) -> Any:
        name = spec.error_name or spec.name
        if spec.kind == "boolean":
            hashable = isinstance(raw, (bool, int, str)) and not isinstance(raw, float)
            if hashable and raw in TRUE:
                return True
            if hashable and raw in FALSE:
                return False
            return self.error(name, "invalid", "Moet een geldige boolean zijn.")
        if spec.kind == "integer":
            if isinstance(raw, bool) or not isinstance(raw, (int, str)):
                return self.error(name, "invalid", "Een geldig getal is vereist.")
            try:
                number = int(raw)
            except ValueError:
                return self.error(name, "invalid", "Een geldig getal is vereist.")
            if spec.maximum is not None and number > spec.maximum:
                reason = f"Zorg ervoor dat deze waarde kleiner of gelijk is aan {spec.maximum}."
                return self.error(name, "max_value", reason)
            if spec.minimum is not None and number < spec.minimum:
                reason = f"Zorg ervoor dat deze waarde groter of gelijk is aan {spec.minimum}."
                return self.error(name, "min_value", reason)
            return number
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            return self.error(name, "invalid", "Geen geldige string.")
        text = str(raw).strip()
        if spec.kind == "choice":
            if text not in spec.choices:
                return self.error(name, "invalid_choice", f'"{text}" is een ongeldige keuze.')
            return text
        if text == "":
            if spec.blank and not spec.required:
                return text
            return self.error(name, "blank", NOT_EMPTY)
        if spec.kind in ("date", "datetime"):
            return self._moment(spec, name, text)
        problems = text_problems(spec, text)
        for code, reason in problems:
            self.error(name, code, reason)
        return None if problems else text

    def _moment(self, spec: Field, name: str, text: str) -> Any:
        if spec.kind == "date":
            try:
                return date.fromisoformat(text).isoformat()
            except ValueError:
                reason = "Datum heeft het verkeerde formaat. Gebruik het formaat YYYY-MM-DD."
                return self.error(name, "invalid", reason)
        moment = parse_datetime(text)
        if moment is None:
            reason = "Datetime heeft een ongeldig formaat, gebruik YYYY-MM-DDThh:mm[:ss]Z."
            return self.error(name, "invalid", reason)
        return format_datetime(moment)

    def nested(
        self, name: str, *, required: bool = False, nullable: bool = True
    ) -> Validator | None:
        """A validator for the object under `name`, or None when absent, null or no object."""
        if not self.present(name, required=required, nullable=nullable):
            return None
        value = self.data[name]
        if not isinstance(value, dict):  # a nested serializer's own error: `nonFieldErrors`
            reason = f"Ongeldige data. Verwacht een dictionary, kreeg een {type_name(value)}."
            self.error(f"{name}.nonFieldErrors", "invalid", reason)
            return None
        return Validator(value, self.errors, prefix=self.path(f"{name}."), partial=self.partial)

    def group(self, name: str, specs: Iterable[Field], *, nullable: bool = True) -> None:
        """A gegevensgroep: an object of scalar fields, stored as a dict under `name`."""
        inner = self.nested(name, nullable=nullable)
        if inner is not None:
            inner.fields(specs)
            self.out[name] = inner.out

    def items(self, name: str, *, nullable: bool = False) -> list[Validator] | None:
        """Validators for each object of the list under `name`."""
        if not self.present(name, nullable=nullable):
            return None
        value = self.data[name]
        if not isinstance(value, list):
            reason = f'Verwachtte een lijst met items, maar kreeg type "{type_name(value)}".'
            self.error(name, "not_a_list", reason)
            return None
        validators: list[Validator] = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                reason = f"Ongeldige data. Verwacht een dictionary, kreeg een {type_name(item)}."
                self.error(f"{name}.{index}.nonFieldErrors", "invalid", reason)
                continue
            path = self.path(f"{name}.{index}.")
            validators.append(Validator(item, self.errors, prefix=path, partial=False))
        return validators

    def reference(self, table: Mapping[str, Record], label: str) -> str | None:
        """This object read as a `{uuid}` reference to an existing record of `table`."""
        raw = self.data.get("uuid")
        if raw is None:
            missing = "uuid" not in self.data
            self.error(
                "uuid", "required" if missing else "null", REQUIRED if missing else NOT_EMPTY
            )
            return None
        try:
            key = str(uuidlib.UUID(str(raw)))
        except ValueError:
            self.error("uuid", "invalid", "Moet een geldige UUID zijn.")
            return None
        if key not in table:
            self.error("uuid", "invalid", f"{label} object bestaat niet.")
            return None
        return key

    def ref(
        self,
        name: str,
        table: Mapping[str, Record],
        label: str,
        *,
        required: bool = False,
        nullable: bool = True,
    ) -> None:
        """A `{uuid}` reference; stored as the uuid string (or None)."""
        inner = self.nested(name, required=required, nullable=nullable)
        if inner is not None:
            key = inner.reference(table, label)
            if key is not None:
                self.out[name] = key

    def ref_list(
        self,
        name: str,
        table: Mapping[str, Record],
        label: str,
        *,
        nullable: bool = False,
        allow_empty: bool = True,
    ) -> None:
        """A list of `{uuid}` references; stored as a list of uuid strings."""
        validators = self.items(name, nullable=nullable)
        if validators is None:
            return
        keys = [key for v in validators if (key := v.reference(table, label)) is not None]
        if not allow_empty and not self.data[name]:
            self.error(name, "empty", "Deze lijst mag niet leeg zijn.")
        elif len(keys) == len(self.data[name]):
            self.out[name] = keys
