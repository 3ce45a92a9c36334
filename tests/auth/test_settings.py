"""Security settings: what has no default, what is refused, and the BRP purpose headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bff.auth.identity import Medewerker
from bff.privacy.purpose import brp_purpose_headers
from bff.settings import ConfigurationError, Settings, load_settings
from tests.auth.conftest import make_settings, upstream_settings
from tests.helpers.auth import make_issuer, privacy_settings


def settings(**overrides: Any) -> Settings:
    return make_settings(make_issuer(), **overrides)


def test_issuer_jwks_and_key_have_no_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BFF_AUTH__ISSUER", "BFF_AUTH__JWKS_URL", "BFF_PRIVACY__PSEUDONYMISATION_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(**upstream_settings())
    message = str(caught.value)
    assert "BFF_AUTH__ISSUER" in message
    assert "BFF_AUTH__JWKS_URL" in message
    assert "BFF_PRIVACY__PSEUDONYMISATION_KEY" in message


def test_defaults_come_from_the_config_file() -> None:
    made = settings()
    assert made.auth.roles_claim == "roles"
    assert (made.auth.medewerker_role, made.auth.vertrouwelijk_role) == (
        "kcc-medewerker",
        "kcc-vertrouwelijk",
    )
    assert made.auth.leeway_s == 30
    assert made.max_body_bytes == 65536
    assert made.cors_origins == []
    assert made.privacy.activity_id("klantbeeld") == "urn:kcc-bff:verwerkingsactiviteit:klantbeeld"


@pytest.mark.parametrize("origin", ["*", "https://kcc.example.nl/", "kcc.example.nl", "null"])
def test_cors_origins_must_be_exact(origin: str) -> None:
    with pytest.raises(ValueError, match="exact origin"):
        settings(cors_origins=[origin])


@pytest.mark.parametrize("number", ["0800123456", "0900123456"])  # 140xx fails the pattern
def test_a_kcc_telefoonnummer_open_klant_refuses_is_refused(number: str) -> None:
    with pytest.raises(ValueError, match="0800, 0900, 1400 and 140xx"):
        settings(medewerker_actor={"telefoonnummer": number})


def test_short_pseudonymisation_key_is_refused() -> None:
    with pytest.raises(ValueError, match="32 characters"):
        settings(privacy=privacy_settings(pseudonymisation_key="too-short"))


def test_memory_sink_is_refused_in_production() -> None:
    with pytest.raises(ValueError, match="loses the processing log"):
        settings(environment="production")


def test_processing_and_audit_logs_must_be_separate_files(tmp_path: Path) -> None:
    same = tmp_path / "log.jsonl"
    with pytest.raises(ValueError, match="different files"):
        settings(privacy=privacy_settings(tmp_path, audit_log_path=same, processing_log_path=same))


def test_env_vars_override_per_activity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "BFF_PRIVACY__PROCESSING_ACTIVITIES__KLANTBEELD", "https://register.example/va/1"
    )
    monkeypatch.setenv("BFF_PRIVACY__BRP_PURPOSES__PERSONEN_ZOEKEN__DOELBINDING", "KCC-zoeken")
    monkeypatch.setenv("BFF_PRIVACY__PSEUDONYMISATION_KEY", "e" * 40)
    made = load_settings(**upstream_settings(), auth=settings().auth.model_dump(mode="json"))
    assert made.privacy.activity_id("klantbeeld") == "https://register.example/va/1"
    assert made.privacy.brp_purposes["personen_zoeken"].doelbinding == "KCC-zoeken"


def test_brp_purpose_headers_per_activity_with_fallback_to_the_brp_section() -> None:
    brp = {**upstream_settings()["brp"], "doelbinding": "BRPACT-KCC", "verwerking": "Klantcontact"}
    privacy = privacy_settings(
        brp_purposes={
            "personen_zoeken": {"doelbinding": "BRPACT-Zoeken"},
            "batch": {"gebruiker": "kcc-bff-batch"},
        }
    )
    made = settings(brp=brp, privacy=privacy)
    anna = Medewerker("mdw-anna", "Anna de Vries")
    assert brp_purpose_headers(made, "personen_zoeken", anna) == {
        "x-doelbinding": "BRPACT-Zoeken",
        "x-verwerking": "Klantcontact",
        "x-gebruiker": "mdw-anna",
    }
    assert brp_purpose_headers(made, "batch", anna)["x-gebruiker"] == "kcc-bff-batch"
    assert brp_purpose_headers(make_settings(make_issuer()), "klantbeeld") == {}
