"""The shared `RegistrationStore` for several replicas: PostgreSQL through psycopg 3.

Every replica of the BFF opens the same database. The guarantees of `store.py` hold
across them: idempotency by a unique index, compare-and-set by `version`, leases taken
with `FOR UPDATE SKIP LOCKED` (two replicas never run one registration at once; a dead
replica's lease expires and another takes over), and referentienummers from one database
sequence. `AdvisoryLocks` gives the same cross-replica mutual exclusion for the BFF's
read-compare-write sections (digitale adressen of one partij, the medewerker actor).

The schema is created and migrated at start-up, one numbered migration at a time, under
an advisory lock so that replicas starting together do not race; `bff_schema_migrations`
records what was applied. When the database cannot be reached, every call raises
`JournalUnavailable` (503 with `Retry-After`): a write is never accepted without it.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from bff.errors import BffError
from bff.logs import get_logger
from bff.registration.model import Registration
from bff.registration.store import JournalStats, VersionConflict, format_referentienummer

MIGRATION_LOCK = 7_243_001  # pg_advisory_xact_lock key while migrating
RETRY_AFTER_S = "5"
MIGRATIONS: tuple[str, ...] = (
    # 1: the journal and the shared referentienummer sequence
    """
    CREATE TABLE registration (
        id text PRIMARY KEY,
        kind text NOT NULL,
        owner text NOT NULL,
        idempotency_key text,
        fingerprint text NOT NULL,
        referentienummer text NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        attempts integer NOT NULL,
        next_attempt_at timestamptz,
        lease_until timestamptz,
        version integer NOT NULL,
        payload jsonb NOT NULL,
        steps jsonb NOT NULL,
        payload_erased_at timestamptz
    );
    CREATE UNIQUE INDEX registration_idempotency
        ON registration (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
    CREATE INDEX registration_due ON registration (status, next_attempt_at);
    CREATE SEQUENCE referentienummer_seq;
    """,
)
_COLUMNS = (
    "id",
    "kind",
    "owner",
    "idempotency_key",
    "fingerprint",
    "referentienummer",
    "status",
    "created_at",
    "updated_at",
    "attempts",
    "next_attempt_at",
    "lease_until",
    "version",
    "payload",
    "steps",
    "payload_erased_at",
)
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM registration"  # noqa: S608  # fixed column list
_INSERT = (
    f"INSERT INTO registration ({', '.join(_COLUMNS)}) "  # noqa: S608  # fixed column list
    f"VALUES ({', '.join('%s' for _ in _COLUMNS)}) "
    "ON CONFLICT (owner, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
)
_UPDATE = (
    f"UPDATE registration SET {', '.join(f'{c} = %s' for c in _COLUMNS[1:])} "  # noqa: S608  # fixed column list
    "WHERE id = %s AND version = %s"
)
log = get_logger("bff.registration.postgresql")


class JournalUnavailable(BffError):
    """The registration journal (PostgreSQL) cannot be reached: nothing was accepted."""

    status = 503
    slug = "journal-unavailable"
    title = "Registrations are paused"

    def __init__(self) -> None:
        super().__init__(
            "The BFF cannot store registrations right now, so nothing was registered. "
            "Keep the details and try again in a moment.",
            headers={"Retry-After": RETRY_AFTER_S},
        )


class PostgresRegistrationStore:
    def __init__(
        self,
        dsn: str,
        *,
        referentienummer_prefix: str = "",
        min_size: int = 1,
        max_size: int = 10,
        timeout_s: float = 5.0,
    ) -> None:
        self._prefix = referentienummer_prefix
        self._migrated = False
        self._migrating = asyncio.Lock()
        self.pool = AsyncConnectionPool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout_s,
            open=False,
            kwargs={"autocommit": True, "connect_timeout": max(1, int(timeout_s))},
            check=AsyncConnectionPool.check_connection,
        )
        self._locks = AdvisoryLocks(self.pool)

    async def open(self) -> PostgresRegistrationStore:
        """Open the pool and bring the schema up to date. A database that is down does not
        stop start-up: reads go on, and the first call after it returns migrates."""
        await self.pool.open(wait=False)
        try:
            await self._ensure_schema()
        except JournalUnavailable:
            log.warning("registration_store_unavailable_at_start")
        return self

    async def _ensure_schema(self) -> None:
        if self._migrated:
            return
        async with self._migrating:
            if not self._migrated:
                try:
                    await migrate(self.pool)
                except (psycopg.OperationalError, PoolTimeout) as exc:
                    raise JournalUnavailable() from exc
                self._migrated = True

    async def close(self) -> None:
        await self.pool.close()

    async def __aenter__(self) -> PostgresRegistrationStore:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[psycopg.AsyncCursor[dict[str, Any]]]:
        await self._ensure_schema()
        try:
            async with (
                self.pool.connection() as conn,
                conn.transaction(),
                conn.cursor(row_factory=dict_row) as cur,
            ):
                yield cur
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise JournalUnavailable() from exc

    async def create(self, reg: Registration) -> Registration:
        async with self._tx() as cur:
            await cur.execute(_INSERT, _row(reg))
            if cur.rowcount == 1:
                return reg.copied()
            await cur.execute(
                _SELECT + " WHERE owner = %s AND idempotency_key = %s",
                (reg.owner, reg.idempotency_key),
            )
            existing = await cur.fetchone()
        if existing is None:
            raise ValueError(f"Registration {reg.id} exists already.")
        return _registration(existing)

    async def get(self, registration_id: str) -> Registration | None:
        return await self._one(_SELECT + " WHERE id = %s", (registration_id,))

    async def get_by_idempotency_key(self, key: str, owner: str) -> Registration | None:
        return await self._one(_SELECT + " WHERE owner = %s AND idempotency_key = %s", (owner, key))

    async def _one(self, query: str, params: tuple[Any, ...]) -> Registration | None:
        async with self._tx() as cur:
            await cur.execute(query, params)
            row = await cur.fetchone()
        return _registration(row) if row else None

    async def save(self, reg: Registration) -> Registration:
        saved = reg.copied(version=reg.version + 1)
        async with self._tx() as cur:
            await cur.execute(_UPDATE, (*_row(saved)[1:], reg.id, reg.version))
            if cur.rowcount != 1:
                raise VersionConflict(reg.id)
        return saved

    async def claim_due(self, now: datetime, limit: int, lease_s: float) -> list[Registration]:
        async with self._tx() as cur:
            await cur.execute(
                "WITH due AS ("
                " SELECT id FROM registration WHERE"
                " (status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= %(now)s))"
                " OR (status = 'running' AND (lease_until IS NULL OR lease_until <= %(now)s))"
                " ORDER BY coalesce(next_attempt_at, created_at), created_at"
                " LIMIT %(limit)s FOR UPDATE SKIP LOCKED)"
                " UPDATE registration AS r SET status = 'running', lease_until = %(lease)s,"
                " version = r.version + 1 FROM due WHERE r.id = due.id"
                " RETURNING r.*",
                {"now": now, "limit": limit, "lease": now + timedelta(seconds=lease_s)},
            )
            rows = await cur.fetchall()
        claimed = [_registration(row) for row in rows]
        claimed.sort(key=lambda r: (r.next_attempt_at or r.created_at, r.created_at))
        return claimed

    async def stats(self) -> JournalStats:
        async with self._tx() as cur:
            await cur.execute("SELECT status, count(*) AS n FROM registration GROUP BY status")
            by_status = {str(r["status"]): int(r["n"]) for r in await cur.fetchall()}
            await cur.execute(
                "SELECT min(created_at) AS oldest FROM registration "
                "WHERE status IN ('pending', 'running')"
            )
            row = await cur.fetchone()
        return JournalStats(by_status, row["oldest"] if row else None)

    async def next_referentienummer(self) -> str:
        async with self._tx() as cur:
            await cur.execute("SELECT nextval('referentienummer_seq') AS n")
            row = await cur.fetchone()
        if row is None:  # pragma: no cover - nextval always yields a row
            raise RuntimeError("The referentienummer sequence returned nothing.")
        return format_referentienummer(self._prefix, int(row["n"]))

    async def erase_payloads(
        self, now: datetime, *, completed_before: datetime, failed_before: datetime
    ) -> int:
        async with self._tx() as cur:
            await cur.execute(
                _SELECT + " WHERE payload_erased_at IS NULL AND ("
                "(status = 'completed' AND updated_at <= %s) OR "
                "(status = 'failed' AND updated_at <= %s)) FOR UPDATE SKIP LOCKED",
                (completed_before, failed_before),
            )
            found = [_registration(row) for row in await cur.fetchall()]
            for reg in found:
                gone = reg.erased(now)
                await cur.execute(
                    "UPDATE registration SET payload = %s, payload_erased_at = %s, "
                    "version = version + 1 WHERE id = %s",
                    (Jsonb(gone.payload), now, reg.id),
                )
        if found:
            await self._vacuum()
        return len(found)

    async def _vacuum(self) -> None:
        """Free the old row versions, which still hold the erased personal data.

        An UPDATE leaves the previous version of a row readable in the table until VACUUM
        removes it; erasing is only done when that copy is gone too. Plain VACUUM, not
        FULL: it takes no lock that stops the other replicas' journal work. VACUUM runs
        outside a transaction, on the pool's autocommit connection.
        """
        try:
            async with self.pool.connection() as conn:
                await conn.execute("VACUUM registration")
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise JournalUnavailable() from exc

    async def ping(self) -> None:
        """Raise `JournalUnavailable` unless the database answers (for `/ready`)."""
        async with self._tx() as cur:
            await cur.execute("SELECT 1")

    def locks(self) -> AdvisoryLocks:
        return self._locks


class AdvisoryLocks:
    """`KeyedLocks` across replicas: a PostgreSQL advisory lock per key, held on one
    connection of the pool for as long as the section runs."""

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    @staticmethod
    def key_of(key: str) -> int:
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big", signed=True)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self.key_of(key)
        try:
            async with self._pool.connection() as conn:
                await conn.execute("SELECT pg_advisory_lock(%s)", (lock,))
                try:
                    yield
                finally:
                    await conn.execute("SELECT pg_advisory_unlock(%s)", (lock,))
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise JournalUnavailable() from exc


async def migrate(pool: AsyncConnectionPool) -> int:
    """Apply the migrations this database lacks, in order; returns the schema version."""
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS bff_schema_migrations ("
            " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        cur = await conn.execute("SELECT coalesce(max(version), 0) FROM bff_schema_migrations")
        row = await cur.fetchone()
        current = int(row[0]) if row else 0
        for version, statement in enumerate(MIGRATIONS, start=1):
            if version > current:
                await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO bff_schema_migrations (version) VALUES (%s)", (version,)
                )
    return len(MIGRATIONS)


def _row(reg: Registration) -> tuple[Any, ...]:
    data = reg.model_dump(mode="json")
    return (
        reg.id,
        reg.kind,
        reg.owner,
        reg.idempotency_key,
        reg.fingerprint,
        reg.referentienummer,
        reg.status,
        reg.created_at,
        reg.updated_at,
        reg.attempts,
        reg.next_attempt_at,
        reg.lease_until,
        reg.version,
        Jsonb(data["payload"]),
        Jsonb(data["steps"]),
        reg.payload_erased_at,
    )


def _registration(row: dict[str, Any]) -> Registration:
    return Registration.model_validate(row)
