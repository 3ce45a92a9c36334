"""Bearer tokens from the municipality's OpenID Connect provider, verified against its JWKS.

`OidcVerifier.authenticate(authorization_header)` returns a `Medewerker` or raises:

    no header, another scheme           -> Unauthenticated  (WWW-Authenticate: Bearer realm=...)
    malformed, bad signature, wrong     -> Unauthenticated  (... error="invalid_token")
      iss/aud, expired, not yet valid,
      missing or unknown kid
    JWKS unreachable and none cached    -> UpstreamUnavailable("oidc")  (503: not the user's fault)

Keys are fetched from `jwks_url` on first use with the verifier's own small
`httpx.AsyncClient` (the transport is injectable), cached for `jwks_cache_ttl_s`, and
refetched when a token names an unknown `kid` - at most once per
`jwks_refresh_interval_s`, so a stream of forged kids cannot hammer the provider.
Symmetric keys (`kty: oct`) are never accepted. Token contents are never logged.

A verified token is remembered (by its SHA-256, for at most `VERIFIED_TTL_S`, never past
its `exp` plus leeway, and only while the key set it was checked against is current), so
a medewerker's next calls skip the signature check; any other token is verified in full.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from bff.auth.identity import Medewerker, Role
from bff.errors import Unauthenticated, UpstreamError, UpstreamUnavailable
from bff.logs import get_logger
from bff.settings import AuthSettings

log = get_logger("bff.auth")

REALM = 'Bearer realm="kcc-bff"'
VERIFIED_TTL_S = 60.0
VERIFIED_MAX = 4096  # distinct tokens remembered; beyond it the memory starts afresh
_ASYMMETRIC = {"RSA": ("RS", "PS"), "EC": ("ES",)}


def challenge(detail: str, reason: str) -> Unauthenticated:
    """A 401 for a token that was presented but is not acceptable."""
    log.info("token_rejected", reason=reason)
    header = f'{REALM}, error="invalid_token", error_description="{detail}"'
    return Unauthenticated(detail, headers={"WWW-Authenticate": header})


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if not scheme:
        raise Unauthenticated(
            "Sign in first: send the access token as Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": REALM},
        )
    if scheme.lower() != "bearer" or not token.strip():
        log.info("token_rejected", reason="scheme")
        raise Unauthenticated(
            "Use the Bearer scheme: Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": REALM},
        )
    return token.strip()


@dataclass(frozen=True)
class _Verified:
    medewerker: Medewerker
    keys_fetched_at: float | None  # the key set the signature was checked against
    until: float  # verifier clock
    expires: float  # wall clock: the token's exp plus leeway


class OidcVerifier:
    """Verifies access tokens and maps their claims onto a `Medewerker`."""

    def __init__(
        self,
        settings: AuthSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(settings.jwks_timeout_s),
            follow_redirects=False,
            headers={"Accept": "application/json"},
        )
        self._keys: dict[str, Mapping[str, Any]] = {}
        self._prepared: dict[tuple[str, str], jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()
        self._verified: dict[bytes, _Verified] = {}
        self.fetch_count = 0

    async def aclose(self) -> None:
        await self._http.aclose()

    async def authenticate(self, authorization: str | None) -> Medewerker:
        token = bearer_token(authorization)
        digest = hashlib.sha256(token.encode()).digest()
        known = self._verified.get(digest)
        if known is not None and self._still_valid(known):
            return known.medewerker
        claims = await self.verify(token)
        medewerker = self.medewerker(claims)
        if len(self._verified) >= VERIFIED_MAX:
            self._verified.clear()
        exp = claims.get("exp")
        if isinstance(exp, (int, float)):
            self._verified[digest] = _Verified(
                medewerker,
                self._fetched_at,
                until=self._clock() + VERIFIED_TTL_S,
                expires=float(exp) + self.settings.leeway_s,
            )
        return medewerker

    def _still_valid(self, known: _Verified) -> bool:
        now = self._clock()
        fetched = self._fetched_at
        return (
            known.keys_fetched_at == fetched
            and fetched is not None
            and now - fetched < self.settings.jwks_cache_ttl_s
            and now < known.until
            and time.time() < known.expires
        )

    # -- verification -----------------------------------------------------------------

    async def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, once signature, issuer, audience and times check out."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise challenge("The token is not a well-formed JWT.", "malformed") from None
        alg = header.get("alg")
        if alg not in self.settings.algorithms:
            raise challenge("The token is signed with an algorithm that is not accepted.", "alg")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise challenge("The token does not name its signing key (kid).", "no-kid")
        key = await self._key(kid, alg)
        s = self.settings
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=s.audience,
                issuer=s.issuer,
                leeway=s.leeway_s,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise challenge("The token has expired. Sign in again.", "expired") from None
        except jwt.ImmatureSignatureError:
            raise challenge("The token is not valid yet (nbf/iat in the future).", "nbf") from None
        except jwt.InvalidAudienceError:
            raise challenge("The token is meant for another application (aud).", "aud") from None
        except jwt.InvalidIssuerError:
            raise challenge("The token comes from another issuer (iss).", "iss") from None
        except jwt.MissingRequiredClaimError as exc:
            raise challenge(f"The token lacks the {exc.claim} claim.", "claim") from None
        except jwt.InvalidSignatureError:
            raise challenge("The token signature does not verify.", "signature") from None
        except jwt.PyJWTError:
            raise challenge("The token could not be verified.", "invalid") from None
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise challenge("The token has no usable subject (sub).", "sub")
        return claims

    def medewerker(self, claims: Mapping[str, Any]) -> Medewerker:
        """Identity and BFF roles from verified claims, per the configured claim names."""
        s = self.settings
        token_roles = _role_names(_claim_at(claims, s.roles_claim))
        roles = {
            role
            for role, name in (
                (Role.MEDEWERKER, s.medewerker_role),
                (Role.VERTROUWELIJK, s.vertrouwelijk_role),
            )
            if name in token_roles
        }
        subject = str(claims["sub"])
        naam = _text(claims.get(s.name_claim)) or _text(claims.get("preferred_username"))
        return Medewerker(
            subject=subject,
            naam=naam or subject,
            email=_text(claims.get(s.email_claim)),
            roles=frozenset(roles),
        )

    # -- keys -------------------------------------------------------------------------

    async def _key(self, kid: str, alg: str) -> jwt.PyJWK:
        now = self._clock()
        fetched = self._fetched_at
        stale = fetched is not None and now - fetched >= self.settings.jwks_cache_ttl_s
        if fetched is None or (stale and self._may_refetch(now)):
            await self._refresh(seen=fetched)
        if kid not in self._keys and self._may_refetch(now):
            await self._refresh(seen=self._fetched_at)
        jwk = self._keys.get(kid)
        if jwk is None:
            raise challenge("The token is signed with a key the provider does not publish.", "kid")
        prepared = self._prepared.get((kid, alg))
        if prepared is None:
            declared = jwk.get("alg")
            family = _ASYMMETRIC.get(str(jwk.get("kty")), ())
            if (declared and declared != alg) or not alg.startswith(family):
                raise challenge("The token algorithm does not match its key.", "alg")
            try:
                prepared = jwt.PyJWK(dict(jwk), algorithm=alg)
            except jwt.PyJWTError:
                raise challenge("The token's signing key is unusable.", "key") from None
            self._prepared[(kid, alg)] = prepared
        return prepared

    def _may_refetch(self, now: float) -> bool:
        last = self._attempted_at
        return last is None or now - last >= self.settings.jwks_refresh_interval_s

    async def _refresh(self, *, seen: float | None) -> None:
        async with self._lock:
            if self._fetched_at != seen:
                return  # another request refreshed while this one waited
            self._attempted_at = self._clock()
            try:
                keys = await self._fetch()
            except (UpstreamUnavailable, UpstreamError):
                if not self._keys:
                    raise
                log.warning("jwks_refresh_failed", kept_keys=len(self._keys))
                return
            self._keys = keys
            self._prepared.clear()
            self._fetched_at = self._clock()

    async def _fetch(self) -> dict[str, Mapping[str, Any]]:
        self.fetch_count += 1
        url = str(self.settings.jwks_url)
        try:
            response = await self._http.get(url)
        except httpx.HTTPError as exc:
            log.warning("jwks_unreachable", error=type(exc).__name__)
            raise UpstreamUnavailable(
                "oidc",
                "The sign-in service could not be reached to check your token. Try again shortly.",
                reason="unreachable",
            ) from exc
        try:
            response.raise_for_status()
            body = response.json()
            raw_keys = body["keys"]
            if not isinstance(raw_keys, list):
                raise TypeError("keys is not a list")
        except (httpx.HTTPStatusError, ValueError, KeyError, TypeError) as exc:
            log.warning("jwks_malformed", status=response.status_code)
            raise UpstreamError(
                "oidc", "The sign-in service published unreadable keys.", reason="malformed"
            ) from exc
        keys: dict[str, Mapping[str, Any]] = {
            str(k["kid"]): k
            for k in raw_keys
            if isinstance(k, dict)
            and isinstance(k.get("kid"), str)
            and k.get("kty") in _ASYMMETRIC
            and k.get("use", "sig") == "sig"
        }
        log.info("jwks_fetched", keys=len(keys))
        return keys


def _claim_at(claims: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted claim path (`realm_access.roles`), or None."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _role_names(value: Any) -> set[str]:
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, list):
        return {v for v in value if isinstance(v, str)}
    return set()


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None
