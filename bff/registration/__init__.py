"""Durable registrations ("never lose a call"): journal, store, runner.

A write endpoint journals its validated request as a `Registration` before the first
upstream call, then a `RegistrationRunner` executes the feature's *plan* of idempotent
steps, resuming after failures and restarts. See `runner` for the step contract.
"""

from __future__ import annotations

from bff.registration.memory import InMemoryRegistrationStore
from bff.registration.model import Registration, Step, StepError, parse_idempotency_key
from bff.registration.plan import Plan, PlanFactory, StepContext, StepSpec
from bff.registration.runner import RegistrationRunner, Submission
from bff.registration.sqlite import SqliteRegistrationStore
from bff.registration.store import RegistrationStore, VersionConflict
from bff.settings import RegistrationSettings

__all__ = [
    "InMemoryRegistrationStore",
    "Plan",
    "PlanFactory",
    "Registration",
    "RegistrationRunner",
    "RegistrationStore",
    "SqliteRegistrationStore",
    "Step",
    "StepContext",
    "StepError",
    "StepSpec",
    "Submission",
    "VersionConflict",
    "open_store",
    "parse_idempotency_key",
]


async def open_store(settings: RegistrationSettings) -> RegistrationStore:
    """The configured store, opened (schema created). Close it with `await store.close()`."""
    prefix = settings.referentienummer_prefix
    if settings.store == "memory":
        return InMemoryRegistrationStore(referentienummer_prefix=prefix)
    if settings.store == "postgresql" and settings.postgresql_dsn is not None:
        from bff.registration.postgresql import PostgresRegistrationStore  # the optional driver

        return await PostgresRegistrationStore(
            settings.postgresql_dsn.get_secret_value(),
            referentienummer_prefix=prefix,
            max_size=settings.postgresql_pool_size,
            timeout_s=settings.postgresql_timeout_s,
        ).open()
    return await SqliteRegistrationStore(
        settings.sqlite_path, referentienummer_prefix=prefix
    ).open()
