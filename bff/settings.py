"""Settings: one pydantic-settings object, defaults from `config/`, `BFF_*` env vars override.

Nested values use a double underscore: `BFF_KLANTINTERACTIES__BASE_URL`,
`BFF_KLANTINTERACTIES__TOKEN`. A different defaults file can be named with
`BFF_CONFIG_FILE`. Upstream base URLs and credentials have no defaults: a deployment
must name them, and a missing one stops start-up with a message naming the setting.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEFAULT_CONFIG_FILE = Path(__file__).resolve().parent.parent / "config" / "bff.toml"


class UpstreamSettings(BaseModel):
    """What every upstream connection needs."""

    base_url: AnyHttpUrl
    timeout_s: float = Field(5.0, gt=0, description="Total time one upstream call may take.")
    connect_timeout_s: float = Field(2.0, gt=0)
    max_connections: int = Field(50, ge=1)
    max_keepalive_connections: int = Field(20, ge=0)


class TokenUpstreamSettings(UpstreamSettings):
    """Open Klant and Objects API: `Authorization: Token <token>`."""

    token: SecretStr


class ZgwUpstreamSettings(UpstreamSettings):
    """Open Zaak (Zaken, Catalogi): a ZGW JWT signed HS256 with the client secret."""

    client_id: str = Field(min_length=1)
    secret: SecretStr
    user_id: str = "kcc-bff"
    user_representation: str = "KCC BFF"
    token_lifetime_s: int = Field(600, ge=10, le=3000, description="Re-mint before `iat` ages.")


class BrpUpstreamSettings(UpstreamSettings):
    """BRP Personen bevragen: the auth scheme differs per deployment, so it is pluggable."""

    auth: Literal["api-key", "none"] = "api-key"
    api_key_header: str = "X-API-KEY"
    api_key: SecretStr | None = None
    doelbinding: str | None = None
    verwerking: str | None = None
    origin_oin: str | None = None


class ObjectenUpstreamSettings(TokenUpstreamSettings):
    productaanvraag_objecttype_url: AnyHttpUrl
    productaanvraag_objecttype_version: int = Field(1, ge=1)


class ReferentielijstenUpstreamSettings(UpstreamSettings):
    kanaal_tabel: str = "KANAAL"
    taal_tabel: str = "TAAL"
    land_tabel: str = "LAND"
    cache_ttl_s: int = Field(3600, ge=1)


class Settings(BaseSettings):
    """Everything the BFF reads at start-up."""

    model_config = SettingsConfigDict(
        env_prefix="BFF_",
        env_nested_delimiter="__",
        extra="forbid",
        toml_file=None,
    )

    environment: Literal["production", "test", "demo"] = "production"
    log_level: str = "INFO"
    log_format: Literal["json", "console"] = "json"
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)

    klantinteracties: TokenUpstreamSettings
    zaken: ZgwUpstreamSettings
    catalogi: ZgwUpstreamSettings
    brp: BrpUpstreamSettings
    objecten: ObjectenUpstreamSettings
    referentielijsten: ReferentielijstenUpstreamSettings

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = Path(os.environ.get("BFF_CONFIG_FILE", str(DEFAULT_CONFIG_FILE)))
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)


class ConfigurationError(Exception):
    """Start-up configuration is missing or malformed; the message names the settings."""


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's error into one readable message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]  # pydantic-settings fills the rest
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"])
            env = "BFF_" + "__".join(str(p) for p in err["loc"]).upper()
            lines.append(f"  {name} ({env}): {err['msg']}")
        raise ConfigurationError("Invalid configuration:\n" + "\n".join(lines)) from None
