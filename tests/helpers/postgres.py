"""A throw-away PostgreSQL database for the tests of the shared registration store.

The machine's server (127.0.0.1:5432, trust auth; `BFF_TEST_POSTGRES_URL` overrides) gets
one database per test session with a random name, dropped at the end. Without a server
the tests skip, except in CI (`CI` set), where `.ci/run` starts one and a missing server
is a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

SERVER = os.environ.get("BFF_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def scratch_database() -> Iterator[str]:
    """Create a database, yield its URL, drop it (with whatever still holds it)."""
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise AssertionError(f"CI needs PostgreSQL at {SERVER}: {exc}") from exc
        pytest.skip(f"no PostgreSQL at {SERVER} (CI starts one): {exc}")
    name = f"bff_test_{secrets.token_hex(6)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield SERVER.rsplit("/", 1)[0] + "/" + name
        finally:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
