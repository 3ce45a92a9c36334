"""OidcVerifier: every way a token can be wrong ends in a 401 with a clear detail."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest
import respx

from bff.auth.identity import Role
from bff.auth.oidc import OidcVerifier, bearer_token
from bff.errors import Unauthenticated, UpstreamUnavailable
from bff.sandbox.issuer import DemoIssuer, generate_key, mint_token
from bff.settings import AuthSettings
from tests.auth.conftest import Clock
from tests.helpers.auth import auth_settings, make_issuer, token


async def rejected(verifier: OidcVerifier, raw: str) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as caught:
        await verifier.authenticate(f"Bearer {raw}")
    assert caught.value.headers["WWW-Authenticate"].startswith('Bearer realm="kcc-bff"')
    assert 'error="invalid_token"' in caught.value.headers["WWW-Authenticate"]
    return caught.value


async def test_valid_token_yields_the_medewerker_with_bff_roles(
    verifier: OidcVerifier, issuer: DemoIssuer
) -> None:
    raw = token(issuer, roles=["kcc-medewerker", "kcc-vertrouwelijk", "other"], subject="mdw-1")
    medewerker = await verifier.authenticate(f"Bearer {raw}")
    assert medewerker.subject == "mdw-1"
    assert medewerker.naam == "Test Medewerker"
    assert medewerker.email == "test.medewerker@gemeente.example"
    assert medewerker.roles == {Role.MEDEWERKER, Role.VERTROUWELIJK}


async def test_bearer_scheme_is_case_insensitive(
    verifier: OidcVerifier, issuer: DemoIssuer
) -> None:
    assert (await verifier.authenticate(f"bearer {token(issuer)}")).subject == "mdw-test"


async def test_wrong_signature_is_rejected(verifier: OidcVerifier, issuer: DemoIssuer) -> None:
    forged = mint_token(issuer, "mdw-x", key=generate_key())
    assert "signature" in (await rejected(verifier, forged)).detail


async def test_wrong_issuer_is_rejected(verifier: OidcVerifier, issuer: DemoIssuer) -> None:
    raw = token(issuer, claims={"iss": "http://elsewhere.test/oidc"})
    assert "issuer" in (await rejected(verifier, raw)).detail


async def test_wrong_audience_is_rejected(verifier: OidcVerifier, issuer: DemoIssuer) -> None:
    raw = token(issuer, claims={"aud": "another-app"})
    assert "aud" in (await rejected(verifier, raw)).detail


async def test_expired_token_is_rejected(verifier: OidcVerifier, issuer: DemoIssuer) -> None:
    raw = token(issuer, now=time.time() - 7200, lifetime_s=3600)
    assert "expired" in (await rejected(verifier, raw)).detail


async def test_expiry_within_the_leeway_is_accepted(
    verifier: OidcVerifier, issuer: DemoIssuer
) -> None:
    raw = token(issuer, now=time.time() - 70, lifetime_s=60)  # expired 10 s ago, leeway 30 s
    assert (await verifier.authenticate(f"Bearer {raw}")).subject == "mdw-test"


async def test_token_not_valid_yet_is_rejected(verifier: OidcVerifier, issuer: DemoIssuer) -> None:
    raw = token(issuer, claims={"nbf": int(time.time()) + 600})
    assert "not valid yet" in (await rejected(verifier, raw)).detail


async def test_token_issued_in_the_future_is_rejected(
    verifier: OidcVerifier, issuer: DemoIssuer
) -> None:
    raw = token(issuer, now=time.time() + 600)
    assert "not valid yet" in (await rejected(verifier, raw)).detail


async def test_token_without_expiry_is_rejected(verifier: OidcVerifier, issuer: DemoIssuer) -> None:
    assert "exp" in (await rejected(verifier, token(issuer, claims={"exp": None}))).detail


async def test_token_without_kid_is_rejected(verifier: OidcVerifier, issuer: DemoIssuer) -> None:
    assert "kid" in (await rejected(verifier, token(issuer, header={"kid": None}))).detail


async def test_unknown_kid_refetches_the_keys_once_then_rejects(
    verifier: OidcVerifier, issuer: DemoIssuer, clock: Clock
) -> None:
    await verifier.authenticate(f"Bearer {token(issuer)}")
    assert verifier.fetch_count == 1
    clock.now += 60
    await rejected(verifier, token(issuer, header={"kid": "rotated-away"}))
    assert verifier.fetch_count == 2
    await rejected(verifier, token(issuer, header={"kid": "another-unknown"}))
    assert verifier.fetch_count == 2, "a second unknown kid within the interval must not refetch"
    clock.now += 60
    await rejected(verifier, token(issuer, header={"kid": "yet-another"}))
    assert verifier.fetch_count == 3


async def test_rotated_key_is_picked_up_on_unknown_kid(
    verifier: OidcVerifier, issuer: DemoIssuer, clock: Clock
) -> None:
    await verifier.authenticate(f"Bearer {token(issuer)}")
    issuer.key, issuer.kid = generate_key(), "test-key-2"  # the provider rotates its key
    clock.now += 60
    assert (await verifier.authenticate(f"Bearer {token(issuer)}")).subject == "mdw-test"


async def test_keys_are_cached(verifier: OidcVerifier, issuer: DemoIssuer) -> None:
    for _ in range(3):
        await verifier.authenticate(f"Bearer {token(issuer)}")
    assert verifier.fetch_count == 1


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Token abc123", "Basic dXNlcjpwdw==", "Bearer", "Bearer   "],
)
def test_missing_or_other_scheme_is_rejected_with_a_bearer_challenge(
    authorization: str | None,
) -> None:
    with pytest.raises(Unauthenticated) as caught:
        bearer_token(authorization)
    assert caught.value.headers["WWW-Authenticate"] == 'Bearer realm="kcc-bff"'


async def test_garbage_token_is_rejected(verifier: OidcVerifier) -> None:
    assert "well-formed" in (await rejected(verifier, "not.a.jwt")).detail


async def test_symmetric_algorithms_are_rejected(
    verifier: OidcVerifier, issuer: DemoIssuer
) -> None:
    forged = jwt.encode(
        {"sub": "x", "iss": issuer.url, "aud": issuer.audience, "exp": time.time() + 60},
        "a-shared-secret-of-at-least-32-bytes!!",
        algorithm="HS256",
        headers={"kid": issuer.kid},
    )
    assert "algorithm" in (await rejected(verifier, forged)).detail


async def test_roles_from_a_nested_claim_path(issuer: DemoIssuer) -> None:
    nested = make_issuer(roles_claim="realm_access.roles")
    settings = AuthSettings(**auth_settings(nested, roles_claim="realm_access.roles"))
    verifier = OidcVerifier(settings, transport=_jwks_transport(nested))
    try:
        medewerker = await verifier.authenticate(f"Bearer {token(nested)}")
    finally:
        await verifier.aclose()
    assert medewerker.roles == {Role.MEDEWERKER}


async def test_configured_role_names_map_onto_bff_roles(issuer: DemoIssuer) -> None:
    settings = AuthSettings(
        **auth_settings(issuer, medewerker_role="KCC", vertrouwelijk_role="KCC-VERTROUWELIJK")
    )
    verifier = OidcVerifier(settings, transport=_jwks_transport(issuer))
    try:
        plain = await verifier.authenticate(f"Bearer {token(issuer, roles=['KCC'])}")
        old_names = await verifier.authenticate(f"Bearer {token(issuer)}")
        both = await verifier.authenticate(
            f"Bearer {token(issuer, roles=['KCC', 'KCC-VERTROUWELIJK'])}"
        )
    finally:
        await verifier.aclose()
    assert plain.roles == {Role.MEDEWERKER}
    assert old_names.roles == frozenset()
    assert both.roles == {Role.MEDEWERKER, Role.VERTROUWELIJK}


async def test_naam_falls_back_to_preferred_username_then_subject(
    verifier: OidcVerifier, issuer: DemoIssuer
) -> None:
    raw = token(issuer, naam=None, email=None, claims={"preferred_username": "avries"})
    medewerker = await verifier.authenticate(f"Bearer {raw}")
    assert (medewerker.naam, medewerker.email) == ("avries", None)
    bare = await verifier.authenticate(f"Bearer {token(issuer, naam=None, subject='mdw-9')}")
    assert bare.naam == "mdw-9"


async def test_unreachable_jwks_is_unavailable_not_unauthenticated(issuer: DemoIssuer) -> None:
    router = respx.MockRouter(assert_all_called=True)
    router.get(issuer.jwks_url).mock(side_effect=httpx.ConnectError("refused"))
    verifier = OidcVerifier(AuthSettings(**auth_settings(issuer)), transport=_via(router))
    try:
        with pytest.raises(UpstreamUnavailable):
            await verifier.authenticate(f"Bearer {token(issuer)}")
    finally:
        await verifier.aclose()
    router.assert_all_called()


async def test_stale_keys_are_kept_when_the_refresh_fails(issuer: DemoIssuer) -> None:
    clock = Clock()
    router = respx.MockRouter()
    route = router.get(issuer.jwks_url)
    route.side_effect = [httpx.Response(200, json=issuer.jwks()), httpx.ConnectError("refused")]
    settings = AuthSettings(**auth_settings(issuer))
    verifier = OidcVerifier(settings, transport=_via(router), clock=clock)
    try:
        await verifier.authenticate(f"Bearer {token(issuer)}")
        clock.now += settings.jwks_cache_ttl_s + 1
        assert (await verifier.authenticate(f"Bearer {token(issuer)}")).subject == "mdw-test"
    finally:
        await verifier.aclose()
    assert route.call_count == 2


async def test_symmetric_keys_in_the_jwks_are_ignored(issuer: DemoIssuer) -> None:
    router = respx.MockRouter()
    oct_key = {"kty": "oct", "kid": "shared", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}
    router.get(issuer.jwks_url).respond(json={"keys": [oct_key]})
    verifier = OidcVerifier(AuthSettings(**auth_settings(issuer)), transport=_via(router))
    try:
        await rejected(verifier, token(issuer, header={"kid": "shared"}))
    finally:
        await verifier.aclose()


def _jwks_transport(issuer: DemoIssuer) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, json=issuer.jwks()))


def _via(router: respx.MockRouter) -> httpx.MockTransport:
    return httpx.MockTransport(router.async_handler)


async def test_a_verified_token_is_not_verified_again_while_its_keys_are_current(
    verifier: OidcVerifier, issuer: DemoIssuer
) -> None:
    good = f"Bearer {token(issuer)}"
    first = await verifier.authenticate(good)
    issuer.key = generate_key()  # same kid, other key: a full check would now fail
    assert await verifier.authenticate(good) == first


async def test_a_remembered_token_is_checked_again_once_the_keys_are_refetched(
    verifier: OidcVerifier, issuer: DemoIssuer, clock: Clock
) -> None:
    good = f"Bearer {token(issuer)}"
    await verifier.authenticate(good)
    issuer.key = generate_key()  # the provider replaced the key behind the same kid
    clock.now += verifier.settings.jwks_cache_ttl_s  # keys are stale: refetched on next use
    await rejected(verifier, good)
