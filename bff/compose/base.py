"""Bases of the frontend contract: outgoing models and strict input models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class OutModel(BaseModel):
    """An outgoing model: camelCase JSON, immutable."""

    model_config = ConfigDict(frozen=True, alias_generator=to_camel, populate_by_name=True)


class InModel(BaseModel):
    """An input model: camelCase JSON, unknown fields rejected, no silent type coercion."""

    model_config = ConfigDict(
        frozen=True,
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        strict=True,
        str_strip_whitespace=True,
    )


class Code(OutModel):
    """A code from a reference list with its meaning; `naam` is None when the code is unknown."""

    code: str
    naam: str | None = None
