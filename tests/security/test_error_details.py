"""Validation errors name the field and the rule, never the value that was sent."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import AfterValidator, BaseModel, ValidationError

from bff.http import validation_error


def _careless(value: str) -> str:
    raise ValueError(f"{value} is not a known caller")


class Careless(BaseModel):
    naam: Annotated[str, AfterValidator(_careless)]
    huisnummer: int


def _reasons(body: dict[str, object]) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        Careless.model_validate(body)
    return {p.name: p.reason for p in validation_error(err.value).params}


def test_a_reason_quoting_the_typed_value_is_replaced_and_others_are_kept() -> None:
    reasons = _reasons({"naam": "Wilhelmina Zwanenburg", "huisnummer": "twaalf"})
    assert reasons == {
        "naam": "This value is not valid.",
        "huisnummer": "Use a whole number written with the digits 0-9.",
    }
