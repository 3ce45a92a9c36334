"""The `bff` command: configuration errors are one clear message, not a stack trace."""

from __future__ import annotations

import pytest

from bff.cli import build_parser, main


def _clear_bff_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("BFF_"):
            monkeypatch.delenv(key)


def test_serve_without_upstream_settings_names_each_missing_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _clear_bff_env(monkeypatch)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "BFF_KLANTINTERACTIES" in err
    assert "BFF_AUTH__ISSUER" in err or "auth" in err


def test_serve_with_a_malformed_url_names_that_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _clear_bff_env(monkeypatch)
    monkeypatch.setenv("BFF_KLANTINTERACTIES__BASE_URL", "not a url")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "klantinteracties.base_url (BFF_KLANTINTERACTIES__BASE_URL)" in err


def test_parser_knows_the_three_commands() -> None:
    parser = build_parser()
    for command in ("serve", "sandbox", "demo"):
        assert parser.parse_args([command]).command == command
    assert parser.parse_args(["demo", "--port", "9000"]).port == 9000
