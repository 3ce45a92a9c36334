"""Opening a klantcontact by the number an agent types over the phone: spaces and leading
zeros optional, and Open Klant's own `nummer` found as well as the referentienummer."""

from __future__ import annotations

import pytest

from bff.compose.klantcontact_detail import nummer_candidates
from tests.helpers.harness import start_bff

PATH = "/api/v1/klantcontacten"


def test_candidates_are_as_typed_then_zero_padded() -> None:
    assert nummer_candidates("42") == ["42", "0000000042"]
    assert nummer_candidates("4053400001") == ["4053400001"]


@pytest.mark.parametrize("typed", ["0000004161", "4161", "41 61", " 000 000 4161 "])
async def test_referentienummer_as_typed_finds_the_klantcontact(typed: str) -> None:
    async with start_bff() as bff:
        kc = bff.sandbox.klantinteracties.insert(
            "klantcontacten",
            {
                "referentienummer": "0000004161",
                "kanaal": "telefoon",
                "onderwerp": "Vraag",
                "taal": "nld",
                "vertrouwelijk": False,
            },
        )
        r = await bff.client.get(PATH, params={"referentienummer": typed}, headers=bff.auth())
    assert r.status_code == 200, r.text
    assert r.json()["uuid"] == kc["uuid"]


async def test_open_klants_own_nummer_finds_the_klantcontact() -> None:
    async with start_bff() as bff:
        kc = bff.sandbox.klantinteracties.insert(
            "klantcontacten",
            {
                "nummer": "0000000777",
                "referentienummer": None,
                "kanaal": "telefoon",
                "onderwerp": "Vraag",
                "taal": "nld",
                "vertrouwelijk": False,
            },
        )
        r = await bff.client.get(PATH, params={"referentienummer": "777"}, headers=bff.auth())
    assert r.status_code == 200, r.text
    assert (r.json()["uuid"], r.json()["nummer"]) == (kc["uuid"], "0000000777")


async def test_a_number_nobody_has_is_404_and_letters_are_422() -> None:
    async with start_bff() as bff:
        missing = await bff.client.get(
            PATH, params={"referentienummer": "98 76 54"}, headers=bff.auth()
        )
        bad = await bff.client.get(PATH, params={"referentienummer": "12a"}, headers=bff.auth())
    assert missing.status_code == 404
    assert bad.status_code == 422
    assert bad.json()["invalidParams"][0]["name"] == "referentienummer"
