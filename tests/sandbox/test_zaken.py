"""Behaviour of the sandbox Zaken API 1.5.1 (Open Zaak 1.30): auth, Crs headers, search, expand."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox import catalogi, zaken
from bff.sandbox.catalogi import CatalogiStore
from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.zaken import ZakenStore

CREDENTIALS = SandboxCredentials()
ZAKEN = "http://sandbox/zaken/api/v1"
BSN = "999993653"
BSN_FILTER = "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn"
CRS = {"Accept-Crs": "EPSG:4326"}
WRITE_CRS = {**CRS, "Content-Crs": "EPSG:4326"}
MISSING_UUID = "00000000-0000-4000-8000-000000000000"


def zgw_token(secret: str = CREDENTIALS.zgw_secret, **claims: Any) -> str:
    payload = {
        "iss": "kcc-bff",
        "client_id": CREDENTIALS.zgw_client_id,
        "iat": int(time.time()),
        "user_id": "mdw-1",
        "user_representation": "Mira Medewerker",
        **claims,
    }
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, secret, "HS256")


def auth(**claims: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {zgw_token(**claims)}"}


@pytest.fixture
def store() -> ZakenStore:
    made = ZakenStore(seed=1, catalogi=CatalogiStore(seed=2))
    made.seed_demo()
    return made


@pytest.fixture
def app(store: ZakenStore) -> Starlette:
    assert store.catalogi is not None
    return Starlette(
        routes=[
            Mount(zaken.BASE_PATH, app=zaken.create_app(store, CREDENTIALS)),
            Mount(catalogi.BASE_PATH, app=catalogi.create_app(store.catalogi, CREDENTIALS)),
        ]
    )


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    headers = {**auth(), **CRS}
    async with httpx.AsyncClient(transport=transport, base_url=ZAKEN, headers=headers) as made:
        yield made


def zaken_of(store: ZakenStore, bsn: str) -> set[str]:
    return {
        r["zaak"]
        for r in store.rollen.values()
        if r["betrokkeneIdentificatie"].get("inpBsn") == bsn
    }


async def test_zaken_of_a_person_are_found_by_bsn_query_parameter(
    client: httpx.AsyncClient, store: ZakenStore
) -> None:
    response = await client.get("/zaken", params={BSN_FILTER: BSN})

    found = {z["uuid"] for z in response.json()["results"]}
    assert response.status_code == 200
    assert len(found) >= 4
    assert found == zaken_of(store, BSN)


async def test_zoek_with_bsn_in_the_body_finds_the_same_zaken(client: httpx.AsyncClient) -> None:
    by_query = await client.get("/zaken", params={BSN_FILTER: BSN})
    by_body = await client.post("/zaken/_zoek", json={BSN_FILTER: BSN}, headers=WRITE_CRS)

    assert by_body.status_code == 200
    assert by_body.headers["content-crs"] == "EPSG:4326"
    assert by_body.json()["results"] == by_query.json()["results"]


async def test_zoek_ignores_an_unknown_filter_and_returns_every_zaak(
    client: httpx.AsyncClient, store: ZakenStore
) -> None:
    response = await client.post("/zaken/_zoek", json={"inpBsn": BSN}, headers=WRITE_CRS)

    assert response.status_code == 200
    assert response.json()["count"] == len(store.zaken)


async def test_zoek_with_an_empty_body_is_400_empty_search_body(client: httpx.AsyncClient) -> None:
    response = await client.post("/zaken/_zoek", json={}, headers=WRITE_CRS)

    assert response.status_code == 400
    assert invalid_pairs(response) == [("nonFieldErrors", "empty_search_body")]


async def test_zoek_with_expand_as_a_comma_string_is_a_server_fault(
    client: httpx.AsyncClient,
) -> None:
    body = {BSN_FILTER: BSN, "expand": "zaaktype,status"}
    as_string = await client.post("/zaken/_zoek", json=body, headers=WRITE_CRS)
    as_list = await client.post(
        "/zaken/_zoek", json={**body, "expand": ["zaaktype", "status"]}, headers=WRITE_CRS
    )

    assert as_string.status_code == 500
    assert as_string.json()["code"] == "error"
    assert as_list.status_code == 200
    assert set(as_list.json()["results"][0]["_expand"]) == {"zaaktype", "status"}


async def test_zoek_refuses_a_zaaktype_on_an_unknown_catalogi_api(
    client: httpx.AsyncClient,
) -> None:
    body = {"zaaktype__in": ["http://elders.example/catalogi/api/v1/zaaktypen/x"]}
    response = await client.post("/zaken/_zoek", json=body, headers=WRITE_CRS)

    assert response.status_code == 400
    assert invalid_pairs(response) == [("zaaktype__in.", "unknown-service")]


async def test_list_items_carry_an_empty_expand_when_none_was_asked(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/zaken", params={"pageSize": 1})

    assert response.json()["results"][0]["_expand"] == {}


@pytest.mark.parametrize("page_size", ["0", "abc", "-3"])
async def test_page_size_that_is_no_positive_number_means_the_default(
    client: httpx.AsyncClient, store: ZakenStore, page_size: str
) -> None:
    response = await client.get("/zaken", params={"pageSize": page_size})

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(len(store.zaken), 100)


async def test_organisation_and_vestiging_zaken_are_found_by_kvk_and_vestigingsnummer(
    client: httpx.AsyncClient, store: ZakenStore
) -> None:
    zaak = next(iter(store.zaken))
    roltype = next(iter(store.catalogus.roltypen))
    ident = {"vestigingsNummer": "000012345678", "kvkNummer": "69599084"}
    store.add_rol(
        {"zaak": zaak, "roltype": roltype, "betrokkeneType": "vestiging"}
        | {"betrokkeneIdentificatie": ident, "omschrijving": "Initiator"}
    )
    prefix = "rol__betrokkeneIdentificatie__"
    vestiging_filter = {f"{prefix}vestiging__vestigingsNummer": ident["vestigingsNummer"]}
    by_vestiging = await client.get("/zaken", params=vestiging_filter)
    by_kvk = await client.post(
        "/zaken/_zoek", json={f"{prefix}vestiging__kvkNummer": "69599084"}, headers=WRITE_CRS
    )
    nnp_filter = {f"{prefix}nietNatuurlijkPersoon__kvkNummer": "69599084"}
    as_nnp = await client.get("/zaken", params=nnp_filter)

    assert [z["uuid"] for z in by_vestiging.json()["results"]] == [zaak]
    assert [z["uuid"] for z in by_kvk.json()["results"]] == [zaak]
    as_nnp_uuids = {z["uuid"] for z in as_nnp.json()["results"]}
    assert as_nnp_uuids  # the demo organisation's own zaken
    assert zaak not in as_nnp_uuids  # the rol is a vestiging, not a niet-natuurlijk persoon


@pytest.mark.parametrize(
    ("params", "pair"),
    [
        ({"archiefnominatie": "bogus"}, ("archiefnominatie", "invalid_choice")),
        ({"startdatum__gt": "gisteren"}, ("startdatum__gt", "invalid")),
        ({"zaaktype": "geen-url"}, ("zaaktype", "invalid")),
        ({"ordering": "bogus"}, ("ordering", "invalid_choice")),
    ],
)
async def test_filter_values_are_checked_as_open_zaak_checks_them(
    client: httpx.AsyncClient, params: dict[str, str], pair: tuple[str, str]
) -> None:
    response = await client.get("/zaken", params=params)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert invalid_pairs(response) == [pair]


async def test_statussen_filter_on_a_zaak_url_only(client: httpx.AsyncClient) -> None:
    response = await client.get("/statussen", params={"zaak": "not-a-url"})

    assert response.status_code == 400
    assert invalid_pairs(response) == [("zaak", "invalid")]


async def test_zaak_path_that_is_no_uuid_is_a_server_fault(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken/not-a-uuid")

    assert response.status_code == 500
    assert response.json()["code"] == "error"


def invalid_pairs(response: httpx.Response) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json()["invalidParams"]]


@pytest.mark.parametrize("path", ["/zaken", "/rollen", "/statussen", "/zaakobjecten"])
async def test_request_without_accept_crs_is_412(app: Starlette, path: str) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=ZAKEN, headers=auth()) as bare:
        response = await bare.get(path)

    assert response.status_code == 412
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"] == "'Accept-Crs' header ontbreekt"


async def test_unsupported_accept_crs_is_406(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken", headers={"Accept-Crs": "EPSG:28992"})

    assert response.status_code == 406


async def test_zoek_without_content_crs_is_412(client: httpx.AsyncClient) -> None:
    response = await client.post("/zaken/_zoek", json={BSN_FILTER: BSN})

    assert response.status_code == 412
    assert "Content-Crs" in response.json()["detail"]


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"Authorization": ""}, "permission_denied"),
        ({"Authorization": "Token abc"}, "permission_denied"),
        ({"Authorization": f"Bearer {zgw_token(secret='wrong-secret-of-at-least-32-bytes!')}"},
         "invalid-jwt-signature"),
        (auth(client_id="someone-else"), "permission_denied"),
        (auth(user_id=None), "jwt-missing-claims"),
        ({"Authorization": "Bearer not.a.jwt"}, "jwt-decode-error"),
    ],
)  # fmt: skip
async def test_bad_credentials_are_403_problems(
    client: httpx.AsyncClient, headers: dict[str, str], code: str
) -> None:
    response = await client.get("/zaken", headers=headers)

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/json"
    assert response.json()["code"] == code


async def test_token_issued_over_an_hour_ago_is_rejected_as_expired(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/zaken", headers=auth(iat=int(time.time()) - 3_700))

    assert response.status_code == 403
    assert response.json()["code"] == "jwt-expired"


async def test_token_issued_59_minutes_ago_is_still_accepted(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken", headers=auth(iat=int(time.time()) - 59 * 60))

    assert response.status_code == 200


async def test_token_issued_in_the_future_is_rejected(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken", headers=auth(iat=int(time.time()) + 600))

    assert response.status_code == 403
    assert response.json()["code"] == "jwt-immature"


async def test_expand_resolves_zaaktype_status_and_statustype_from_catalogi(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        "/zaken", params={BSN_FILTER: BSN, "expand": "zaaktype,status,status.statustype"}
    )

    zaak = response.json()["results"][0]
    expanded = zaak["_expand"]
    assert expanded["zaaktype"]["url"] == zaak["zaaktype"]
    assert expanded["status"]["url"] == zaak["status"]
    statustype = expanded["status"]["_expand"]["statustype"]
    assert statustype["url"] == expanded["status"]["statustype"]
    assert statustype["zaaktype"] == zaak["zaaktype"]
    assert (await client.get(statustype["url"])).json() == statustype


async def test_nested_expand_without_its_parent_expands_nothing(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken", params={"expand": "status.statustype"})

    assert response.json()["results"][0]["_expand"] == {}


async def test_unknown_expand_is_400_invalid_choice(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken", params={"expand": "bogus"})

    assert response.status_code == 400
    assert invalid_pairs(response) == [("expand", "invalid_choice")]


async def test_expand_of_what_the_sandbox_keeps_none_of_is_empty(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/zaken", params={"expand": "resultaat,deelzaken", "pageSize": 1})

    assert response.status_code == 200
    assert response.json()["results"][0]["_expand"] == {"resultaat": None, "deelzaken": []}


async def test_unknown_query_parameter_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken", params={"inpBsn": BSN})

    assert response.json()["invalidParams"][0]["code"] == "unknown-parameters"


async def test_organisation_zaken_are_found_by_inn_nnp_id(
    client: httpx.AsyncClient, store: ZakenStore
) -> None:
    filter_name = "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId"
    response = await client.get("/zaken", params={filter_name: "857587973"})

    assert response.json()["count"] == 2
    other = await client.get(
        "/zaken", params={filter_name.replace("innNnpId", "annIdentificatie"): "x"}
    )
    assert other.json()["count"] == 0


async def test_filter_by_identificatie_and_zaaktype(client: httpx.AsyncClient) -> None:
    first = (await client.get("/zaken")).json()["results"][0]

    by_id = await client.get("/zaken", params={"identificatie": first["identificatie"]})
    by_type = await client.get("/zaken", params={"zaaktype": first["zaaktype"], "pageSize": 100})

    assert [z["uuid"] for z in by_id.json()["results"]] == [first["uuid"]]
    assert {z["zaaktype"] for z in by_type.json()["results"]} == {first["zaaktype"]}


async def test_default_order_is_newest_startdatum_first_and_ordering_reverses_it(
    client: httpx.AsyncClient,
) -> None:
    default = (await client.get("/zaken", params={"pageSize": 100})).json()["results"]
    oldest_first = await client.get("/zaken", params={"pageSize": 100, "ordering": "startdatum"})

    starts = [z["startdatum"] for z in default]
    assert starts == sorted(starts, reverse=True)
    assert [z["startdatum"] for z in oldest_first.json()["results"]] == sorted(starts)


async def test_page_size_links_to_the_next_page_and_past_the_end_is_404(
    client: httpx.AsyncClient, store: ZakenStore
) -> None:
    first = (await client.get("/zaken", params={"pageSize": 10})).json()
    second = await client.get(first["next"])
    past = await client.get("/zaken", params={"pageSize": 10, "page": 99})

    assert first["count"] == len(store.zaken) >= 30
    assert second.json()["previous"] is not None
    assert past.status_code == 404


async def test_rollen_are_filtered_by_zaak_and_bsn(client: httpx.AsyncClient) -> None:
    rollen = (
        await client.get(
            "/rollen", params={"betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": BSN}
        )
    ).json()
    zaak_url = rollen["results"][0]["zaak"]

    of_zaak = await client.get("/rollen", params={"zaak": zaak_url})

    assert rollen["count"] >= 4
    assert {r["betrokkeneIdentificatie"]["inpBsn"] for r in rollen["results"]} == {BSN}
    assert [r["zaak"] for r in of_zaak.json()["results"]] == [zaak_url]
    assert of_zaak.json()["results"][0]["betrokkeneIdentificatie"]["geslachtsnaam"] == "Moulin"


async def test_status_of_a_zaak_is_the_latest_and_says_so(client: httpx.AsyncClient) -> None:
    zaak = (await client.get("/zaken", params={BSN_FILTER: BSN})).json()["results"][0]

    status = (await client.get(zaak["status"])).json()
    history = (await client.get("/statussen", params={"zaak": zaak["url"]})).json()["results"]

    assert status["indicatieLaatstGezetteStatus"] is True
    assert status["zaak"] == zaak["url"]
    assert sum(s["indicatieLaatstGezetteStatus"] for s in history) == 1


async def test_zaak_reaching_its_eindstatus_has_an_einddatum(
    client: httpx.AsyncClient, store: ZakenStore
) -> None:
    assert store.catalogi is not None
    ended = [z for z in store.zaken if store.einddatum(z)]
    running = [z for z in store.zaken if not store.einddatum(z)]

    zaak = await client.get(f"/zaken/{ended[0]}", params={"expand": "status,status.statustype"})
    open_zaak = (await client.get(f"/zaken/{running[0]}")).json()

    assert zaak.json()["_expand"]["status"]["_expand"]["statustype"]["isEindstatus"] is True
    assert zaak.json()["einddatum"] is not None
    assert open_zaak["einddatum"] is None


async def test_unknown_zaak_is_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/zaken/{MISSING_UUID}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_new_zaak_gets_an_identificatie_and_can_be_read_back(
    client: httpx.AsyncClient, store: ZakenStore
) -> None:
    zaaktype = (await client.get("/zaken")).json()["results"][0]["zaaktype"]
    body = {
        "bronorganisatie": "002220647",
        "verantwoordelijkeOrganisatie": "002220647",
        "startdatum": "2025-11-03",
        "zaaktype": zaaktype,
        "omschrijving": "Terugbelverzoek over parkeervergunning",
    }

    response = await client.post("/zaken", json=body, headers=WRITE_CRS)

    made = response.json()
    assert response.status_code == 201
    assert response.headers["location"] == made["url"]
    assert made["identificatie"].startswith("ZAAK-2025-")
    assert made["status"] is None
    assert (await client.get(made["url"])).json()["omschrijving"] == body["omschrijving"]
    assert made["uuid"] in store.zaken


async def test_new_zaak_reports_every_bad_field_at_once(client: httpx.AsyncClient) -> None:
    body = {
        "bronorganisatie": "123456789",
        "startdatum": "03-11-2025",
        "zaaktype": f"http://elders/catalogi/api/v1/zaaktypen/{MISSING_UUID}",
        "omschrijving": "x" * 81,
    }

    response = await client.post("/zaken", json=body, headers=WRITE_CRS)

    codes = {p["name"]: p["code"] for p in response.json()["invalidParams"]}
    assert codes == {
        "verantwoordelijkeOrganisatie": "required",
        "bronorganisatie": "invalid",
        "startdatum": "invalid",
        "omschrijving": "max_length",
        "zaaktype": "bad-url",
    }


async def test_new_zaak_with_a_taken_identificatie_is_rejected(client: httpx.AsyncClient) -> None:
    existing = (await client.get("/zaken")).json()["results"][0]
    body = {k: existing[k] for k in ("bronorganisatie", "verantwoordelijkeOrganisatie",
                                      "startdatum", "zaaktype", "identificatie")}  # fmt: skip

    response = await client.post("/zaken", json=body, headers=WRITE_CRS)

    assert response.json()["invalidParams"][0]["code"] == "identificatie-niet-uniek"


async def test_new_zaak_needs_content_crs(client: httpx.AsyncClient) -> None:
    response = await client.post("/zaken", json={})

    assert response.status_code == 412


async def test_urls_follow_the_request_host(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken", headers={"Host": "zaken.example.nl"})

    zaak = response.json()["results"][0]
    assert zaak["url"].startswith("http://zaken.example.nl/zaken/api/v1/zaken/")
    assert zaak["zaaktype"].startswith("http://zaken.example.nl/catalogi/api/v1/zaaktypen/")


async def test_every_response_carries_api_version(client: httpx.AsyncClient) -> None:
    responses = [
        await client.get("/zaken"),
        await client.get(f"/zaken/{MISSING_UUID}"),
        await client.get("/zaken", headers={"Authorization": ""}),
    ]

    assert [r.headers["api-version"] for r in responses] == ["1.5.1"] * 3


def test_demo_content_is_deterministic() -> None:
    one, two = ZakenStore(catalogi=CatalogiStore()), ZakenStore(catalogi=CatalogiStore())
    one.seed_demo()
    two.seed_demo()

    assert sorted(one.zaken) == sorted(two.zaken)
    assert [z["identificatie"] for z in one.zaken.values()] == [
        z["identificatie"] for z in two.zaken.values()
    ]
    assert len(one.catalogus.zaaktypen) >= 5


def test_new_store_is_empty_and_seeding_needs_the_catalogi() -> None:
    store = ZakenStore()

    assert (store.zaken, store.rollen, store.statussen) == ({}, {}, {})
    with pytest.raises(RuntimeError, match="catalogi"):
        store.seed_demo()


def test_base_paths_agree_with_the_sandbox_app() -> None:
    from bff.sandbox.app import BASE_PATHS

    assert BASE_PATHS["zaken"] == zaken.BASE_PATH
    assert BASE_PATHS["catalogi"] == catalogi.BASE_PATH
