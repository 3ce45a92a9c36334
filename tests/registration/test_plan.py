"""Plans, failure classification, backoff, idempotency keys and the configured store."""

from __future__ import annotations

from pathlib import Path

import pytest

from bff.errors import BffError, InvalidInput, NotFound, UpstreamError
from bff.registration import open_store
from bff.registration.memory import InMemoryRegistrationStore
from bff.registration.model import parse_idempotency_key
from bff.registration.plan import StepSpec, backoff_s, classify, plan_steps
from bff.registration.sqlite import SqliteRegistrationStore
from bff.settings import RegistrationSettings
from tests.registration.fakes import Calls, Ok


def test_plan_steps_keep_order_and_dependencies() -> None:
    ok = Ok(Calls())
    plan = {"a": StepSpec(ok), "b": StepSpec(ok, ("a",))}

    assert plan_steps(plan) == [("a", ()), ("b", ("a",))]


def test_plan_with_unknown_dependency_or_cycle_is_a_programming_error() -> None:
    ok = Ok(Calls())
    with pytest.raises(ValueError, match="unknown"):
        plan_steps({"a": StepSpec(ok, ("z",))})
    with pytest.raises(ValueError, match="cycle"):
        plan_steps({"a": StepSpec(ok, ("b",)), "b": StepSpec(ok, ("a",))})


def test_upstream_5xx_is_transient_and_bff_errors_are_permanent() -> None:
    transient, error = classify(UpstreamError("zaken", "zaken answered 500.", reason="status"))
    assert (transient, error.upstream, error.reason) == ("transient", "zaken", "status")

    permanent, error = classify(InvalidInput.one("kanaal", "Unknown kanaal.", "unknown"))
    assert permanent == "permanent"
    assert error.invalid_params == [{"name": "kanaal", "code": "unknown"}]

    assert classify(NotFound("No such partij."))[0] == "permanent"


def test_a_paused_journal_in_a_step_is_transient() -> None:
    class Paused(BffError):  # like the PostgreSQL journal's JournalUnavailable
        status = 503
        slug = "journal-unavailable"

    outcome, error = classify(Paused("The BFF cannot store registrations right now."))

    assert (outcome, error.upstream, error.reason) == ("transient", "bff", "journal-unavailable")


def test_unexpected_exceptions_are_retried_without_their_message() -> None:
    outcome, error = classify(KeyError("999993653"))

    assert outcome == "transient"
    assert "999993653" not in error.message
    assert error.reason == "internal-error"


def test_backoff_doubles_up_to_the_cap_with_equal_jitter() -> None:
    assert [backoff_s(n, base_s=2, cap_s=10, jitter=0.0) for n in (1, 2, 3, 4)] == [1, 2, 4, 5]
    assert backoff_s(1, base_s=2, cap_s=10, jitter=0.999) == pytest.approx(2, abs=0.01)


@pytest.mark.parametrize("raw", ["", " ", "x" * 201, "sleutel-é", "a\tb"])
def test_bad_idempotency_keys_are_invalid_input(raw: str) -> None:
    with pytest.raises(InvalidInput):
        parse_idempotency_key(raw)


def test_idempotency_key_is_optional_and_trimmed() -> None:
    assert parse_idempotency_key(None) is None
    assert parse_idempotency_key(" 0b6f-uuid ") == "0b6f-uuid"


async def test_open_store_follows_the_settings(tmp_path: Path) -> None:
    memory = await open_store(RegistrationSettings(store="memory"))
    sqlite = await open_store(RegistrationSettings(sqlite_path=tmp_path / "r.sqlite3"))
    try:
        assert isinstance(memory, InMemoryRegistrationStore)
        assert isinstance(sqlite, SqliteRegistrationStore)
        assert (tmp_path / "r.sqlite3").is_file()
    finally:
        await memory.close()
        await sqlite.close()
