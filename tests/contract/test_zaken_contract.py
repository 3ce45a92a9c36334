"""The sandbox Zaken API's bodies against Open Zaak 1.30's spec and the VNG Zaken API 1.5.1 spec.

Open Zaak, like every Django service here, sends `""` for an empty optional text field even
where the spec adds a pattern or minimum length (`opdrachtgevendeOrganisatie`,
`inpA_nummer`), so responses are checked with `allow_blank`. `_expand.zaaktype` refers to a
schema outside the Open Zaak file (the Catalogi API on GitHub), so it is taken out and
checked against the Catalogi 1.3.1 `ZaakType` instead.
"""

from __future__ import annotations

import copy
import functools
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
from tests.contract.oas import SKIP_REASON, Spec, load_spec, specs_available, validate_request
from tests.contract.oas import validate_response as check

pytestmark = pytest.mark.skipif(not specs_available(), reason=SKIP_REASON)

CREDENTIALS = SandboxCredentials()
SPECS = ("open-zaak-1.30.0-zaken-openapi.yaml", "zaken-api-1.5.1.openapi.yaml")
BSN_FILTER = "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
# Open Zaak sends `gezetdoor: null` where the VNG file has no `nullable`: its own spec wins.
OPEN_ZAAK_ONLY = {"/statussen": 1, "/statussen/{uuid}": 1}


@functools.cache
def catalogi_spec() -> Spec:
    """Catalogi 1.3.1 with its `ZaakType` responses pointed at the `ZaakType` component.

    The file leaves them unspecified, and types `informatieobjecttypen` as a string where
    Open Zaak sends a list of URLs (as the sandbox does).
    """
    spec = copy.deepcopy(load_spec("catalogi-api-1.3.1.openapi.yaml"))
    detail = spec["paths"]["/zaaktypen/{uuid}"]["get"]["responses"]["200"]["content"]
    detail["application/json"]["schema"] = {"$ref": "#/components/schemas/ZaakType"}
    prop = spec["components"]["schemas"]["ZaakType"]["properties"]["informatieobjecttypen"]
    prop.update(type="array", items={"type": "string", "format": "uri"})
    return spec


def validate(path: str, method: str, status: int, body: Any, *, specs: int = 2) -> None:
    for name in SPECS[:specs]:
        check(load_spec(name), path, method, status, body, allow_blank=True)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    store = ZakenStore(seed=5, catalogi=CatalogiStore(seed=6))
    store.seed_demo()
    assert store.catalogi is not None
    app = Starlette(
        routes=[
            Mount(zaken.BASE_PATH, app=zaken.create_app(store, CREDENTIALS)),
            Mount(catalogi.BASE_PATH, app=catalogi.create_app(store.catalogi, CREDENTIALS)),
        ]
    )
    claims = {
        "iss": "kcc-bff",
        "client_id": CREDENTIALS.zgw_client_id,
        "iat": int(time.time()),
        "user_id": "mdw-1",
        "user_representation": "Mira Medewerker",
    }
    token = jwt.encode(claims, CREDENTIALS.zgw_secret, "HS256")
    headers = {"Authorization": f"Bearer {token}", "Accept-Crs": "EPSG:4326"}
    transport = httpx.ASGITransport(app=app)
    base = "http://sandbox/zaken/api/v1"
    async with httpx.AsyncClient(transport=transport, base_url=base, headers=headers) as made:
        yield made


async def test_zaken_list_matches_the_spec(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken", params={"pageSize": 100})

    validate("/zaken", "get", 200, response.json())


async def test_zaken_with_expanded_status_match_the_spec(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken", params={"expand": "status,status.statustype,rollen"})

    validate("/zaken", "get", 200, response.json(), specs=1)  # expand is Open Zaak's own


async def test_expanded_zaaktype_matches_the_catalogi_zaaktype(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken", params={"expand": "zaaktype"})

    body = response.json()
    zaaktype = body["results"][0]["_expand"].pop("zaaktype")
    for zaak in body["results"]:
        zaak["_expand"].pop("zaaktype", None)
    validate("/zaken", "get", 200, body, specs=1)
    check(catalogi_spec(), "/zaaktypen/{uuid}", "get", 200, zaaktype, allow_blank=True)


async def test_zoek_request_and_response_match_the_spec(client: httpx.AsyncClient) -> None:
    body = {BSN_FILTER: "999993653", "zaaktype__in": []}

    response = await client.post("/zaken/_zoek", json=body, headers=CRS)

    for name in SPECS:
        validate_request(load_spec(name), "/zaken/_zoek", "post", body)
    validate("/zaken/_zoek", "post", 200, response.json())


async def test_zaak_detail_and_its_parts_match_the_spec(client: httpx.AsyncClient) -> None:
    zaak = (await client.get("/zaken", params={BSN_FILTER: "999993653"})).json()["results"][0]

    detail = await client.get(zaak["url"])
    status = await client.get(zaak["status"])
    rol = await client.get(zaak["rollen"][0])

    validate("/zaken/{uuid}", "get", 200, detail.json())
    validate("/statussen/{uuid}", "get", 200, status.json(), specs=1)  # see OPEN_ZAAK_ONLY
    validate("/rollen/{uuid}", "get", 200, rol.json())


@pytest.mark.parametrize("path", ["/rollen", "/statussen", "/zaakobjecten"])
async def test_listings_match_the_spec(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path, params={"pageSize": 500})

    assert response.json()["count"] > 0
    validate(path, "get", 200, response.json(), specs=OPEN_ZAAK_ONLY.get(path, 2))


async def test_new_zaak_request_and_response_match_the_spec(client: httpx.AsyncClient) -> None:
    zaaktype = (await client.get("/zaken")).json()["results"][0]["zaaktype"]
    body = {
        "bronorganisatie": "002220647",
        "verantwoordelijkeOrganisatie": "002220647",
        "startdatum": "2025-11-03",
        "zaaktype": zaaktype,
        "omschrijving": "Vraag over parkeervergunning",
    }

    response = await client.post("/zaken", json=body, headers=CRS)

    for name in SPECS:
        validate_request(load_spec(name), "/zaken", "post", body)
    validate("/zaken", "post", 201, response.json())


async def test_error_bodies_match_the_spec(client: httpx.AsyncClient) -> None:
    bad_request = await client.post("/zaken", json={"startdatum": "x"}, headers=CRS)
    forbidden = await client.get("/zaken", headers={"Authorization": ""})
    not_found = await client.get("/zaken/00000000-0000-4000-8000-000000000000")
    no_crs = await client.post("/zaken/_zoek", json={})

    validate("/zaken", "post", 400, bad_request.json())
    validate("/zaken", "get", 403, forbidden.json())
    validate("/zaken/{uuid}", "get", 404, not_found.json())
    validate("/zaken/_zoek", "post", 412, no_crs.json())
