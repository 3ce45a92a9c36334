"""The embedded `RegistrationStore`: one SQLite file in WAL mode, through aiosqlite.

Good for one BFF process (several processes on one host also work: every write is one
transaction, a single statement by itself, several statements in `BEGIN IMMEDIATE`).
Several replicas on several hosts need a shared store behind the same interface.

The file holds personal data (request payloads). Put it on an encrypted volume that
only the BFF's user can read; the file is created with mode 0600 (a wider mode found
at start-up is narrowed and logged), and SQLite gives its -wal/-shm files the same mode.

Scalar columns serve the queries (idempotency, due, lease); `payload` and `steps` are
JSON columns. Timestamps are UTC ISO-8601 text with microseconds, so they sort as text.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite
from pydantic import TypeAdapter

from bff.etag import KeyedLocks
from bff.logs import get_logger
from bff.registration.model import Registration, Step
from bff.registration.store import JournalStats, VersionConflict, format_referentienummer

log = get_logger("bff.registration.sqlite")

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS registration (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    owner TEXT NOT NULL,
    idempotency_key TEXT,
    fingerprint TEXT NOT NULL,
    referentienummer TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT,
    lease_until TEXT,
    version INTEGER NOT NULL,
    payload TEXT NOT NULL CHECK (json_valid(payload)),
    steps TEXT NOT NULL CHECK (json_valid(steps))
);
CREATE UNIQUE INDEX IF NOT EXISTS registration_idempotency
    ON registration (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS registration_due ON registration (status, next_attempt_at);
CREATE TABLE IF NOT EXISTS sequence (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
_MIGRATIONS = {  # to version N from N - 1; `_SCHEMA` above is version 1
    2: "ALTER TABLE registration ADD COLUMN payload_erased_at TEXT",
}
# The JSON columns, written by pydantic's compiled serializer: compact UTF-8 text
_PAYLOAD = TypeAdapter(dict[str, Any])
_STEPS = TypeAdapter(list[Step])
_COLUMNS = (
    "id, kind, owner, idempotency_key, fingerprint, referentienummer, status, created_at, "
    "updated_at, attempts, next_attempt_at, lease_until, version, payload, steps, "
    "payload_erased_at"
)
_INSERT = (
    f"INSERT INTO registration ({_COLUMNS}) "  # noqa: S608  # fixed column list, values bound
    f"VALUES ({', '.join('?' for _ in _COLUMNS.split(', '))}) "
    "ON CONFLICT (owner, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
)
_UPDATE = (
    "UPDATE registration SET "  # noqa: S608  # fixed column list, values bound
    + ", ".join(f"{name} = ?" for name in _COLUMNS.split(", ")[1:])
    + " WHERE id = ? AND version = ?"
)


class SqliteRegistrationStore:
    def __init__(self, path: str | Path, *, referentienummer_prefix: str = "") -> None:
        self.path = Path(path)
        self._prefix = referentienummer_prefix
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._locks = KeyedLocks()

    async def open(self) -> SqliteRegistrationStore:
        """Create the file (0600) and schema if needed. Safe to call twice."""
        if self._db is not None:
            return self
        _prepare_file(self.path)
        db = await aiosqlite.connect(self.path, isolation_level=None)
        db.row_factory = aiosqlite.Row
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=FULL")
        await db.execute("PRAGMA busy_timeout=5000")
        await db.executescript(_SCHEMA)
        await _migrate(db)
        self._db = db
        return self

    async def ping(self) -> None:
        async with self._tx() as db:
            await db.execute("SELECT 1")

    def locks(self) -> KeyedLocks:
        return self._locks

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def __aenter__(self) -> SqliteRegistrationStore:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[aiosqlite.Connection]:
        if self._db is None:
            raise RuntimeError("SqliteRegistrationStore is not open; call open() first.")
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

    @asynccontextmanager
    async def _alone(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for one statement, which SQLite runs as a transaction of its own
        (autocommit; a write takes the write lock when it starts, as `BEGIN IMMEDIATE`)."""
        if self._db is None:
            raise RuntimeError("SqliteRegistrationStore is not open; call open() first.")
        async with self._lock:  # never inside another coroutine's open transaction
            yield self._db

    async def create(self, reg: Registration) -> Registration:
        row = _to_row(reg)
        async with self._alone() as db:
            cursor = await db.execute(_INSERT, row)
            if cursor.rowcount == 1:
                return reg.copied()
            existing = await _select_one(  # the insert met this key: the earlier one
                db, "owner = ? AND idempotency_key = ?", (reg.owner, reg.idempotency_key)
            )
        if existing is None:  # pragma: no cover - rows are never deleted
            raise RuntimeError(f"Registration {reg.id} was neither inserted nor found.")
        return existing

    async def get(self, registration_id: str) -> Registration | None:
        async with self._alone() as db:
            return await _select_one(db, "id = ?", (registration_id,))

    async def get_by_idempotency_key(self, key: str, owner: str) -> Registration | None:
        async with self._alone() as db:
            return await _select_one(db, "owner = ? AND idempotency_key = ?", (owner, key))

    async def save(self, reg: Registration) -> Registration:
        saved = reg.copied(version=reg.version + 1)
        row = _to_row(saved)
        async with self._alone() as db:  # compare-and-set in one statement
            cursor = await db.execute(_UPDATE, (*row[1:], reg.id, reg.version))
        if cursor.rowcount != 1:
            raise VersionConflict(reg.id)
        return saved

    async def claim_due(self, now: datetime, limit: int, lease_s: float) -> list[Registration]:
        stamp = _ts(now)
        lease = _ts(now + timedelta(seconds=lease_s))
        async with self._tx() as db:
            cursor = await db.execute(
                "SELECT id FROM registration WHERE "
                "(status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)) "
                "OR (status = 'running' AND (lease_until IS NULL OR lease_until <= ?)) "
                "ORDER BY coalesce(next_attempt_at, created_at), created_at LIMIT ?",
                (stamp, stamp, limit),
            )
            ids = [str(row["id"]) for row in await cursor.fetchall()]
            claimed = []
            for registration_id in ids:
                await db.execute(
                    "UPDATE registration SET status = 'running', lease_until = ?, "
                    "version = version + 1 WHERE id = ?",
                    (lease, registration_id),
                )
                found = await _select_one(db, "id = ?", (registration_id,))
                if found is not None:
                    claimed.append(found)
        return claimed

    async def stats(self) -> JournalStats:
        async with self._tx() as db:
            cursor = await db.execute(
                "SELECT status, count(*) AS n FROM registration GROUP BY status"
            )
            by_status = {str(row["status"]): int(row["n"]) for row in await cursor.fetchall()}
            cursor = await db.execute(
                "SELECT min(created_at) FROM registration WHERE status IN ('pending', 'running')"
            )
            row = await cursor.fetchone()
            await cursor.close()
        oldest = row[0] if row is not None else None
        return JournalStats(by_status, datetime.fromisoformat(oldest) if oldest else None)

    async def erase_payloads(
        self, now: datetime, *, completed_before: datetime, failed_before: datetime
    ) -> int:
        erased = 0
        async with self._tx() as db:
            cursor = await db.execute(
                "SELECT id FROM registration WHERE payload_erased_at IS NULL AND ("
                "(status = 'completed' AND updated_at <= ?) OR "
                "(status = 'failed' AND updated_at <= ?))",
                (_ts(completed_before), _ts(failed_before)),
            )
            ids = [str(row["id"]) for row in await cursor.fetchall()]
            for registration_id in ids:
                found = await _select_one(db, "id = ?", (registration_id,))
                if found is None or not found.retention_over(completed_before, failed_before):
                    continue
                gone = found.erased(now)
                await db.execute(
                    "UPDATE registration SET payload = ?, payload_erased_at = ?, "
                    "version = version + 1 WHERE id = ?",
                    (_to_row(gone)[13], _ts(now), registration_id),
                )
                erased += 1
        return erased

    async def next_referentienummer(self) -> str:
        async with self._alone() as db:  # read to the end: the statement commits
            rows = list(
                await db.execute_fetchall(
                    "INSERT INTO sequence (name, value) VALUES ('referentienummer', 1) "
                    "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"
                )
            )
        if not rows:  # pragma: no cover - RETURNING always yields the row
            raise RuntimeError("The referentienummer sequence returned nothing.")
        return format_referentienummer(self._prefix, int(rows[0][0]))


