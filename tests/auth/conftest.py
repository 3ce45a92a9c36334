"""Fixtures for the auth and privacy tests: an issuer, a verifier, and a BFF with test routes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from bff.auth.identity import Role, can_read_vertrouwelijk, current_medewerker, require_role
from bff.auth.oidc import OidcVerifier
from bff.http import parse_body
from bff.privacy.processing import DataSubject
from bff.privacy.recorder import record_processing
from bff.sandbox.issuer import DemoIssuer
from bff.settings import AuthSettings, Settings
from tests.helpers.auth import auth_settings, make_issuer, security_settings, with_issuer


@pytest.fixture
def issuer() -> DemoIssuer:
    return make_issuer()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def verifier(issuer: DemoIssuer, clock: Clock) -> AsyncIterator[OidcVerifier]:
    transport = httpx.ASGITransport(app=with_issuer(Starlette(), issuer))
    made = OidcVerifier(AuthSettings(**auth_settings(issuer)), transport=transport, clock=clock)
    yield made
    await made.aclose()


def upstream_settings() -> dict[str, Any]:
    """Upstream sections pointing nowhere in particular: these tests make no upstream call."""
    zgw = {"client_id": "kcc-bff", "secret": "s" * 32}
    return {
        "klantinteracties": {"base_url": "http://up.test/klantinteracties/api/v1", "token": "t"},
        "zaken": {"base_url": "http://up.test/zaken/api/v1", **zgw},
        "catalogi": {"base_url": "http://up.test/catalogi/api/v1", **zgw},
        "brp": {"base_url": "http://up.test/haalcentraal/api/brp", "auth": "none"},
        "objecten": {
            "base_url": "http://up.test/objecten/api/v2",
            "token": "t",
            "productaanvraag_objecttype_url": "http://up.test/objecttypes/api/v2/objecttypes/1",
        },
        "referentielijsten": {"base_url": "http://up.test/referentielijsten/api/v1"},
        "medewerker_actor": {"telefoonnummer": "0201234500"},
    }


def make_settings(issuer: DemoIssuer, log_dir: Path | None = None, **overrides: Any) -> Settings:
    values = {
        "environment": "test",
        "registration": {"store": "memory"},
        **upstream_settings(),
    }
    return Settings(**{**values, **security_settings(issuer, log_dir), **overrides})


class Zoek(BaseModel):
    bsns: list[str]


async def whoami(request: Request) -> Response:
    m = current_medewerker(request)
    return JSONResponse(
        {
            "subject": m.subject,
            "naam": m.naam,
            "email": m.email,
            "roles": sorted(m.roles),
            "vertrouwelijk": can_read_vertrouwelijk(m),
        }
    )


async def vertrouwelijk(request: Request) -> Response:
    require_role(request, Role.VERTROUWELIJK)
    return JSONResponse({"ok": True})


async def zoek(request: Request) -> Response:
    body = await parse_body(request, Zoek)
    subjects = [DataSubject.bsn(bsn) for bsn in body.bsns]
    await record_processing(request, "personen_zoeken", subjects, action="search")
    return JSONResponse({"gevonden": len(subjects)})


TEST_ROUTES = [
    Route("/api/v1/_test/whoami", whoami),
    Route("/api/v1/_test/vertrouwelijk", vertrouwelijk),
    Route("/api/v1/_test/zoek", zoek, methods=["POST"]),
]

BffFactory = Callable[..., AbstractAsyncContextManager[tuple[httpx.AsyncClient, Any]]]


@pytest.fixture
def bff(issuer: DemoIssuer) -> BffFactory:
    """`async with bff(**settings_overrides) as (client, services)`: a BFF with test routes.

    The upstreams and the JWKS URL are served by `transport`: by default only the
    test issuer (at http://issuer.test/oidc), so no upstream call can succeed.
    """

    @asynccontextmanager
    async def start(
        log_dir: Path | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        **overrides: Any,
    ) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
        from bff.app import create_app  # imported late: it needs every upstream module

        transport = transport or httpx.ASGITransport(app=with_issuer(Starlette(), issuer))
        app = create_app(make_settings(issuer, log_dir, **overrides), transport=transport)
        app.router.routes.extend(TEST_ROUTES)  # test-only routes under /api/v1
        async with app.router.lifespan_context(app) as state:
            assert state is not None
            services = state["services"]

            async def with_state(scope: Scope, receive: Receive, send: Send) -> None:
                scope["state"] = dict(state)
                await app(scope, receive, send)

            client_transport = httpx.ASGITransport(app=with_state)
            async with httpx.AsyncClient(
                transport=client_transport, base_url="http://bff.test"
            ) as client:
                yield client, services

    return start
