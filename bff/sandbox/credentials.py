"""The credentials the sandbox upstreams accept; the demo configures the BFF with the same."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SandboxCredentials:
    klantinteracties_token: str = "sandbox-klantinteracties-token"
    zgw_client_id: str = "kcc-bff"
    zgw_secret: str = "sandbox-zgw-secret-with-at-least-32-bytes"
    brp_api_key_header: str = "X-API-KEY"
    brp_api_key: str = "sandbox-brp-api-key"
    objecten_token: str = "sandbox-objecten-token"
