"""An in-memory `RegistrationStore` for tests and throw-away demos (nothing survives a restart).

Every method body runs without an `await` in between its reads and writes, so each
operation is atomic on the event loop, which is what the store contract asks for.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bff.etag import KeyedLocks
from bff.registration.model import Registration
from bff.registration.store import JournalStats, VersionConflict, format_referentienummer


class InMemoryRegistrationStore:
    def __init__(self, *, referentienummer_prefix: str = "") -> None:
        self._by_id: dict[str, Registration] = {}
        self._by_key: dict[tuple[str, str], str] = {}
        self._sequence = 0
        self._prefix = referentienummer_prefix
        self._locks = KeyedLocks()

    async def create(self, reg: Registration) -> Registration:
        if reg.idempotency_key is not None:
            existing = self._by_key.get((reg.owner, reg.idempotency_key))
            if existing is not None:
                return self._by_id[existing].copied()
            self._by_key[(reg.owner, reg.idempotency_key)] = reg.id
        if reg.id in self._by_id:
            raise ValueError(f"Registration {reg.id} exists already.")
        self._by_id[reg.id] = reg.copied()
        return reg.copied()

    async def get(self, registration_id: str) -> Registration | None:
        found = self._by_id.get(registration_id)
        return found.copied() if found else None

    async def get_by_idempotency_key(self, key: str, owner: str) -> Registration | None:
        registration_id = self._by_key.get((owner, key))
        return await self.get(registration_id) if registration_id else None

    async def save(self, reg: Registration) -> Registration:
        stored = self._by_id.get(reg.id)
        if stored is None or stored.version != reg.version:
            raise VersionConflict(reg.id)
        saved = reg.copied(version=reg.version + 1)
        self._by_id[reg.id] = saved
        return saved.copied()

    async def claim_due(self, now: datetime, limit: int, lease_s: float) -> list[Registration]:
        due = sorted(
            (r for r in self._by_id.values() if _is_due(r, now)),
            key=lambda r: (r.next_attempt_at or r.created_at, r.created_at),
        )[:limit]
        claimed = []
        for reg in due:
            leased = reg.copied(
                status="running",
                lease_until=now + timedelta(seconds=lease_s),
                version=reg.version + 1,
            )
            self._by_id[reg.id] = leased
            claimed.append(leased.copied())
        return claimed

    async def stats(self) -> JournalStats:
        by_status: dict[str, int] = {}
        for reg in self._by_id.values():
            by_status[reg.status] = by_status.get(reg.status, 0) + 1
        unfinished = [r.created_at for r in self._by_id.values() if not r.finished]
        return JournalStats(by_status, min(unfinished, default=None))

    async def next_referentienummer(self) -> str:
        self._sequence += 1
        return format_referentienummer(self._prefix, self._sequence)

    async def erase_payloads(
        self, now: datetime, *, completed_before: datetime, failed_before: datetime
    ) -> int:
        due = [r for r in self._by_id.values() if r.retention_over(completed_before, failed_before)]
        for reg in due:
            self._by_id[reg.id] = reg.erased(now).model_copy(update={"version": reg.version + 1})
        return len(due)

    async def ping(self) -> None:
        return None

    def locks(self) -> KeyedLocks:
        return self._locks

    async def close(self) -> None:
        return None


def _is_due(reg: Registration, now: datetime) -> bool:
    if reg.status == "pending":
        return reg.next_attempt_at is None or reg.next_attempt_at <= now
    if reg.status == "running":
        return reg.lease_until is None or reg.lease_until <= now
    return False
