"""The `bff` command: configuration errors are one clear message, not a stack trace."""

from __future__ import annotations

from pathlib import Path

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


def test_a_missing_section_names_the_exact_variables_it_needs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _clear_bff_env(monkeypatch)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    for variable in (
        "BFF_KLANTINTERACTIES__BASE_URL",
        "BFF_KLANTINTERACTIES__TOKEN",
        "BFF_ZAKEN__CLIENT_ID",
        "BFF_OBJECTEN__PRODUCTAANVRAAG_OBJECTTYPE_URL",
        "BFF_MEDEWERKER_ACTOR__TELEFOONNUMMER",
    ):
        assert f"({variable}): required" in err
    named = {line.split("(")[1].split(")")[0] for line in err.splitlines() if "(" in line}
    assert "BFF_KLANTINTERACTIES" not in named  # no variable that does not exist
    assert all("__" in variable for variable in named)


def test_a_list_setting_is_named_by_its_variable_not_its_index(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _clear_bff_env(monkeypatch)
    monkeypatch.setenv("BFF_CORS_ORIGINS", '["*"]')
    assert main(["serve"]) == 2
    assert "cors_origins (BFF_CORS_ORIGINS):" in capsys.readouterr().err


def test_a_config_file_that_does_not_exist_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _clear_bff_env(monkeypatch)
    monkeypatch.setenv("BFF_CONFIG_FILE", str(tmp_path / "missing.toml"))
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "BFF_CONFIG_FILE" in err
    assert "missing.toml" in err
    assert "Traceback" not in err
