"""A small OpenID Connect issuer for the demo and the tests: real keys, real signed tokens.

    GET  /.well-known/openid-configuration   discovery document
    GET  /jwks                               the public key (RSA, generated at start)
    POST /token                              a token for a demo medewerker:
                                             form `medewerker=<subject>` or JSON
                                             {"medewerker": "<subject>"}

It is mounted at `/oidc` only in demo mode (`environment = "demo"`) or by tests; it
hands out tokens to anyone who asks, so it must never run next to real data.
`mint_token(issuer, subject, ...)` signs a token in-process; tests use it (through
`tests/helpers/auth.py`) to craft valid and deliberately broken tokens.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

DEFAULT_ROLES: tuple[str, ...] = ("kcc-medewerker",)


@dataclass(frozen=True)
class DemoMedewerker:
    subject: str
    naam: str
    email: str
    roles: tuple[str, ...]


DEMO_MEDEWERKERS: tuple[DemoMedewerker, ...] = (
    DemoMedewerker("mdw-anna", "Anna de Vries", "anna.devries@gemeente.example", DEFAULT_ROLES),
    DemoMedewerker(
        "mdw-bram",
        "Bram Jansen",
        "bram.jansen@gemeente.example",
        ("kcc-medewerker", "kcc-vertrouwelijk"),
    ),
    DemoMedewerker("mdw-chantal", "Chantal Bakker", "chantal.bakker@gemeente.example", ()),
)


def generate_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class DemoIssuer:
    """Keys and settings of one demo issuer; `app()` serves it over HTTP."""

    def __init__(
        self,
        url: str,
        *,
        audience: str = "kcc-bff",
        roles_claim: str = "roles",
        lifetime_s: int = 3600,
        key: rsa.RSAPrivateKey | None = None,
        kid: str | None = None,
        medewerkers: Sequence[DemoMedewerker] = DEMO_MEDEWERKERS,
    ) -> None:
        self.url = url.rstrip("/")
        self.audience = audience
        self.roles_claim = roles_claim
        self.lifetime_s = lifetime_s
        self.key = key or generate_key()
        self.kid = kid or f"demo-{secrets.token_hex(4)}"
        self.medewerkers = {m.subject: m for m in medewerkers}

    @property
    def jwks_url(self) -> str:
        return self.url + "/jwks"

    def jwks(self) -> dict[str, Any]:
        jwk: dict[str, Any] = jwt.algorithms.RSAAlgorithm.to_jwk(
            self.key.public_key(), as_dict=True
        )
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "jwks_uri": self.jwks_url,
            "token_endpoint": self.url + "/token",
            "response_types_supported": ["token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "grant_types_supported": ["urn:kcc-bff:demo-medewerker"],
        }

    def token_for(self, subject: str) -> str:
        """A token for one of the demo medewerkers (KeyError for an unknown subject)."""
        m = self.medewerkers[subject]
        return mint_token(self, m.subject, roles=m.roles, naam=m.naam, email=m.email)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery, methods=["GET"]),
                Route("/jwks", self._jwks, methods=["GET"]),
                Route("/token", self._token, methods=["POST"]),
            ]
        )

    async def _discovery(self, request: Request) -> Response:
        return JSONResponse(self.discovery())

    async def _jwks(self, request: Request) -> Response:
        return JSONResponse(self.jwks(), headers={"Cache-Control": "max-age=300"})

    async def _token(self, request: Request) -> Response:
        body = await request.body()
        subject: Any = None
        if len(body) <= 4096:
            if "json" in request.headers.get("content-type", ""):
                try:
                    parsed = json.loads(body or b"{}")
                except ValueError:
                    parsed = {}
                subject = parsed.get("medewerker") if isinstance(parsed, dict) else None
            else:
                values = parse_qs(body.decode("latin-1")).get("medewerker", [])
                subject = values[0] if values else None
        if not isinstance(subject, str) or subject not in self.medewerkers:
            known = ", ".join(self.medewerkers)
            return JSONResponse(
                {"error": "invalid_request", "error_description": f"medewerker is one of: {known}"},
                status_code=400,
            )
        return JSONResponse(
            {
                "access_token": self.token_for(subject),
                "token_type": "Bearer",
                "expires_in": self.lifetime_s,
            },
            headers={"Cache-Control": "no-store"},
        )


def mint_token(
    issuer: DemoIssuer,
    subject: str,
    *,
    roles: Sequence[str] = DEFAULT_ROLES,
    naam: str | None = "Demo Medewerker",
    email: str | None = "demo.medewerker@gemeente.example",
    lifetime_s: int | None = None,
    now: float | None = None,
    claims: Mapping[str, Any] | None = None,
    header: Mapping[str, Any] | None = None,
    key: rsa.RSAPrivateKey | None = None,
) -> str:
    """A token signed RS256 by `issuer` (or by `key`, to forge one).

    `claims` and `header` override the defaults; a None value removes that entry, so
    `header={"kid": None}` drops the key id and `claims={"exp": None}` the expiry.
    """
    issued = int(time.time() if now is None else now)
    body: dict[str, Any] = {
        "iss": issuer.url,
        "aud": issuer.audience,
        "sub": subject,
        "iat": issued,
        "nbf": issued,
        "exp": issued + (issuer.lifetime_s if lifetime_s is None else lifetime_s),
        "jti": secrets.token_hex(8),
        "name": naam,
        "email": email,
    }
    _put(body, issuer.roles_claim, list(roles))
    body.update(claims or {})
    headers = {"kid": issuer.kid, **(header or {})}
    return jwt.encode(
        {k: v for k, v in body.items() if v is not None},
        key or issuer.key,
        algorithm="RS256",
        headers={k: v for k, v in headers.items() if v is not None},
    )


def _put(claims: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted claim path (`realm_access.roles`)."""
    *parents, last = path.split(".")
    node = claims
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def demo_auth_settings(issuer_url: str) -> dict[str, Any]:
    """The `auth` settings that make the BFF trust a demo issuer at `issuer_url`."""
    url = issuer_url.rstrip("/")
    return {"issuer": url, "jwks_url": url + "/jwks", "audience": "kcc-bff"}


def describe_token_request(issuer_url: str) -> str:
    """How to get a demo token, for `bff demo` to print."""
    url = issuer_url.rstrip("/")
    lines = [f"Demo tokens (valid 1 hour) from {url}/token, e.g.:"]
    lines.append(f"  curl -s -X POST {url}/token -d medewerker={DEMO_MEDEWERKERS[0].subject}")
    lines.append("  then send: Authorization: Bearer <access_token>")
    lines.append("Demo medewerkers:")
    for m in DEMO_MEDEWERKERS:
        roles = ", ".join(m.roles) or "no KCC role: gets 403"
        lines.append(f"  {m.subject:<12} {m.naam:<16} {roles}")
    return "\n".join(lines)
