"""Verifications of callers and failed attempts per person: the state behind `/verificaties`.

A verification is bound to the medewerker who asked and the person (by pseudonym: the
BSN is not kept) and holds for `geldig_s`. Failed attempts are counted per person within
`failure_window_s`; `max_failures` of them lock verification for that person for
`lockout_s`, whoever asks. The state lives in this process (a bounded TTL cache): with
several replicas each keeps its own, so a person gets `max_failures` attempts per replica
within the window, and a verification is known only to the replica that made it (route a
medewerker's requests to one replica, or keep the klantbeeld check off). A restart forgets
verifications and locks alike.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cachetools import TTLCache

from bff.settings import VerificatieSettings

Clock = Callable[[], datetime]
MAX_TRACKED = 100_000


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Verificatie:
    id: str
    medewerker: str
    persoon: str  # the pseudonym of the BSN
    geldig_tot: datetime


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
        self._made: TTLCache[str, Verificatie] = TTLCache(
            maxsize=MAX_TRACKED, ttl=settings.geldig_s
        )
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
            made = Verificatie(
                id=str(uuid.uuid4()),
                medewerker=medewerker,
                persoon=key,
                geldig_tot=now + timedelta(seconds=self.settings.geldig_s),
            )
            self._made[made.id] = made
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
        if verificatie_id is None:
            return False
        found = self._made.get(verificatie_id)
        if found is None or found.medewerker != medewerker or found.geldig_tot <= self._clock():
            return False
        if bsn is not None and found.persoon == self._pseudonymise(bsn):
            return True
        return partij is not None and partij in self._partijen.get(verificatie_id, ())

    def bind_partij(self, verificatie_id: str, partij: str) -> None:
        """The partij of the verified person (seen in the klantbeeld): a registration by
        partij then needs no lookup of its BSN."""
        if verificatie_id in self._made:
            self._partijen[verificatie_id] = self._partijen.get(verificatie_id, frozenset()) | {
                partij
            }

    def _forget_oldest(self) -> None:
        """Bound the failure and lock tables (oldest first)."""
        while len(self._failures) > MAX_TRACKED:
            del self._failures[next(iter(self._failures))]
        while len(self._locked) > MAX_TRACKED:
            del self._locked[next(iter(self._locked))]
