"""Capture every structlog event of a running BFF and check it for personal data.

    with capturing_logs(settings) as logs:         # start_bff does this for every test
        ...                                         # drive the app
    logs.assert_no_personal_data()                  # fails naming the event and the value

While a capture is active, logging runs at DEBUG (so a debug line with personal data
is caught too) with one extra processor that copies each event, after the exception
text is formatted and just before it is rendered: what is checked is what a log line
would contain. The app's own logging configuration is restored when the last capture
ends.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bff.logs import configure_logging
from bff.settings import Settings
from tests.helpers.personal_data import PersonalValue, PersonalValues, demo_personal_values


@dataclass(frozen=True)
class Leak:
    event: str
    values: list[PersonalValue]
    line: str

    def __str__(self) -> str:
        found = ", ".join(str(v) for v in self.values)
        return f"log event {self.event!r} contains {found}: {self.line[:300]}"


@dataclass
class LogCapture:
    """The events logged while this capture was active, as dicts (rendered: `lines()`)."""

    events: list[dict[str, Any]] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [json.dumps(e, default=str, ensure_ascii=False, sort_keys=True) for e in self.events]

    def names(self) -> list[str]:
        return [str(e.get("event")) for e in self.events]

    def leaks(self, values: PersonalValues | None = None) -> list[Leak]:
        values = values if values is not None else demo_personal_values()
        leaks = []
        for event, line in zip(self.events, self.lines(), strict=True):
            found = values.find(line)
            if found:
                leaks.append(Leak(str(event.get("event")), found, line))
        return leaks

    def assert_no_personal_data(self, values: PersonalValues | None = None) -> None:
        leaks = self.leaks(values)
        if leaks:
            listed = "\n  ".join(str(leak) for leak in leaks[:10])
            more = f"\n  ... and {len(leaks) - 10} more" if len(leaks) > 10 else ""
            raise AssertionError(f"personal data in {len(leaks)} log line(s):\n  {listed}{more}")


_active: list[LogCapture] = []


def _tap(logger: Any, method_name: str, event_dict: MutableMapping[str, Any]) -> Any:
    """structlog processor: hand a copy of the event to every active capture."""
    for capture in _active:
        capture.events.append({"level": method_name, **event_dict})
    return event_dict


@contextmanager
def capturing_logs(settings: Settings | None = None) -> Iterator[LogCapture]:
    """Capture every event logged inside the block (nested captures each see all)."""
    level, fmt = (settings.log_level, settings.log_format) if settings else ("INFO", "json")
    capture = LogCapture()
    _active.append(capture)
    configure_logging("DEBUG", fmt, extra_processors=[_tap])
    try:
        yield capture
    finally:
        _active.remove(capture)
        if not _active:
            configure_logging(level, fmt)
