"""The demo issuer: discovery, keys, tokens for demo medewerkers, and demo-mode wiring."""

from __future__ import annotations

import httpx
import pytest

from bff.auth.oidc import OidcVerifier
from bff.sandbox.issuer import DEMO_MEDEWERKERS, DemoIssuer, describe_token_request
from bff.settings import AuthSettings
from tests.auth.conftest import BffFactory
from tests.helpers.auth import auth_settings

DEMO_AUTH = {"issuer": "http://bff.test/oidc", "jwks_url": "http://bff.test/oidc/jwks"}


async def issuer_client(issuer: DemoIssuer) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=issuer.app()), base_url="http://issuer.test"
    )


async def test_discovery_and_jwks(issuer: DemoIssuer) -> None:
    async with await issuer_client(issuer) as client:
        discovery = (await client.get("/.well-known/openid-configuration")).json()
        jwks = (await client.get("/jwks")).json()
    assert discovery["issuer"] == issuer.url
    assert discovery["jwks_uri"] == issuer.jwks_url
    (key,) = jwks["keys"]
    assert (key["kid"], key["kty"], key["alg"], key["use"]) == (issuer.kid, "RSA", "RS256", "sig")
    assert "d" not in key, "the private part never leaves the issuer"


@pytest.mark.parametrize("as_json", [False, True])
async def test_token_endpoint_issues_a_verifiable_token(issuer: DemoIssuer, as_json: bool) -> None:
    async with await issuer_client(issuer) as client:
        if as_json:
            response = await client.post("/token", json={"medewerker": "mdw-bram"})
        else:
            response = await client.post("/token", data={"medewerker": "mdw-bram"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    transport = httpx.MockTransport(lambda _: httpx.Response(200, json=issuer.jwks()))
    verifier = OidcVerifier(AuthSettings(**auth_settings(issuer)), transport=transport)
    try:
        medewerker = await verifier.authenticate(f"Bearer {body['access_token']}")
    finally:
        await verifier.aclose()
    assert (medewerker.subject, medewerker.naam) == ("mdw-bram", "Bram Jansen")
    assert {r.value for r in medewerker.roles} == {"kcc-medewerker", "kcc-vertrouwelijk"}


@pytest.mark.parametrize(
    "kwargs",
    [{"data": {"medewerker": "nobody"}}, {"json": {"medewerker": 1}}, {"content": b"{"}],
)
async def test_token_endpoint_refuses_unknown_medewerkers(
    issuer: DemoIssuer, kwargs: dict[str, object]
) -> None:
    async with await issuer_client(issuer) as client:
        response = await client.post("/token", **kwargs)  # type: ignore[arg-type]  # test matrix
    assert response.status_code == 400
    assert "mdw-anna" in response.json()["error_description"]


class SelfTransport(httpx.AsyncBaseTransport):
    """Sends the BFF's own JWKS fetch back into the app under test (as the demo does)."""

    def __init__(self) -> None:
        self.client: httpx.AsyncClient | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert self.client is not None
        response = await self.client.send(request)
        return httpx.Response(
            response.status_code, headers=response.headers, content=response.content
        )


async def test_demo_mode_serves_the_issuer_and_accepts_its_tokens(bff: BffFactory) -> None:
    loop = SelfTransport()
    async with bff(environment="demo", auth=DEMO_AUTH, transport=loop) as (client, _):
        loop.client = client
        issued = await client.post("/oidc/token", data={"medewerker": "mdw-bram"})
        token = issued.json()["access_token"]
        response = await client.get(
            "/api/v1/_test/whoami", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200
    assert response.json()["vertrouwelijk"] is True


async def test_issuer_is_not_mounted_outside_demo_mode(bff: BffFactory) -> None:
    async with bff() as (client, _):
        response = await client.post("/oidc/token", data={"medewerker": "mdw-anna"})
    assert response.status_code == 404


def test_demo_instructions_name_the_token_endpoint_and_every_demo_medewerker() -> None:
    text = describe_token_request("http://127.0.0.1:8080/oidc/")
    assert "curl -s -X POST http://127.0.0.1:8080/oidc/token -d medewerker=mdw-anna" in text
    assert all(m.subject in text for m in DEMO_MEDEWERKERS)
