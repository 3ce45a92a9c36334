"""Verifications of callers and failed attempts per person: the state behind `/verificaties`.

A verification id is self-contained and signed: it carries the pseudonyms of the
medewerker who asked and of the person (never the BSN) and its expiry, under an HMAC
keyed from the pseudonymisation key. Every worker process and replica with that key can
check it, and nothing has to be stored for it. Failed attempts are counted per person
within `failure_window_s`; `max_failures` of them lock verification for that person for
`lockout_s`, whoever asks. The attempt counts and locks live in this process: each
worker process (`bff serve --workers`) and each replica keeps its own, so a person gets
`max_failures` attempts per process within the window, and a restart forgets them. The
partijen a klantbeeld showed under a verification are remembered per process too (a
registration by partij otherwise looks up the partij's BSN).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cachetools import TTLCache

from bff.settings import VerificatieSettings

Clock = Callable[[], datetime]
MAX_TRACKED = 100_000
ID_VERSION = "v1"
ID_MAX_LENGTH = 300


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Verificatie:
    id: str
    medewerker: str  # the pseudonym of the medewerker's subject
    persoon: str  # the pseudonym of the BSN
    geldig_tot: datetime


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Poging:
    """The outcome of one attempt: a verification, or the failed attempts left."""

    verificatie: Verificatie | None
    pogingen_over: int


class Verificaties:
    def __init__(
        self,
        settings: VerificatieSettings,
        pseudonymise: Callable[[str], str],
        *,
        clock: Clock = utcnow,
    ) -> None:
        self.settings = settings
        self._pseudonymise = pseudonymise
        self._clock = clock
        self._key = hashlib.sha256(b"verificatie:" + pseudonymise("verificatie").encode()).digest()
        self._partijen: TTLCache[str, frozenset[str]] = TTLCache(
            maxsize=MAX_TRACKED, ttl=settings.geldig_s
        )
        self._failures: dict[str, deque[datetime]] = {}
        self._locked: dict[str, datetime] = {}

    def now(self) -> datetime:
        return self._clock()

    def locked_until(self, bsn: str) -> datetime | None:
        """Until when verification is locked for this person, or None."""
        key = self._pseudonymise(bsn)
        until = self._locked.get(key)
        if until is None:
            return None
        if until <= self._clock():
            del self._locked[key]
            self._failures.pop(key, None)
            return None
        return until

    def record(self, bsn: str, medewerker: str, *, geverifieerd: bool) -> Poging:
        """Count an attempt: a verification when it succeeded, else a failure (maybe a lock)."""
        key = self._pseudonymise(bsn)
        now = self._clock()
        if geverifieerd:
            self._failures.pop(key, None)
            made = self._sign(
                medewerker=self._pseudonymise(f"medewerker:{medewerker}"),
                persoon=key,
                geldig_tot=now + timedelta(seconds=self.settings.geldig_s),
            )
            return Poging(made, self.settings.max_failures)
        window = now - timedelta(seconds=self.settings.failure_window_s)
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= window:
            failures.popleft()
        failures.append(now)
        left = max(self.settings.max_failures - len(failures), 0)
        if left == 0:
            self._locked[key] = now + timedelta(seconds=self.settings.lockout_s)
        self._forget_oldest()
        return Poging(None, left)

    def geldig(
        self,
        verificatie_id: str | None,
        medewerker: str,
        *,
        bsn: str | None = None,
        partij: str | None = None,
    ) -> bool:
        """Whether this id is a current verification by this medewerker of this person:
        by BSN, or by a partij the klantbeeld showed under this verification."""
        found = self._read(verificatie_id)
        if found is None or found.geldig_tot <= self._clock():
            return False
        if not hmac.compare_digest(
            found.medewerker, self._pseudonymise(f"medewerker:{medewerker}")
        ):
            return False
        if bsn is not None and hmac.compare_digest(found.persoon, self._pseudonymise(bsn)):
            return True
        return partij is not None and partij in self._partijen.get(found.id, ())

    def bind_partij(self, verificatie_id: str, partij: str) -> None:
        """The partij of the verified person (seen in the klantbeeld): a registration by
        partij then needs no lookup of its BSN (in this process)."""
        if self._read(verificatie_id) is not None:
            self._partijen[verificatie_id] = self._partijen.get(verificatie_id, frozenset()) | {
                partij
            }

    def _sign(self, *, medewerker: str, persoon: str, geldig_tot: datetime) -> Verificatie:
        expiry = int(geldig_tot.timestamp())
        claims = {"m": medewerker, "p": persoon, "e": expiry, "n": secrets.token_hex(8)}
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        mac = _b64(hmac.new(self._key, f"{ID_VERSION}.{body}".encode(), "sha256").digest())
        return Verificatie(
            id=f"{ID_VERSION}.{body}.{mac}",
            medewerker=medewerker,
            persoon=persoon,
            geldig_tot=datetime.fromtimestamp(expiry, UTC),
        )

    def _read(self, verificatie_id: str | None) -> Verificatie | None:
        """The verification this id carries, if its signature holds (expiry not checked)."""
        if not verificatie_id or len(verificatie_id) > ID_MAX_LENGTH:
            return None
        version, _, rest = verificatie_id.partition(".")
        body, _, mac = rest.partition(".")
        expected = _b64(hmac.new(self._key, f"{version}.{body}".encode(), "sha256").digest())
        if version != ID_VERSION or not hmac.compare_digest(mac, expected):
            return None
        try:
            claims = json.loads(_unb64(body))
            return Verificatie(
                id=verificatie_id,
                medewerker=str(claims["m"]),
                persoon=str(claims["p"]),
                geldig_tot=datetime.fromtimestamp(int(claims["e"]), UTC),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def _forget_oldest(self) -> None:
        """Bound the failure and lock tables (oldest first)."""
        while len(self._failures) > MAX_TRACKED:
            del self._failures[next(iter(self._failures))]
        while len(self._locked) > MAX_TRACKED:
            del self._locked[next(iter(self._locked))]
