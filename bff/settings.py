"""Settings: one pydantic-settings object, defaults from `config/`, `BFF_*` env vars override.

Nested values use a double underscore: `BFF_KLANTINTERACTIES__BASE_URL`,
`BFF_KLANTINTERACTIES__TOKEN`. A different defaults file can be named with
`BFF_CONFIG_FILE`. Upstream base URLs and credentials have no defaults: a deployment
must name them, and a missing one stops start-up with a message naming the setting.
The same holds for the OIDC issuer and JWKS URL (`auth`) and the pseudonymisation key
(`privacy`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bff.validation import REFUSED_PHONE_PREFIXES

DEFAULT_CONFIG_FILE = Path(__file__).resolve().parent.parent / "config" / "bff.toml"
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


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


JwsAlgorithm = Literal["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]


def _default_algorithms() -> list[JwsAlgorithm]:
    return ["RS256", "ES256"]


class AuthSettings(BaseModel):
    """The municipality's OpenID Connect provider and how its tokens map to BFF roles.

    `issuer` and `jwks_url` have no default: a deployment names its provider.
    `roles_claim` is a dotted path into the token (`roles`, `realm_access.roles`).
    """

    issuer: str = Field(min_length=1, description="Exact `iss` value of the tokens.")
    jwks_url: AnyHttpUrl
    audience: str = Field("kcc-bff", min_length=1)
    algorithms: list[JwsAlgorithm] = Field(default_factory=_default_algorithms, min_length=1)
    roles_claim: str = "roles"
    medewerker_role: str = "kcc-medewerker"
    vertrouwelijk_role: str = "kcc-vertrouwelijk"
    name_claim: str = "name"
    email_claim: str = "email"
    leeway_s: int = Field(30, ge=0, le=300, description="Clock skew allowed on exp/nbf/iat.")
    jwks_cache_ttl_s: int = Field(3600, ge=60)
    jwks_refresh_interval_s: float = Field(
        30.0, ge=0, description="At most one refetch per interval for an unknown `kid`."
    )
    jwks_timeout_s: float = Field(5.0, gt=0)


class BrpPurpose(BaseModel):
    """BRP purpose headers for one processing activity; unset values fall back to `brp`."""

    doelbinding: str | None = None
    verwerking: str | None = None
    gebruiker: str | None = Field(None, description="Fixed value; unset: the medewerker.")


class PrivacySettings(BaseModel):
    """The processing log (Logboek Dataverwerkingen), the audit log and BRP purposes."""

    pseudonymisation_key: SecretStr = Field(description="HMAC key for data subject ids.")
    sink: Literal["jsonl", "memory"] = "jsonl"
    processing_log_path: Path = Path("var/log/verwerkingen.jsonl")
    audit_log_path: Path = Path("var/log/audit.jsonl")
    processing_activity_base: str = "urn:kcc-bff:verwerkingsactiviteit:"
    processing_activities: dict[str, str] = Field(
        default_factory=dict, description="Endpoint activity key -> register URI."
    )
    brp_purposes: dict[str, BrpPurpose] = Field(default_factory=dict)

    @field_validator("pseudonymisation_key")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 32:
            raise ValueError("use at least 32 characters")
        return value

    @model_validator(mode="after")
    def _separate_logs(self) -> PrivacySettings:
        if self.processing_log_path.resolve() == self.audit_log_path.resolve():
            raise ValueError("processing_log_path and audit_log_path must be different files")
        return self

    def activity_id(self, activity: str) -> str:
        """The register URI of a processing activity, configured or derived from its key."""
        return self.processing_activities.get(activity) or self.processing_activity_base + activity


class RegistrationSettings(BaseModel):
    """The registration journal ("never lose a call") and its retry policy.

    The SQLite file holds request payloads, i.e. personal data: put it on an encrypted
    volume readable only by the BFF (it is created with mode 0600).
    """

    store: Literal["sqlite", "memory", "postgresql"] = "sqlite"
    sqlite_path: Path = Path("var/registrations.sqlite3")
    postgresql_dsn: SecretStr | None = Field(
        None, description="With store 'postgresql': libpq DSN or URL of the shared journal."
    )
    postgresql_pool_size: int = Field(10, ge=1, le=100, description="Connections per replica.")
    postgresql_timeout_s: float = Field(
        3.0, gt=0, le=30, description="Wait this long for a connection, then answer 503."
    )
    referentienummer_prefix: str = Field(
        "", pattern=r"^[0-9]{0,4}$", description="Leading digits of every minted referentienummer."
    )
    inline_budget_s: float = Field(3.0, ge=0, description="Answer 201 if done within; else 202.")
    backoff_base_s: float = Field(2.0, gt=0)
    backoff_cap_s: float = Field(300.0, gt=0)
    max_attempts: int = Field(20, ge=1, description="Per step, before it is failed for good.")
    max_unexpected_attempts: int = Field(
        3, ge=1, description="Per step that raised something unexpected (a bug), before it fails."
    )
    settle_s: float = Field(
        60.0,
        ge=0,
        description="How long an upstream may go on working on a write the BFF gave up on "
        "(its own request timeout); a step whose write timed out looks again only after this.",
    )
    max_age_s: float = Field(86400.0, gt=0, description="Give up on a registration this old.")
    poll_interval_s: float = Field(2.0, gt=0)
    lease_s: float = Field(60.0, gt=0, description="A worker's claim; renewed while it runs.")
    claim_limit: int = Field(10, ge=1, description="Registrations resumed per poll.")
    allow_unidentified_callers: bool = Field(
        True,
        description="False: a klantcontact without partij, BSN or KvK-nummer is refused (422).",
    )
    retention_completed_s: float = Field(
        7 * 86400.0, gt=0, description="Erase a completed registration's personal data after."
    )
    retention_failed_s: float = Field(
        30 * 86400.0, gt=0, description="Erase a failed registration's personal data after."
    )
    retention_check_interval_s: float = Field(
        300.0, gt=0, description="How often the runner looks for payloads to erase."
    )

    @model_validator(mode="after")
    def _dsn_for_postgresql(self) -> RegistrationSettings:
        if self.store == "postgresql" and self.postgresql_dsn is None:
            raise ValueError("store 'postgresql' needs postgresql_dsn")
        return self


class MedewerkerActorSettings(BaseModel):
    """How the logged-in medewerker is recorded as an actor in Klantinteracties."""

    functie: str = Field("KCC-medewerker", max_length=40)
    telefoonnummer: str = Field(
        pattern=r"^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$",
        description="The KCC's phone number: Open Klant requires one on a medewerker actor.",
    )
    cache_ttl_s: int = Field(3600, ge=1)

    @field_validator("telefoonnummer")
    @classmethod
    def _accepted_by_open_klant(cls, value: str) -> str:
        if value.startswith(REFUSED_PHONE_PREFIXES):
            raise ValueError("Open Klant refuses 0800, 0900, 1400 and 140xx numbers on an actor")
        return value


class ActorenSettings(BaseModel):
    """The in-memory index of active actoren (pick a colleague or afdeling by naam)."""

    refresh_interval_s: float = Field(300.0, gt=0, description="Background reload period.")
    max_results: int = Field(20, ge=1, le=100, description="Most actoren one search returns.")
    lookup_ttl_s: int = Field(600, ge=1, description="Cache of actoren fetched by uuid.")


class KlantbeeldSettings(BaseModel):
    """The klantbeeld: its time budget and page sizes."""

    budget_s: float = Field(2.5, gt=0, le=30, description="Sections not done by then: timeout.")
    klantcontacten_page_size: int = Field(20, ge=1, le=50)
    klantcontacten_max_page_size: int = Field(50, ge=1, le=500)
    zaken_limit: int = Field(50, ge=1, le=500, description="Most zaken shown (newest first).")
    require_verification: bool = Field(
        False,
        description="A person's klantbeeld only with a valid verificatie; without one the "
        "answer says only whether the person is known, and a registration records that the "
        "caller was not verified.",
    )


Vraag = Literal["geboortedatum", "postcode_huisnummer", "geboorteplaats"]


def _alle_vragen() -> list[Vraag]:
    return ["geboortedatum", "postcode_huisnummer", "geboorteplaats"]


class VerificatieSettings(BaseModel):
    """Verifying a caller (`POST /api/v1/verificaties`) against the BRP.

    The attempt counts and locks are kept per process: with several worker processes or
    replicas a person gets `max_failures` attempts per process within the window.
    Verificatie ids are signed (`bff.verificaties`) and hold in every process."""

    vragen: list[Vraag] = Field(
        default_factory=_alle_vragen, min_length=1, description="The control questions asked."
    )
    min_juist: int = Field(2, ge=1, le=3, description="How many answers must match.")
    max_failures: int = Field(3, ge=1, le=20, description="Failed attempts per person that,")
    failure_window_s: float = Field(900.0, gt=0, description="within this window,")
    lockout_s: float = Field(900.0, gt=0, description="lock verification this long.")
    geldig_s: float = Field(1800.0, gt=0, le=86400, description="How long a verification holds.")

    @model_validator(mode="after")
    def _enough_vragen(self) -> VerificatieSettings:
        if self.min_juist > len(set(self.vragen)):
            raise ValueError("min_juist is more than the number of vragen asked")
        return self


class ZoekenSettings(BaseModel):
    """Finding the caller (`POST /api/v1/partijen/zoeken`): hits per search, lookups at once."""

    max_hits: int = Field(
        20, ge=1, le=20, description="Most hits one search returns (one BRP call enriches 20)."
    )
    lookup_concurrency: int = Field(
        8, ge=1, le=20, description="Partij lookups one search has in flight at once."
    )


class AdmissionSettings(BaseModel):
    """In-flight limits per route class and worker; beyond them a fast 503 (`bff.admission`)."""

    read_in_flight: int = Field(64, ge=1, description="Reads (klantbeeld, zoeken, GETs).")
    write_in_flight: int = Field(32, ge=1, description="Registrations and changes.")
    retry_after_s: int = Field(1, ge=1, le=60, description="`Retry-After` on the 503.")
    loop_delay_target_ms: float = Field(
        2.0,
        ge=0,
        description="Limits shrink while the event loop runs later than this throughout "
        "100 ms (`bff.admission_limit`); 0: the limits stay fixed.",
    )


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
    cors_origins: list[str] = Field(default_factory=list, description="Exact origins; no `*`.")
    max_body_bytes: int = Field(64 * 1024, ge=1024, le=16 * 1024 * 1024)

    klantinteracties: TokenUpstreamSettings
    zaken: ZgwUpstreamSettings
    catalogi: ZgwUpstreamSettings
    brp: BrpUpstreamSettings
    objecten: ObjectenUpstreamSettings
    referentielijsten: ReferentielijstenUpstreamSettings
    medewerker_actor: MedewerkerActorSettings
    auth: AuthSettings
    privacy: PrivacySettings
    registration: RegistrationSettings = Field(default_factory=RegistrationSettings)
    actoren: ActorenSettings = Field(default_factory=ActorenSettings)
    klantbeeld: KlantbeeldSettings = Field(default_factory=KlantbeeldSettings)
    zoeken: ZoekenSettings = Field(default_factory=ZoekenSettings)
    verificatie: VerificatieSettings = Field(default_factory=VerificatieSettings)
    admission: AdmissionSettings = Field(default_factory=AdmissionSettings)

    @field_validator("cors_origins")
    @classmethod
    def _exact_origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if not _ORIGIN.match(origin):
                raise ValueError(f"{origin!r} is not an exact origin like https://kcc.example.nl")
        return value

    @model_validator(mode="after")
    def _durable_logs_in_production(self) -> Settings:
        if self.environment == "production" and self.privacy.sink == "memory":
            raise ValueError("privacy.sink 'memory' loses the processing log; use 'jsonl'")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_file()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)


class ConfigurationError(Exception):
    """Start-up configuration is missing or malformed; the message names the settings."""


def config_file() -> Path | None:
    """The defaults file: `BFF_CONFIG_FILE` must exist; the bundled one may be absent."""
    named = os.environ.get("BFF_CONFIG_FILE")
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigurationError(
                f"Invalid configuration:\n  BFF_CONFIG_FILE: no such file: {named}"
            )
        return path
    return DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.is_file() else None


def _required_leaves(model: type[BaseModel], loc: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The required settings below `loc`: a missing section names each one it needs."""
    leaves: list[tuple[str, ...]] = []
    for name, field in model.model_fields.items():
        if not field.is_required():
            continue
        sub = field.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            leaves.extend(_required_leaves(sub, (*loc, name)))
        else:
            leaves.append((*loc, name))
    return leaves


def _section_model(loc: tuple[str, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] = Settings
    for part in loc:
        field = model.model_fields.get(part)
        sub = field.annotation if field else None
        if not (isinstance(sub, type) and issubclass(sub, BaseModel)):
            return None
        model = sub
    return model


def _describe(loc: tuple[str, ...], msg: str) -> str:
    name = ".".join(loc)
    return f"  {name} (BFF_{'__'.join(loc).upper()}): {msg}"


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's error into one message naming each variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]  # pydantic-settings fills the rest
    except ValidationError as exc:
        lines: list[str] = []
        for err in exc.errors():
            # A list index or a dict key names no variable of its own: stop before it.
            loc: tuple[str, ...] = ()
            for part in err["loc"]:
                if not isinstance(part, str) or (loc and _section_model(loc) is None):
                    break
                loc = (*loc, part)
            section = _section_model(loc) if err["type"] == "missing" else None
            if section is not None:
                lines.extend(_describe(leaf, "required") for leaf in _required_leaves(section, loc))
            else:
                lines.append(_describe(loc, "required" if err["type"] == "missing" else err["msg"]))
        raise ConfigurationError("Invalid configuration:\n" + "\n".join(lines)) from None
