"""bff.logs: lines byte for byte what structlog's stock processors make, and loggers that
follow every reconfiguration (a test's capture) without being fetched again."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import structlog
from structlog.testing import capture_logs

from bff.logs import add_timestamp, configure_logging, get_logger


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    yield
    configure_logging()


@pytest.mark.parametrize(
    "ns",
    [
        0,
        1_000,
        999_999_999,
        1_764_330_837_000_000_000,
        1_764_330_837_000_000_999,
        1_764_330_837_123_456_789,
        1_764_330_837_999_999_999,
    ],
)
def test_timestamp_is_what_timestamper_makes(monkeypatch: pytest.MonkeyPatch, ns: int) -> None:
    """TimeStamper formats `datetime.now(UTC)` (the clock in whole microseconds, rounded
    down) as `isoformat()` with `Z`; its datetime cannot be patched, so its format is."""
    monkeypatch.setattr(time, "time_ns", lambda: ns)
    at = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=ns // 1000)
    assert add_timestamp(None, "info", {}) == {"timestamp": at.isoformat().replace("+00:00", "Z")}


def test_timestamp_is_now() -> None:
    stock = structlog.processors.TimeStamper(fmt="iso", utc=True)(None, "info", {})["timestamp"]
    ours = add_timestamp(None, "info", {})["timestamp"]
    apart = datetime.fromisoformat(ours) - datetime.fromisoformat(stock)
    assert abs(apart.total_seconds()) < 5


class _Odd:
    def __repr__(self) -> str:
        return "<odd>"


def _render(processors: list[Any], event: dict[str, Any]) -> str:
    line = dict(event)
    for processor in processors:
        line = processor(None, "info", line)
    assert isinstance(line, str)
    return line


def test_json_line_is_what_jsonrenderer_makes() -> None:
    configure_logging(fmt="json")
    processors = structlog.get_config()["processors"]
    renderer = processors[-1]
    event = {"event": "x", "a": 1, "ë": "ü", "none": None, "odd": _Odd(), "nested": {"b": [1.5]}}
    assert _render([renderer], event) == structlog.processors.JSONRenderer()(None, "info", event)
    assert json.loads(_render([renderer], event))["odd"] == "<odd>"


def test_a_logger_follows_every_configuration(capsys: pytest.CaptureFixture[str]) -> None:
    log = get_logger("bff.test")
    configure_logging("INFO")
    log.debug("hidden")
    log.info("shown", n=1)
    with capture_logs() as captured:  # changes the processors list in place
        log.info("captured", n=2)
        log.debug("captured_debug")
    log.info("after", n=3)
    configure_logging("DEBUG")  # a new wrapper class and processors list
    log.debug("debug_now")
    seen = [json.loads(line)["event"] for line in capsys.readouterr().out.splitlines()]
    assert seen == ["shown", "after", "debug_now"]
    assert [e["event"] for e in captured] == ["captured"]


def test_a_logger_writes_to_the_stream_of_the_latest_configuration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = get_logger("bff.test")
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdout", first)
    configure_logging()
    log.info("one")
    monkeypatch.setattr("sys.stdout", second)
    configure_logging()
    log.warning("two")
    assert json.loads(first.getvalue())["event"] == "one"
    line = json.loads(second.getvalue())
    assert (line["event"], line["level"]) == ("two", "warning")
