"""Authentication of upstream calls, as `httpx.Auth` flows attached to each long-lived client.

    TokenAuth     Open Klant, Objects API        `Authorization: Token <key>`
    ZgwJwtAuth    Open Zaak (Zaken, Catalogi)    `Authorization: Bearer <HS256 JWT>` (ZGW auth)
    ApiKeyAuth    BRP test environments          `<header>: <key>`

BRP authentication differs per deployment (an API key in test environments, OAuth2
client credentials with mTLS in production), so `brp_auth` looks the scheme named in
the settings up in `BRP_AUTH_SCHEMES`; a new scheme is one more entry there.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator

import httpx
import jwt

from bff.settings import BrpUpstreamSettings, ConfigurationError, ZgwUpstreamSettings

MAX_TOKEN_AGE_S = 3600  # Open Zaak rejects a JWT whose `iat` is older than an hour.
REMINT_MARGIN_S = 60  # never hand out a token closer than this to the hard limit


class TokenAuth(httpx.Auth):
    """`Authorization: Token <key>` (Django REST framework token auth)."""

    def __init__(self, token: str) -> None:
        self._header = f"Token {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class ApiKeyAuth(httpx.Auth):
    """A fixed API key in a named header."""

    def __init__(self, header: str, key: str) -> None:
        self._header = header
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._key
        yield request


class ZgwJwtAuth(httpx.Auth):
    """A ZGW JWT: HS256 with the client secret, claims `iss`, `client_id`, `iat`, user.

    The token is minted once and re-minted when it is `token_lifetime_s` old (capped
    well below the hour after which Open Zaak rejects it). `clock` is the test seam.
    """

    def __init__(
        self,
        *,
        client_id: str,
        secret: str,
        user_id: str,
        user_representation: str,
        token_lifetime_s: float = 600,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client_id = client_id
        self._secret = secret
        self._user_id = user_id
        self._user_representation = user_representation
        self._lifetime_s = min(token_lifetime_s, MAX_TOKEN_AGE_S - REMINT_MARGIN_S)
        self._clock = clock
        self._token: str | None = None
        self._minted_at = 0.0

    @classmethod
    def from_settings(
        cls, settings: ZgwUpstreamSettings, *, clock: Callable[[], float] = time.time
    ) -> ZgwJwtAuth:
        return cls(
            client_id=settings.client_id,
            secret=settings.secret.get_secret_value(),
            user_id=settings.user_id,
            user_representation=settings.user_representation,
            token_lifetime_s=settings.token_lifetime_s,
            clock=clock,
        )

    def token(self) -> str:
        """The current token, minted anew when the old one has reached its lifetime."""
        now = self._clock()
        if self._token is None or now - self._minted_at >= self._lifetime_s:
            self._minted_at = now
            self._token = jwt.encode(
                {
                    "iss": self._client_id,
                    "client_id": self._client_id,
                    "iat": int(now),
                    "user_id": self._user_id,
                    "user_representation": self._user_representation,
                },
                self._secret,
                algorithm="HS256",
            )
        return self._token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        yield request


# -- BRP: pluggable ----------------------------------------------------------------------

BrpAuthFactory = Callable[[BrpUpstreamSettings], httpx.Auth | None]


def _brp_api_key(settings: BrpUpstreamSettings) -> httpx.Auth:
    if settings.api_key is None:
        raise ConfigurationError(
            "Invalid configuration:\n  brp.api_key (BFF_BRP__API_KEY): required when brp.auth "
            "is 'api-key'"
        )
    return ApiKeyAuth(settings.api_key_header, settings.api_key.get_secret_value())


def _brp_none(settings: BrpUpstreamSettings) -> None:
    return None


BRP_AUTH_SCHEMES: dict[str, BrpAuthFactory] = {
    "api-key": _brp_api_key,
    "none": _brp_none,
    # "oauth2": an OAuth2 client-credentials flow goes here when a deployment needs it.
}


def brp_auth(settings: BrpUpstreamSettings) -> httpx.Auth | None:
    """The auth flow for the BRP scheme named in `settings.auth`."""
    try:
        factory = BRP_AUTH_SCHEMES[settings.auth]
    except KeyError:
        known = ", ".join(sorted(BRP_AUTH_SCHEMES))
        raise ConfigurationError(
            f"Invalid configuration:\n  brp.auth (BFF_BRP__AUTH): unknown scheme "
            f"{settings.auth!r}; known: {known}"
        ) from None
    return factory(settings)