async def _migrate(db: aiosqlite.Connection) -> None:
    """Bring the schema to `SCHEMA_VERSION`: `_SCHEMA` is version 1, then each migration."""
    cursor = await db.execute("PRAGMA user_version")
    row = await cursor.fetchone()
    await cursor.close()
    version = max(int(row[0]) if row else 0, 1)
    for target in range(version + 1, SCHEMA_VERSION + 1):
        await db.execute(_MIGRATIONS[target])
    await db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def _prepare_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, 0o600)
        log.warning("registration_store_mode_narrowed", old_mode=oct(mode), new_mode="0o600")


def _ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("Registration timestamps must be timezone-aware.")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _to_row(reg: Registration) -> tuple[Any, ...]:
    return (
        reg.id,
        reg.kind,
        reg.owner,
        reg.idempotency_key,
        reg.fingerprint,
        reg.referentienummer,
        reg.status,
        _ts(reg.created_at),
        _ts(reg.updated_at),
        reg.attempts,
        _ts(reg.next_attempt_at),
        _ts(reg.lease_until),
        reg.version,
        _PAYLOAD.dump_json(reg.payload).decode(),
        _STEPS.dump_json(reg.steps).decode(),
        _ts(reg.payload_erased_at),
    )


async def _select_one(
    db: aiosqlite.Connection, where: str, params: tuple[Any, ...]
) -> Registration | None:
    rows = list(
        await db.execute_fetchall(f"SELECT {_COLUMNS} FROM registration WHERE {where}", params)  # noqa: S608  # callers pass fixed clauses, values bound
    )
    if not rows:
        return None
    data = dict(rows[0])
    data["payload"] = json.loads(data["payload"])
    data["steps"] = json.loads(data["steps"])
    return Registration.model_validate(data)
