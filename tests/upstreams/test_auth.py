"""Auth flows: Token, ZGW JWT (claims, re-mint), API key, and the pluggable BRP scheme."""

from __future__ import annotations

from typing import get_args

import httpx
import jwt
import pytest

from bff.settings import BrpUpstreamSettings, ConfigurationError
from bff.upstreams.auth import (
    BRP_AUTH_SCHEMES,
    ApiKeyAuth,
    TokenAuth,
    ZgwJwtAuth,
    brp_auth,
)
from tests.upstreams.conftest import ZGW_SECRET


def _sent(auth: httpx.Auth) -> httpx.Request:
    request = httpx.Request("GET", "http://x.test/")
    flow = auth.sync_auth_flow(request)
    return next(flow)


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _zgw(clock: Clock, lifetime: float = 600) -> ZgwJwtAuth:
    return ZgwJwtAuth(
        client_id="kcc-bff",
        secret=ZGW_SECRET,
        user_id="mdw-1",
        user_representation="KCC BFF",
        token_lifetime_s=lifetime,
        clock=clock,
    )


def _claims(request: httpx.Request) -> dict[str, object]:
    scheme, token = request.headers["Authorization"].split(" ", 1)
    assert scheme == "Bearer"
    return jwt.decode(token, ZGW_SECRET, algorithms=["HS256"], options={"verify_iat": False})


def test_token_auth_sets_the_token_scheme():
    assert _sent(TokenAuth("abc")).headers["Authorization"] == "Token abc"


def test_api_key_auth_sets_the_named_header():
    request = _sent(ApiKeyAuth("X-API-KEY", "k1"))
    assert request.headers["X-API-KEY"] == "k1"
    assert "Authorization" not in request.headers


def test_zgw_jwt_carries_the_zgw_claims_signed_hs256():
    clock = Clock()
    request = _sent(_zgw(clock))
    token = request.headers["Authorization"].split(" ", 1)[1]
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert _claims(request) == {
        "iss": "kcc-bff",
        "client_id": "kcc-bff",
        "iat": int(clock.now),
        "user_id": "mdw-1",
        "user_representation": "KCC BFF",
    }


def test_zgw_jwt_is_reused_within_its_lifetime_and_reminted_after():
    clock = Clock()
    auth = _zgw(clock, lifetime=600)
    first = _sent(auth).headers["Authorization"]
    clock.now += 599
    assert _sent(auth).headers["Authorization"] == first
    clock.now += 1
    second = _sent(auth)
    assert second.headers["Authorization"] != first
    assert _claims(second)["iat"] == int(clock.now)


def test_zgw_jwt_is_never_older_than_an_hour_whatever_the_lifetime():
    clock = Clock()
    auth = _zgw(clock, lifetime=7200)
    first = _sent(auth).headers["Authorization"]
    clock.now += 3599
    assert _sent(auth).headers["Authorization"] != first


def test_zgw_jwt_from_settings_uses_the_configured_identity():
    from bff.settings import ZgwUpstreamSettings

    settings = ZgwUpstreamSettings(
        base_url="http://openzaak.test/zaken/api/v1",  # type: ignore[arg-type]
        client_id="client-x",
        secret=ZGW_SECRET,  # type: ignore[arg-type]
        user_id="u",
        user_representation="U",
    )
    claims = _claims(_sent(ZgwJwtAuth.from_settings(settings, clock=Clock())))
    assert claims["client_id"] == claims["iss"] == "client-x"
    assert claims["user_id"] == "u"


def _brp(**kwargs: object) -> BrpUpstreamSettings:
    return BrpUpstreamSettings(base_url="http://brp.test/haalcentraal/api/brp", **kwargs)  # type: ignore[arg-type]


def test_brp_api_key_scheme_uses_the_configured_header():
    auth = brp_auth(_brp(auth="api-key", api_key_header="X-Key", api_key="s3"))
    assert auth is not None
    assert _sent(auth).headers["X-Key"] == "s3"


def test_brp_api_key_scheme_without_a_key_names_the_setting():
    with pytest.raises(ConfigurationError, match="BFF_BRP__API_KEY"):
        brp_auth(_brp(auth="api-key"))


def test_brp_none_scheme_sends_no_credentials():
    assert brp_auth(_brp(auth="none")) is None


def test_every_brp_scheme_the_settings_allow_is_registered():
    allowed = set(get_args(BrpUpstreamSettings.model_fields["auth"].annotation))
    assert allowed <= set(BRP_AUTH_SCHEMES)
