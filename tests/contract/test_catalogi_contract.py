"""The sandbox Catalogi API's bodies against the VNG Catalogi API 1.3.1 spec.

The 1.3.1 file leaves the zaaktype responses unspecified and types a zaaktype's
`informatieobjecttypen` as a string where Open Zaak sends a list of URLs; the checks use
a copy pointing those responses at the `ZaakType` component, with that one field a list.
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

from bff.sandbox import catalogi
from bff.sandbox.catalogi import CatalogiStore
from bff.sandbox.credentials import SandboxCredentials
from tests.contract.oas import SKIP_REASON, Spec, load_spec, specs_available, validate_response

pytestmark = pytest.mark.skipif(not specs_available(), reason=SKIP_REASON)

CREDENTIALS = SandboxCredentials()


@functools.cache
def spec() -> Spec:
    patched = copy.deepcopy(load_spec("catalogi-api-1.3.1.openapi.yaml"))
    zaaktype = {"$ref": "#/components/schemas/ZaakType"}
    for path, key in (("/zaaktypen/{uuid}", None), ("/zaaktypen", "results")):
        content = patched["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        if key is None:
            content["schema"] = zaaktype
        else:
            content["schema"]["properties"][key]["items"] = zaaktype
    prop = patched["components"]["schemas"]["ZaakType"]["properties"]["informatieobjecttypen"]
    prop.update(type="array", items={"type": "string", "format": "uri"})
    return patched


def validate(path: str, status: int, body: Any) -> None:
    validate_response(spec(), path, "get", status, body, allow_blank=True)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    store = CatalogiStore(seed=7)
    store.seed_demo()
    app = Starlette(routes=[Mount(catalogi.BASE_PATH, app=catalogi.create_app(store, CREDENTIALS))])
    claims = {
        "iss": "kcc-bff",
        "client_id": CREDENTIALS.zgw_client_id,
        "iat": int(time.time()),
        "user_id": "mdw-1",
        "user_representation": "Mira Medewerker",
    }
    headers = {"Authorization": f"Bearer {jwt.encode(claims, CREDENTIALS.zgw_secret, 'HS256')}"}
    transport = httpx.ASGITransport(app=app)
    base = "http://sandbox/catalogi/api/v1"
    async with httpx.AsyncClient(transport=transport, base_url=base, headers=headers) as made:
        yield made


@pytest.mark.parametrize(
    ("listing", "detail"),
    [
        ("/zaaktypen", "/zaaktypen/{uuid}"),
        ("/statustypen", "/statustypen/{uuid}"),
        ("/roltypen", "/roltypen/{uuid}"),
        ("/catalogussen", "/catalogussen/{uuid}"),
    ],
)
async def test_listings_and_details_match_the_spec(
    client: httpx.AsyncClient, listing: str, detail: str
) -> None:
    page = (await client.get(listing)).json()
    one = (await client.get(page["results"][0]["url"])).json()

    validate(listing, 200, page)
    validate(detail, 200, one)
    assert one == page["results"][0]


async def test_error_bodies_match_the_spec(client: httpx.AsyncClient) -> None:
    forbidden = await client.get("/zaaktypen", headers={"Authorization": ""})
    not_found = await client.get("/statustypen/00000000-0000-4000-8000-000000000000")
    bad_request = await client.get("/zaaktypen", params={"status": "x"})

    validate("/zaaktypen", 403, forbidden.json())
    validate("/statustypen/{uuid}", 404, not_found.json())
    validate("/zaaktypen", 400, bad_request.json())
