"""The registration store: the durable journal behind "never lose a call".

`RegistrationStore` is the small interface every store implements. The embedded
default is `SqliteRegistrationStore` (one file, one process); `InMemoryRegistrationStore`
serves tests. A shared store for several replicas (PostgreSQL, ...) implements the same
five guarantees:

1. `create` enforces uniqueness of (owner, idempotency key) atomically; on a clash it
   returns the *existing* registration (compare `result.id == reg.id` to know which).
2. `save` is compare-and-set on `version`: it writes only when the stored version equals
   `reg.version`, returns the stored copy with `version + 1`, else raises `VersionConflict`.
3. `claim_due` atomically leases registrations that are `pending` and due, or `running`
   with an expired lease (a crashed worker), sets them `running` with `lease_until`, and
   returns them; two claimers never receive the same registration while a lease holds.
4. `next_referentienummer` never returns the same number twice, also across restarts.
5. Returned objects are copies: mutating one never changes the store.
6. `stats` counts registrations per status and finds the oldest unfinished one (for
   `/metrics`); it reads no payload.
7. `erase_payloads` replaces the payload of every registration whose retention is over
   (`Registration.retention_over`) by `Registration.erased`, and says how many.
8. `locks` gives the mutual exclusion that reaches as far as the store is shared: within
   the process for SQLite and memory, across replicas for PostgreSQL.

The store holds personal data (the request payload). Keep it on an encrypted volume
with restricted permissions; the SQLite store creates its file with mode 0600.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bff.etag import Locks
from bff.registration.model import Registration

REFERENTIENUMMER_LENGTH = 10


class VersionConflict(Exception):
    """`save` found another version in the store: someone else changed the registration."""


class ReferentienummersExhausted(Exception):
    """The sequence outgrew the digits left after the prefix."""


@dataclass(frozen=True)
class JournalStats:
    """How many registrations are in each status, and when the oldest unfinished one began."""

    by_status: Mapping[str, int] = field(default_factory=dict)
    oldest_unfinished_at: datetime | None = None  # created_at of the oldest pending/running


class RegistrationStore(Protocol):
    async def create(self, reg: Registration) -> Registration:
        """Insert `reg`, or return the existing one with the same (owner, idempotency key)."""
        ...

    async def get(self, registration_id: str) -> Registration | None: ...

    async def get_by_idempotency_key(self, key: str, owner: str) -> Registration | None: ...

    async def save(self, reg: Registration) -> Registration:
        """Compare-and-set on `reg.version`; returns the stored copy (version + 1)."""
        ...

    async def claim_due(self, now: datetime, limit: int, lease_s: float) -> list[Registration]:
        """Lease up to `limit` due registrations (oldest due first) and return them."""
        ...

    async def stats(self) -> JournalStats:
        """Counts per status and the oldest unfinished registration's `created_at`."""
        ...

    async def next_referentienummer(self) -> str:
        """A fresh referentienummer: digits only, at most 10 characters, never reused."""
        ...

    async def erase_payloads(
        self, now: datetime, *, completed_before: datetime, failed_before: datetime
    ) -> int:
        """Erase the personal data of finished registrations past their retention."""
        ...

    async def ping(self) -> None:
        """Raise unless the store can take a registration now (for `/ready`)."""
        ...

    def locks(self) -> Locks:
        """Per-key mutual exclusion among everyone sharing this store."""
        ...

    async def close(self) -> None: ...


def format_referentienummer(prefix: str, number: int) -> str:
    """`prefix` followed by `number`, zero-padded to 10 digits in total."""
    if prefix and not prefix.isdigit():
        raise ValueError("The referentienummer prefix must be digits only.")
    width = REFERENTIENUMMER_LENGTH - len(prefix)
    text = str(number)
    if number < 1 or len(text) > width:
        raise ReferentienummersExhausted(
            f"Sequence value {number} does not fit in {width} digits after prefix {prefix!r}."
        )
    return prefix + text.zfill(width)
