"""Real signed bearer tokens for tests, from an in-process demo issuer.

    issuer = make_issuer()                                # one RSA key per test session
    settings = Settings(..., **security_settings(issuer))    # auth + privacy sections
    transport = httpx.ASGITransport(app=with_issuer(sandbox.asgi(), issuer))
    app = create_app(settings, transport=transport)       # JWKS fetched through `transport`
    await client.get("/api/v1/...", headers=bearer(issuer))                    # kcc-medewerker
    await client.get(..., headers=bearer(issuer, roles=VERTROUWELIJK_ROLES))  # + confidential

With a respx router as the transport, serve the keys yourself:
`router.get(issuer.jwks_url).respond(json=issuer.jwks())`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.types import ASGIApp

from bff.sandbox.issuer import DemoIssuer, demo_auth_settings, generate_key, mint_token

ISSUER_URL = "http://issuer.test/oidc"
PSEUDONYMISATION_KEY = "test-pseudonymisation-key-0123456789abcdef"
MEDEWERKER_ROLES: tuple[str, ...] = ("kcc-medewerker",)
VERTROUWELIJK_ROLES: tuple[str, ...] = ("kcc-medewerker", "kcc-vertrouwelijk")


@functools.cache
def session_key() -> rsa.RSAPrivateKey:
    """One RSA key for the whole run: generating one takes a noticeable moment."""
    return generate_key()


def make_issuer(url: str = ISSUER_URL, **kwargs: Any) -> DemoIssuer:
    kwargs.setdefault("key", session_key())
    kwargs.setdefault("kid", "test-key-1")
    return DemoIssuer(url, **kwargs)


def auth_settings(issuer: DemoIssuer, **overrides: Any) -> dict[str, Any]:
    """The `auth` section trusting `issuer`."""
    return {**demo_auth_settings(issuer.url), "audience": issuer.audience, **overrides}


def privacy_settings(log_dir: Path | None = None, **overrides: Any) -> dict[str, Any]:
    """The `privacy` section: in-memory sinks, or JSON-lines files under `log_dir`."""
    section: dict[str, Any] = {"pseudonymisation_key": PSEUDONYMISATION_KEY, "sink": "memory"}
    if log_dir is not None:
        section.update(
            sink="jsonl",
            processing_log_path=log_dir / "verwerkingen.jsonl",
            audit_log_path=log_dir / "audit.jsonl",
        )
    return {**section, **overrides}


def security_settings(issuer: DemoIssuer, log_dir: Path | None = None) -> dict[str, Any]:
    """`auth` and `privacy` keyword arguments for `Settings(...)`."""
    return {"auth": auth_settings(issuer), "privacy": privacy_settings(log_dir)}


def token(
    issuer: DemoIssuer,
    *,
    roles: Sequence[str] = MEDEWERKER_ROLES,
    subject: str = "mdw-test",
    naam: str | None = "Test Medewerker",
    email: str | None = "test.medewerker@gemeente.example",
    **kwargs: Any,
) -> str:
    return mint_token(issuer, subject, roles=roles, naam=naam, email=email, **kwargs)


def bearer(
    issuer: DemoIssuer, *, roles: Sequence[str] = MEDEWERKER_ROLES, **kwargs: Any
) -> dict[str, str]:
    """`Authorization` headers for a medewerker with `roles`; kwargs as for `mint_token`."""
    return {"Authorization": f"Bearer {token(issuer, roles=roles, **kwargs)}"}


def with_issuer(app: ASGIApp, issuer: DemoIssuer) -> ASGIApp:
    """`app` with the issuer mounted at its URL path, for one ASGI test transport."""
    path = urlsplit(issuer.url).path
    return Starlette(routes=[Mount(path, app=issuer.app()), Mount("", app=app)])
