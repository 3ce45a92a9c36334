"""Shows each conformance run's `N cases, M equal` line in the terminal summary, also when
the run passes and output is captured (CI logs keep the figure)."""

from __future__ import annotations

import pytest

_LINES = pytest.StashKey[list[str]]()


@pytest.fixture
def conformance_summary(request: pytest.FixtureRequest) -> list[str]:
    """Lines appended here are printed at the end of the pytest run."""
    return request.config.stash.setdefault(_LINES, [])


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    lines = config.stash.get(_LINES, [])
    if lines:
        terminalreporter.section("conformance")
        for line in lines:
            terminalreporter.write_line(line)
