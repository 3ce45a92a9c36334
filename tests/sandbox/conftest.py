"""Fixtures for the sandbox tests: the Klantinteracties sandbox behind an httpx client.

The client talks to the sandbox the way the BFF will: through `httpx.ASGITransport`, at
`http://sandbox/klantinteracties/api/v1`, with the sandbox token. When the whole
`bff.sandbox.app.Sandbox` imports, it is used; otherwise the Klantinteracties app alone is
mounted at the same base path.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.klantinteracties import KlantinteractiesStore, create_app

KI_BASE = "http://sandbox/klantinteracties/api/v1"
KI_TOKEN = {"Authorization": f"Token {SandboxCredentials().klantinteracties_token}"}
BSN = "999993653"


def _app() -> tuple[Starlette, KlantinteractiesStore]:
    try:
        from bff.sandbox.app import Sandbox  # imported late: other upstreams may be unfinished
    except ImportError:
        store = KlantinteractiesStore()
        inner = create_app(store, SandboxCredentials())
        return Starlette(routes=[Mount("/klantinteracties/api/v1", app=inner)]), store
    sandbox = Sandbox()
    return sandbox.asgi(), sandbox.klantinteracties


@pytest.fixture
def ki_app() -> tuple[Starlette, KlantinteractiesStore]:
    return _app()


@pytest.fixture
def ki_store(ki_app: tuple[Starlette, KlantinteractiesStore]) -> KlantinteractiesStore:
    return ki_app[1]


@pytest.fixture
async def ki(ki_app: tuple[Starlette, KlantinteractiesStore]) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=ki_app[0])
    async with httpx.AsyncClient(transport=transport, base_url=KI_BASE, headers=KI_TOKEN) as client:
        yield client


class KiBuilder:
    """Makes valid Klantinteracties records through the API; tests vary one thing at a time."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post(path, json=body)
        assert response.status_code == 201, response.text
        made: dict[str, Any] = response.json()
        return made

    async def partij(self, bsn: str | None = None, **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"soortPartij": "persoon", "indicatieActief": True, **fields}
        if bsn is not None:
            body["partijIdentificatoren"] = [bsn_identificator(bsn)]
        return await self.post("/partijen", body)

    async def klantcontact(self, **fields: Any) -> dict[str, Any]:
        body = {"kanaal": "telefoon", "onderwerp": "Afval", "taal": "nld", "vertrouwelijk": False}
        return await self.post("/klantcontacten", {**body, **fields})

    async def betrokkene(
        self, klantcontact: str, partij: str | None, **fields: Any
    ) -> dict[str, Any]:
        body = {
            "hadKlantcontact": {"uuid": klantcontact},
            "wasPartij": None if partij is None else {"uuid": partij},
            "rol": "klant",
            "initiator": True,
        }
        return await self.post("/betrokkenen", {**body, **fields})

    async def actor(self, object_id: str = "mdw-1", **fields: Any) -> dict[str, Any]:
        body = {
            "naam": "Mira Medewerker",
            "soortActor": "medewerker",
            "actoridentificator": {
                "objectId": object_id,
                "codeObjecttype": "mdw",
                "codeRegister": "msei",
                "codeSoortObjectId": "email",
            },
            "actorIdentificatie": {"functie": "KCC", "telefoonnummer": "0201234567"},
        }
        return await self.post("/actoren", {**body, **fields})

    async def adres(self, **fields: Any) -> dict[str, Any]:
        body = {
            "adres": "jan@example.nl",
            "soortDigitaalAdres": "email",
            "verstrektDoorPartij": None,
        }
        return await self.post("/digitaleadressen", {**body, **fields})

    async def internetaak(
        self, klantcontact: str, actoren: list[str], **fields: Any
    ) -> dict[str, Any]:
        body = {
            "aanleidinggevendKlantcontact": {"uuid": klantcontact},
            "gevraagdeHandeling": "Terugbellen",
            "toegewezenAanActoren": [{"uuid": a} for a in actoren],
            "status": "te_verwerken",
        }
        return await self.post("/internetaken", {**body, **fields})


def bsn_identificator(bsn: str = BSN) -> dict[str, Any]:
    return {
        "partijIdentificator": {
            "codeObjecttype": "natuurlijk_persoon",
            "codeSoortObjectId": "bsn",
            "objectId": bsn,
            "codeRegister": "brp",
        }
    }


@pytest.fixture
def make(ki: httpx.AsyncClient) -> KiBuilder:
    return KiBuilder(ki)


def invalid_params(response: httpx.Response) -> dict[str, str]:
    """invalidParams of a 400 as {name: code}."""
    assert response.status_code == 400, response.text
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}
