"""`POST /api/v1/partijen/zoeken` end to end, over the demo sandbox.

Every upstream call is counted by a transport wrapper, so the tests can say exactly
which calls a search made (and that a refused request made none).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from bff.compose.zoeken import BRP_FIELDS
from bff.sandbox.app import BASE_PATHS
from tests.helpers.harness import DEMO_BSN, Bff, start_bff

URL = "/api/v1/partijen/zoeken"
BRP_ONLY_BSN = "999999370"  # among the last six BRP persons: no partij
GEHEIM_BSN = "999971104"  # BRP geheimhoudingPersoonsgegevens
OVERLEDEN_BSN = "999970239"
BAKKERIJ_KVK = "68750110"


class UpstreamCalls(httpx.AsyncBaseTransport):
    """Wraps the transport every upstream call takes, and keeps each request."""

    def __init__(self) -> None:
        self.inner: httpx.AsyncBaseTransport | None = None
        self.requests: list[httpx.Request] = []

    def wrap(self, inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        self.inner = inner
        return self

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert self.inner is not None
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    def to(self, upstream: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.startswith(BASE_PATHS[upstream])]

    def brp_bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.to("brp")]

    def search_calls(self) -> list[httpx.Request]:
        """Calls a search may make (background loads, e.g. of reference lists, left out)."""
        ki = BASE_PATHS["klantinteracties"]
        searched = (f"{ki}/partijen", f"{ki}/digitaleadressen")
        return [r for r in self.to("klantinteracties") if r.url.path.startswith(searched)] + (
            self.to("brp")
        )


async def search(bff: Bff, body: dict[str, Any]) -> httpx.Response:
    return await bff.client.post(URL, json=body, headers=bff.auth())


def bsn_of_phone(bff: Bff, soort: str = "telefoonnummer") -> tuple[str, str]:
    """A digitaal adres of the demo person and its BSN."""
    ki = bff.sandbox.klantinteracties
    partij = next(
        i["partij"] for i in ki.partij_identificatoren.values() if i["objectId"] == DEMO_BSN
    )
    adres = next(
        a["adres"]
        for a in ki.digitaleadressen.values()
        if a["verstrektDoorPartij"] == partij and a["soortDigitaalAdres"] == soort
    )
    return adres, partij


# -- each criterion ------------------------------------------------------------------------


async def test_bsn_search_asks_klantinteracties_and_brp_once_and_joins_them() -> None:
    calls = UpstreamCalls()
    async with start_bff(wrap_transport=calls.wrap) as bff:
        r = await search(bff, {"bsn": DEMO_BSN})
        records, audit = bff.processing_records(), bff.audit_records()
    assert r.status_code == 200, r.text
    body = r.json()
    (hit,) = body["items"]
    assert hit["bron"] == "beide"
    assert hit["partijId"]
    assert (hit["bsn"], hit["naam"], hit["geboortedatum"]) == (
        DEMO_BSN,
        "Suzanne Moulin",
        "1985-12-01",
    )
    assert hit["adres"] == "Boterdiep 31, 3077 AW ROTTERDAM"
    assert (hit["geheimhouding"], hit["overleden"]) == (False, False)
    assert (body["count"], body["truncated"], body["warnings"]) == (1, False, [])
    (partijen,) = calls.to("klantinteracties")
    assert partijen.url.params["partijIdentificator__objectId"] == DEMO_BSN
    assert partijen.url.params["partijIdentificator__codeRegister"] == "brp"
    (brp,) = calls.brp_bodies()
    assert brp["type"] == "RaadpleegMetBurgerservicenummer"
    assert brp["fields"] == list(BRP_FIELDS)
    assert DEMO_BSN not in str(partijen.url.path)  # only in the query, never in the BFF URL
    assert [(p.data_subject_id_type, p.activity) for p in records] == [("BSN", "partijen_zoeken")]
    assert len(audit) == 1


async def test_a_person_only_in_brp_is_a_hit_from_brp_without_partij() -> None:
    async with start_bff() as bff:
        r = await search(bff, {"bsn": BRP_ONLY_BSN})
    (hit,) = r.json()["items"]
    assert (hit["bron"], hit["partijId"], hit["bsn"]) == ("brp", None, BRP_ONLY_BSN)
    assert hit["soortPartij"]["code"] == "persoon"


async def test_a_bsn_nobody_knows_is_an_empty_result_with_an_audit_record() -> None:
    async with start_bff() as bff:
        r = await search(bff, {"bsn": "012345672"})
        assert (len(bff.processing_records()), len(bff.audit_records())) == (0, 1)
    assert r.json() == {"items": [], "count": 0, "truncated": False, "warnings": []}


async def test_a_deceased_person_is_flagged_overleden() -> None:
    async with start_bff() as bff:
        r = await search(bff, {"bsn": OVERLEDEN_BSN})
    assert r.json()["items"][0]["overleden"] is True


async def test_a_geslachtsnaam_shared_by_several_gives_each_with_its_partij() -> None:
    calls = UpstreamCalls()
    async with start_bff(wrap_transport=calls.wrap) as bff:
        r = await search(bff, {"geslachtsnaam": "janssen", "geboortedatum": "2015-01-01"})
        records = bff.processing_records()
    hits = r.json()["items"]
    assert len(hits) == 4
    assert {h["bron"] for h in hits} == {"beide"}
    assert len({h["partijId"] for h in hits}) == 4
    assert [h["naam"] for h in hits] == sorted(h["naam"] for h in hits)  # same birth date
    (brp,) = calls.brp_bodies()
    assert brp["type"] == "ZoekMetGeslachtsnaamEnGeboortedatum"
    assert brp["fields"] == list(BRP_FIELDS)
    assert len(calls.to("klantinteracties")) == 4  # one partij lookup per BSN found
    assert len(records) == 4


async def test_a_postcode_and_huisnummer_shared_by_several_gives_everyone_living_there() -> None:
    calls = UpstreamCalls()
    async with start_bff(wrap_transport=calls.wrap) as bff:
        r = await search(bff, {"postcode": "1014 aw", "huisnummer": 14})
        records = bff.processing_records()
    body = r.json()
    assert (body["count"], body["truncated"]) == (4, False)
    assert [h["geboortedatum"] for h in body["items"]] == sorted(
        h["geboortedatum"] for h in body["items"]
    )
    (brp,) = calls.brp_bodies()
    assert (brp["type"], brp["postcode"], brp["huisnummer"]) == (
        "ZoekMetPostcodeEnHuisnummer",
        "1014AW",
        14,
    )
    assert len(records) == 4


async def test_an_adres_search_finds_a_person_not_yet_registered() -> None:
    async with start_bff() as bff:
        r = await search(bff, {"postcode": "2511CA", "huisnummer": 21, "huisletter": "a"})
    (hit,) = r.json()["items"]
    assert (hit["bron"], hit["partijId"], hit["bsn"]) == ("brp", None, "999999011")


async def test_max_hits_bounds_the_hits_and_the_partij_lookups() -> None:
    calls = UpstreamCalls()
    async with start_bff(wrap_transport=calls.wrap, zoeken={"max_hits": 2}) as bff:
        r = await search(bff, {"postcode": "1014AW", "huisnummer": 14})
        records = bff.processing_records()
    body = r.json()
    assert (len(body["items"]), body["count"], body["truncated"]) == (2, 4, True)
    assert len(calls.to("klantinteracties")) == 2
    assert len(records) == 2


@pytest.mark.parametrize("typed", ["spaces", "international"])
async def test_a_phone_number_typed_with_spaces_or_plus_31_finds_the_partij(typed: str) -> None:
    calls = UpstreamCalls()
    async with start_bff(wrap_transport=calls.wrap) as bff:
        nummer, partij = bsn_of_phone(bff)
        spaced = f"{nummer[:2]} {nummer[2:6]} {nummer[6:]}"
        shown = spaced if typed == "spaces" else f"+31 {nummer[1:2]} {nummer[2:6]} {nummer[6:]}"
        r = await search(bff, {"telefoonnummer": shown})
    (hit,) = r.json()["items"]
    assert (hit["bron"], hit["partijId"], hit["bsn"]) == ("beide", partij, DEMO_BSN)
    (brp,) = calls.brp_bodies()
    assert (brp["type"], brp["burgerservicenummer"]) == (
        "RaadpleegMetBurgerservicenummer",
        [DEMO_BSN],
    )


async def test_an_emailadres_in_other_case_finds_the_partij_once() -> None:
    async with start_bff() as bff:
        email, partij = bsn_of_phone(bff, "email")
        adressen = bff.sandbox.klantinteracties.digitaleadressen.values()
        assert sum(a["adres"] == email for a in adressen) == 2  # stored twice in the demo
        r = await search(bff, {"emailadres": email.upper()})
    (hit,) = r.json()["items"]
    assert (hit["partijId"], hit["bsn"]) == (partij, DEMO_BSN)


async def test_a_geheimhouding_person_shows_no_adres() -> None:
    async with start_bff() as bff:
        r = await search(bff, {"bsn": GEHEIM_BSN})
    (hit,) = r.json()["items"]
    assert (hit["geheimhouding"], hit["adres"]) == (True, None)
    assert (hit["naam"], hit["geboortedatum"]) == ("Jeroen Verstraten", "1965-06-12")


async def test_a_kvk_search_asks_klantinteracties_only_and_records_the_kvk_nummer() -> None:
    calls = UpstreamCalls()
    async with start_bff(wrap_transport=calls.wrap) as bff:
        r = await search(bff, {"kvkNummer": BAKKERIJ_KVK})
        records = bff.processing_records()
    (hit,) = r.json()["items"]
    assert hit["soortPartij"] == {"code": "organisatie", "naam": "Organisatie"}
    assert (hit["kvkNummer"], hit["naam"], hit["bron"]) == (
        BAKKERIJ_KVK,
        "Bakkerij De Korenaar",
        "klantinteracties",
    )
    assert calls.to("brp") == []
    assert [r.data_subject_id_type for r in records] == ["KVK"]


async def test_kvk_with_vestigingsnummer_finds_the_partij_of_that_vestiging() -> None:
    vestigingsnummer = "000038509504"
    async with start_bff() as bff:
        ki = bff.sandbox.klantinteracties
        kvk = next(i for i in ki.partij_identificatoren.values() if i["objectId"] == BAKKERIJ_KVK)
        sandbox = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=bff.sandbox.asgi()),
            base_url=f"http://sandbox{BASE_PATHS['klantinteracties']}/",
            headers={"Authorization": f"Token {bff.sandbox.credentials.klantinteracties_token}"},
        )
        async with sandbox:
            made = await sandbox.post(
                "partij-identificatoren",
                json={
                    "identificeerdePartij": {"uuid": kvk["partij"]},
                    "subIdentificatorVan": {"uuid": kvk["uuid"]},
                    "partijIdentificator": {
                        "codeObjecttype": "vestiging",
                        "codeSoortObjectId": "vestigingsnummer",
                        "objectId": vestigingsnummer,
                        "codeRegister": "hr",
                    },
                },
            )
        assert made.status_code == 201, made.text
        r = await search(bff, {"kvkNummer": BAKKERIJ_KVK, "vestigingsnummer": vestigingsnummer})
    (hit,) = r.json()["items"]
    assert (hit["partijId"], hit["vestigingsnummer"]) == (kvk["partij"], vestigingsnummer)


# -- refused before any upstream call -------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({"bsn": "999993654"}, {"bsn"}),  # fails the 11-proef
        ({"kvkNummer": "6875011"}, {"kvkNummer"}),
        ({"geslachtsnaam": "J@nssen", "geboortedatum": "2015-01-01"}, {"geslachtsnaam"}),
        ({"geslachtsnaam": "Janssen", "geboortedatum": "1-1-2015"}, {"geboortedatum"}),
        ({"postcode": "1014", "huisnummer": 14}, {"postcode"}),
        ({"postcode": "1014AW", "huisnummer": 0}, {"huisnummer"}),
        ({"telefoonnummer": "06-123"}, {"telefoonnummer"}),
        ({"emailadres": "suzanne@"}, {"emailadres"}),
        ({"bsn": DEMO_BSN, "telefoonnummer": "0612345678"}, {"bsn", "telefoonnummer"}),
        ({"postcode": "1014AW"}, {"huisnummer"}),
        ({"geboortedatum": "2015-01-01"}, {"geslachtsnaam"}),
        ({}, {"bsn", "kvkNummer", "geslachtsnaam", "postcode", "telefoonnummer", "emailadres"}),
    ],
)
async def test_a_bad_search_is_a_422_naming_the_fields_and_calls_no_upstream(
    body: dict[str, Any], names: set[str]
) -> None:
    calls = UpstreamCalls()
    async with start_bff(wrap_transport=calls.wrap) as bff:
        r = await search(bff, body)
        assert (bff.processing_records(), bff.audit_records()) == ([], [])
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert {p["name"] for p in r.json()["invalidParams"]} == names
    assert calls.search_calls() == []


async def test_personal_data_stays_out_of_the_problem_detail() -> None:
    async with start_bff() as bff:
        r = await search(bff, {"bsn": "999993654", "emailadres": "suzanne.moulin@mail.example"})
    assert "999993654" not in r.json()["detail"]
    assert "suzanne" not in r.text.lower()


# -- when the BRP is down ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"postcode": "1014AW", "huisnummer": 14},
        {"geslachtsnaam": "Janssen", "geboortedatum": "2015-01-01"},
    ],
)
@pytest.mark.parametrize("fault", [{"status": 503}, {"reset": True}])
async def test_a_brp_search_is_a_503_naming_brp_when_the_brp_is_down(
    body: dict[str, Any], fault: dict[str, Any]
) -> None:
    calls = UpstreamCalls()
    async with start_bff(wrap_transport=calls.wrap) as bff:
        bff.sandbox.faults.add("brp", **fault)
        r = await search(bff, body)
        audit = bff.audit_records()
    assert r.status_code == 503
    problem = r.json()
    assert (problem["type"], problem["upstream"]) == (
        "urn:kcc-bff:problem:upstream-unavailable",
        "brp",
    )
    assert calls.to("klantinteracties") == []
    assert [a.status for a in audit] == ["error"]


@pytest.mark.parametrize("criterion", ["telefoonnummer", "bsn"])
async def test_a_search_klantinteracties_answers_is_200_with_a_warning_when_the_brp_is_down(
    criterion: str,
) -> None:
    async with start_bff() as bff:
        bff.sandbox.faults.add("brp", status=503)
        nummer, partij = bsn_of_phone(bff)
        r = await search(
            bff, {"telefoonnummer": nummer} if criterion != "bsn" else {"bsn": DEMO_BSN}
        )
        records = bff.processing_records()
    assert r.status_code == 200, r.text
    body = r.json()
    (hit,) = body["items"]
    assert (hit["bron"], hit["partijId"], hit["bsn"]) == ("klantinteracties", partij, DEMO_BSN)
    assert (hit["naam"], hit["geboortedatum"], hit["overleden"]) == ("Suzanne Moulin", None, None)
    assert [(w["upstream"], w["reason"]) for w in body["warnings"]] == [("brp", "status")]
    assert len(records) == 1


async def test_a_klantinteracties_failure_is_answered_naming_klantinteracties() -> None:
    async with start_bff() as bff:
        bff.sandbox.faults.add("klantinteracties", reset=True)
        r = await search(bff, {"bsn": DEMO_BSN})
    assert r.status_code == 503
    assert r.json()["upstream"] == "klantinteracties"


async def test_brp_is_told_which_medewerker_searches() -> None:
    calls = UpstreamCalls()
    async with start_bff(wrap_transport=calls.wrap) as bff:
        await search(bff, {"bsn": DEMO_BSN})
    (brp,) = calls.to("brp")
    assert brp.headers["x-gebruiker"] == "mdw-anna"
