"""Common Ground API conventions shared by the ZGW-style sandboxes (vng-api-common behaviour).

Used by the Zaken API 1.5.1 and Catalogi API 1.3.1 sandboxes (Open Zaak 1.30), and for the
headers also by the Objects API 2.6 and Referentielijsten API 0.2 sandboxes:

- ZGW JWT authentication: a client signs its own token with the shared secret (HS256) and
  sends `Authorization: Bearer <JWT>`. Open Zaak accepts it for one hour after `iat`, with a
  little leeway for clock drift; every failure is a 403 with its own `code` (no header or
  another scheme: `permission_denied`; not a JWT: `jwt-decode-error`, as observed). The
  sandbox insists on all claims the BFF promises (`iss`, `client_id`, `iat`, `user_id`,
  `user_representation`), so a client that forgets one fails here first.
- Error bodies have the problem shape but travel as `application/json` (observed on Open
  Zaak 1.30 for every 4xx and 500): `zgw_problem_handler`. A server fault is a 500 with
  `code: error` (`server_fault`).
- `Accept-Crs` / `Content-Crs`: only `EPSG:4326`; a missing header where one is required
  is 412, an unsupported value 406 (`Accept-Crs`) or 415 (`Content-Crs`).
- `API-version` on every response.
- URLs: a service's own URLs are built from the request's origin and mount path; a URL
  into another sandbox service from the origin and that service's base path.
"""

from __future__ import annotations

import re
import time
from typing import Any

import jwt
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bff.sandbox.common import SandboxProblem, invalid
from bff.sandbox.credentials import SandboxCredentials

JWT_EXPIRY_S = 3600
JWT_LEEWAY_S = 5
REQUIRED_CLAIMS = ("iss", "client_id", "iat", "user_id", "user_representation")
CRS = "EPSG:4326"
_UUID_AT_END = re.compile(r"/([0-9a-fA-F-]{36})/?$")
_URL = re.compile(r"^https?://[^\s/?#]+\S*$")


def _denied(code: str, detail: str) -> SandboxProblem:
    return SandboxProblem(403, code, "U heeft geen toegang tot deze actie.", detail)


async def zgw_problem_handler(request: Request, exc: Exception) -> Response:
    """A `SandboxProblem` as Open Zaak sends it: the problem body as `application/json`."""
    if not isinstance(exc, SandboxProblem):  # pragma: no cover - registered for this type only
        raise exc
    response = exc.response(request)
    response.headers["content-type"] = "application/json"
    return response


def server_fault(detail: str) -> SandboxProblem:
    """The 500 Open Zaak answers where it trips over its own code (kept where observed)."""
    return SandboxProblem(500, "error", "Er is een serverfout opgetreden.", detail)


def require_zgw_jwt(request: Request, credentials: SandboxCredentials) -> dict[str, Any]:
    """The validated claims of the request's ZGW JWT; a 403 problem otherwise."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer" or not token.strip():
        raise _denied("permission_denied", "Authenticatiegegevens zijn niet opgegeven.")
    try:
        claims: dict[str, Any] = jwt.decode(
            token.strip(),
            credentials.zgw_secret,
            algorithms=["HS256"],
            leeway=JWT_LEEWAY_S,
            options={"require": ["iat"]},
        )
    except jwt.InvalidSignatureError as exc:
        raise _denied("invalid-jwt-signature", "De JWT-handtekening is ongeldig.") from exc
    except jwt.DecodeError as exc:
        detail = "De JWT kon niet worden gedecodeerd."
        raise _denied("jwt-decode-error", detail) from exc
    except jwt.ImmatureSignatureError as exc:
        raise _denied("jwt-immature", "De JWT is uitgegeven in de toekomst (iat).") from exc
    except jwt.InvalidTokenError as exc:
        raise _denied("jwt-invalid", f"De JWT kon niet worden gelezen: {exc}.") from exc
    missing = [claim for claim in REQUIRED_CLAIMS if claims.get(claim) in (None, "")]
    if missing:
        raise _denied("jwt-missing-claims", f"De JWT mist de claims: {', '.join(missing)}.")
    if claims["client_id"] != credentials.zgw_client_id:
        raise _denied("permission_denied", "Client identifier bestaat niet.")
    if time.time() - float(claims["iat"]) >= JWT_EXPIRY_S + JWT_LEEWAY_S:
        raise _denied("jwt-expired", "De JWT is verlopen: iat is meer dan een uur geleden.")
    return claims


def require_accept_crs(request: Request, *, required: bool = True) -> None:
    value = request.headers.get("Accept-Crs")
    if value is None:
        if required:
            raise SandboxProblem(412, "precondition_failed", "'Accept-Crs' header ontbreekt")
        return
    if value != CRS:
        raise SandboxProblem(406, "not_acceptable", f"CRS '{value}' is niet ondersteund")


def require_content_crs(request: Request) -> None:
    value = request.headers.get("Content-Crs")
    if value is None:
        raise SandboxProblem(412, "precondition_failed", "'Content-Crs' header ontbreekt")
    if value != CRS:
        raise SandboxProblem(415, "unsupported_media_type", f"CRS '{value}' is niet ondersteund")


def own_base(request: Request) -> str:
    """Origin + mount path of the service handling `request`, e.g. `http://h/zaken/api/v1`."""
    return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}"


def service_base(request: Request, base_path: str) -> str:
    """Base URL of another sandbox service mounted at `base_path` next to this one."""
    return f"{str(request.base_url).rstrip('/')}{base_path}"


def uuid_from_url(url: object, collection: str) -> str | None:
    """The uuid at the end of a `.../<collection>/<uuid>` URL, whatever its host."""
    if not isinstance(url, str) or f"/{collection}/" not in url:
        return None
    match = _UUID_AT_END.search(url)
    return match.group(1).lower() if match else None


def checked_url(name: str, value: str) -> str:
    """`value` when it is a URL; else the 400 a URL filter answers (`invalid`)."""
    if not _URL.match(value):
        raise invalid(name, "Voer een geldige URL in.")
    return value


class ApiVersionHeader:
    """Pure ASGI middleware adding `API-version` to every response, as vng-api-common does."""

    def __init__(self, app: ASGIApp, *, version: str) -> None:
        self.app = app
        self.version = version.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"api-version", self.version)]
            await send(message)

        await self.app(scope, receive, send_with_version)
