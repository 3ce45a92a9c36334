"""Input the BFF refuses before anything reaches an upstream: non-ASCII digits in
identifiers, JSON nested without bound, and control characters in free text.

Each case is a 422 problem naming the field, with a reason written for the agent (never
Python's own message), and no upstream write.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.helpers.harness import DEMO_BSN, Bff, start_bff
from tests.registreren.support import KI_TABLES, registratie

FULL_WIDTH_BSN = "".join(chr(ord("０") + int(d)) for d in DEMO_BSN)
SUPERSCRIPT_BSN = "99999365" + "\u00b3"  # '³' passes str.isdigit()
ARABIC_INDIC_KVK = "".join(chr(0x0660 + int(d)) for d in "68750110")
PYTHON_MESSAGES = ("invalid literal", "base 10", "Input should be")


def counts(bff: Bff) -> dict[str, int]:
    ki = bff.sandbox.klantinteracties
    return {table: len(getattr(ki, table)) for table in KI_TABLES}


def assert_422_naming(r: httpx.Response, field: str) -> dict[str, Any]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    params = {p["name"]: p for p in r.json()["invalidParams"]}
    assert field in params, params
    reason = params[field]["reason"]
    assert not any(m in reason for m in PYTHON_MESSAGES), reason
    return params[field]


# -- 1. ASCII digits only -------------------------------------------------------------------


@pytest.mark.parametrize("bsn", [FULL_WIDTH_BSN, SUPERSCRIPT_BSN])
@pytest.mark.parametrize(
    ("path", "field"),
    [("/api/v1/partijen/zoeken", "bsn"), ("/api/v1/klantbeeld", "bsn")],
)
async def test_a_bsn_in_other_digits_is_a_422_on_search_and_klantbeeld(
    bsn: str, path: str, field: str
) -> None:
    async with start_bff() as bff:
        r = await bff.client.post(path, json={"bsn": bsn}, headers=bff.auth())
        assert_422_naming(r, field)


@pytest.mark.parametrize("bsn", [FULL_WIDTH_BSN, SUPERSCRIPT_BSN])
async def test_a_klantcontact_for_a_bsn_in_other_digits_is_refused_before_journalling(
    bsn: str,
) -> None:
    async with start_bff() as bff:
        before = counts(bff)
        body = registratie(bff.sandbox, klant={"bsn": bsn})
        r = await bff.client.post("/api/v1/klantcontacten", json=body, headers=bff.auth())
        assert_422_naming(r, "klant.bsn")
        assert counts(bff) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kvkNummer": ARABIC_INDIC_KVK}, "kvkNummer"),
        (
            {"kvkNummer": "68750110", "vestigingsnummer": "００００１２３４５６７８"},
            "vestigingsnummer",
        ),
        ({"postcode": "１２３４AB", "huisnummer": 1}, "postcode"),
        ({"postcode": "1234AB", "huisnummer": "１２"}, "huisnummer"),
        ({"telefoonnummer": "０６１２３４５６７８"}, "telefoonnummer"),
    ],
)
async def test_every_identifier_field_takes_ascii_digits_only(
    body: dict[str, Any], field: str
) -> None:
    async with start_bff() as bff:
        r = await bff.client.post("/api/v1/partijen/zoeken", json=body, headers=bff.auth())
        assert_422_naming(r, field)


# -- 3. nesting depth -------------------------------------------------------------------------


def deep_arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_objects(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize("raw", [b"[" * 30_000, deep_arrays(30_000), deep_objects(10_000)])
@pytest.mark.parametrize(
    "path", ["/api/v1/klantcontacten", "/api/v1/partijen", "/api/v1/partijen/zoeken"]
)
async def test_a_deeply_nested_body_is_a_422_not_a_recursion_error(raw: bytes, path: str) -> None:
    async with start_bff() as bff:
        before = counts(bff)
        headers = {**bff.auth(), "Content-Type": "application/json"}
        r = await bff.client.post(path, content=raw, headers=headers)
        problem = assert_422_naming(r, "body")
        assert problem["code"] == "too-deep"
        assert counts(bff) == before


async def test_nesting_within_the_limit_is_judged_by_the_model() -> None:
    async with start_bff() as bff:
        headers = {**bff.auth(), "Content-Type": "application/json"}
        r = await bff.client.post(
            "/api/v1/partijen/zoeken", content=b'{"x":' + deep_arrays(30) + b"}", headers=headers
        )
        assert r.status_code == 422
        assert [p["code"] for p in r.json()["invalidParams"]] != ["too-deep"]


async def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    async with start_bff() as bff:
        body = registratie(bff.sandbox)
        body["klantcontact"]["inhoud"] = "[" * 500 + "{" * 400
        r = await bff.client.post("/api/v1/klantcontacten", json=body, headers=bff.auth())
        assert r.status_code in (201, 202), r.text


async def test_a_deep_body_on_digitale_adressen_is_a_422() -> None:
    async with start_bff() as bff:
        partij = next(iter(bff.sandbox.klantinteracties.partijen))
        headers = {**bff.auth(), "Content-Type": "application/json"}
        r = await bff.client.post(
            f"/api/v1/partijen/{partij}/digitale-adressen",
            content=deep_objects(10_000),
            headers=headers,
        )
        assert assert_422_naming(r, "body")["code"] == "too-deep"


# -- 10. control characters -------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
async def test_a_control_character_in_free_text_is_a_422_before_any_write(char: str) -> None:
    async with start_bff() as bff:
        before = counts(bff)
        body = registratie(bff.sandbox)
        body["klantcontact"]["inhoud"] = f"Afvalpas{char}kwijt"
        r = await bff.client.post("/api/v1/klantcontacten", json=body, headers=bff.auth())
        assert assert_422_naming(r, "klantcontact.inhoud")["code"] == "control-characters"
        assert counts(bff) == before


async def test_tab_and_line_breaks_are_free_text() -> None:
    async with start_bff() as bff:
        body = registratie(bff.sandbox)
        body["klantcontact"]["inhoud"] = "Regel 1\r\nRegel 2\n\tingesprongen"
        r = await bff.client.post("/api/v1/klantcontacten", json=body, headers=bff.auth())
        assert r.status_code in (201, 202), r.text


async def test_a_control_character_in_an_interne_taak_or_query_is_a_422() -> None:
    async with start_bff() as bff:
        body = registratie(bff.sandbox)
        body["interneTaak"]["toelichting"] = "bel\x00terug"
        r = await bff.client.post("/api/v1/klantcontacten", json=body, headers=bff.auth())
        assert_422_naming(r, "interneTaak.toelichting")
        r = await bff.client.get(
            "/api/v1/interne-taken", params={"status": "te_verwerken\x01"}, headers=bff.auth()
        )
        assert_422_naming(r, "status")
