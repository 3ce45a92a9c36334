"""`GET /api/v1/actoren`: pick a colleague or afdeling from the actoren index."""

from __future__ import annotations

import pytest

from bff.errors import UpstreamError
from tests.helpers.harness import start_bff


async def test_find_an_afdeling_by_part_of_its_naam() -> None:
    async with start_bff() as bff:
        r = await bff.client.get("/api/v1/actoren", params={"naam": "verg"}, headers=bff.auth())
    assert r.status_code == 200, r.text
    (found,) = r.json()["items"]
    assert found["naam"] == "Vergunningen"
    assert found["soortActor"] == {
        "code": "organisatorische_eenheid",
        "naam": "Organisatorische eenheid",
    }
    assert found["telefoonnummer"] == "0201234600"


async def test_soort_actor_narrows_the_search() -> None:
    async with start_bff() as bff:
        everyone = await bff.client.get(
            "/api/v1/actoren", params={"naam": "er"}, headers=bff.auth()
        )
        medewerkers = await bff.client.get(
            "/api/v1/actoren", params={"naam": "er", "soortActor": "medewerker"}, headers=bff.auth()
        )
    soorten = {a["soortActor"]["code"] for a in everyone.json()["items"]}
    assert {"medewerker", "organisatorische_eenheid"} <= soorten
    assert {a["soortActor"]["code"] for a in medewerkers.json()["items"]} == {"medewerker"}


async def test_results_are_bounded_by_the_setting() -> None:
    async with start_bff(actoren={"max_results": 2}) as bff:
        r = await bff.client.get("/api/v1/actoren", params={"naam": "en"}, headers=bff.auth())
    assert len(r.json()["items"]) == 2


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({}, "naam"),
        ({"naam": "x"}, "naam"),
        ({"naam": "x" * 101}, "naam"),
        ({"naam": "verg", "soortActor": "team"}, "soortActor"),
    ],
)
async def test_refusals_name_the_parameter(params: dict[str, str], name: str) -> None:
    async with start_bff() as bff:
        r = await bff.client.get("/api/v1/actoren", params=params, headers=bff.auth())
    assert r.status_code == 422
    assert [p["name"] for p in r.json()["invalidParams"]] == [name]


async def test_a_failed_first_load_is_an_upstream_problem_and_the_next_request_loads() -> None:
    async with start_bff() as bff:
        bff.sandbox.faults.add("klantinteracties", status=503, method="GET", path="^/actoren$")
        down = await bff.client.get("/api/v1/actoren", params={"naam": "verg"}, headers=bff.auth())
        bff.sandbox.faults.clear("klantinteracties")
        up = await bff.client.get("/api/v1/actoren", params={"naam": "verg"}, headers=bff.auth())
    assert down.status_code == 502
    assert down.headers["content-type"] == "application/problem+json"
    assert up.status_code == 200
    assert [a["naam"] for a in up.json()["items"]] == ["Vergunningen"]


async def test_a_failed_refresh_keeps_serving_the_last_good_copy() -> None:
    async with start_bff() as bff:
        await bff.client.get("/api/v1/actoren", params={"naam": "verg"}, headers=bff.auth())
        bff.sandbox.faults.add("klantinteracties", status=500, method="GET", path="^/actoren$")
        with pytest.raises(UpstreamError):
            await bff.services.actoren_index.refresh()
        r = await bff.client.get("/api/v1/actoren", params={"naam": "verg"}, headers=bff.auth())
    assert r.status_code == 200
    assert [a["naam"] for a in r.json()["items"]] == ["Vergunningen"]
