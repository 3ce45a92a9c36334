"""What the demo tells its user: URLs, how to get a token, a value for every search criterion.

`bff demo` prints `describe_demo`; `bff sandbox` prints `describe_sandbox`, which adds the
`BFF_*` variables that point a separately started `bff serve` at that sandbox and its
demo issuer. The demo also shows how to verify the demo person, and whether the klantbeeld
requires it (`bff demo --require-verification`). The examples are read from the seeded
stores, so they always match the data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from bff.sandbox.app import Sandbox
from bff.sandbox.demo import (
    DEMO_BSN,
    DEMO_KCC_TELEFOONNUMMER,
    DEMO_PSEUDONYMISATION_KEY,
    upstream_settings,
)
from bff.sandbox.demo_content import ORGANISATIES
from bff.sandbox.issuer import demo_auth_settings, describe_token_request
from bff.settings import Settings

ISSUER_PATH = "/oidc"


def _ref_uuid(ref: object) -> str | None:
    if isinstance(ref, Mapping):
        value = ref.get("uuid")
        return str(value) if value else None
    return str(ref) if ref else None


def _demo_partij_uuid(sandbox: Sandbox) -> str | None:
    for ident in sandbox.klantinteracties.partij_identificatoren.values():
        if ident.get("codeSoortObjectId") == "bsn" and ident.get("objectId") == DEMO_BSN:
            return _ref_uuid(ident.get("partij"))
    return None


def _digitaal_adres(sandbox: Sandbox, partij_uuid: str | None, soort: str) -> str | None:
    for adres in sandbox.klantinteracties.digitaleadressen.values():
        owner = _ref_uuid(adres.get("verstrektDoorPartij"))
        if owner == partij_uuid and adres.get("soortDigitaalAdres") == soort:
            return str(adres["adres"])
    return None


def search_examples(sandbox: Sandbox) -> list[dict[str, Any]]:
    """One `POST /api/v1/partijen/zoeken` body per criterion, each finding demo data."""
    persoon = sandbox.brp.personen[DEMO_BSN]
    adres = persoon.get("verblijfplaats", {}).get("verblijfadres", {})
    partij = _demo_partij_uuid(sandbox)
    examples: list[dict[str, Any]] = [
        {"bsn": DEMO_BSN},
        {
            "geslachtsnaam": persoon["naam"]["geslachtsnaam"],
            "geboortedatum": persoon["geboorte"]["datum"]["datum"],
        },
        {"postcode": adres.get("postcode"), "huisnummer": adres.get("huisnummer")},
    ]
    telefoon = _digitaal_adres(sandbox, partij, "telefoonnummer")
    if telefoon:
        examples.append({"telefoonnummer": telefoon})
    email = _digitaal_adres(sandbox, partij, "email")
    if email:
        examples.append({"emailadres": email})
    examples.append({"kvkNummer": ORGANISATIES[0][1]})
    return examples


def _search_lines(sandbox: Sandbox) -> Iterator[str]:
    yield "Find a caller: POST /api/v1/partijen/zoeken with one of these bodies:"
    for body in search_examples(sandbox):
        yield "  " + json.dumps(body, ensure_ascii=False)


def verificatie_example(sandbox: Sandbox) -> dict[str, Any]:
    """A `POST /api/v1/verificaties` body the demo person's BRP data verifies."""
    persoon = sandbox.brp.personen[DEMO_BSN]
    adres = persoon.get("verblijfplaats", {}).get("verblijfadres", {})
    return {
        "bsn": DEMO_BSN,
        "antwoorden": {
            "geboortedatum": persoon["geboorte"]["datum"]["datum"],
            "postcode": adres.get("postcode"),
            "huisnummer": adres.get("huisnummer"),
        },
    }


def _verificatie_lines(sandbox: Sandbox, settings: Settings) -> Iterator[str]:
    if settings.klantbeeld.require_verification:
        yield (
            "Verification is required: a person's klantbeeld without a valid verificatie "
            "answers 403 verification-required (known, nothing more); pass the id as "
            '"verificatie" to POST /api/v1/klantbeeld and POST /api/v1/klantcontacten.'
        )
    else:
        yield (
            "Verification is optional (start with --require-verification to require it "
            "for the klantbeeld); registrations then record whether the caller was verified."
        )
    yield "Verify the caller: POST /api/v1/verificaties with:"
    yield "  " + json.dumps(verificatie_example(sandbox), ensure_ascii=False)


def describe_demo(sandbox: Sandbox, settings: Settings, sandbox_url: str) -> str:
    bff_url = f"http://{settings.host}:{settings.port}"
    lines = [
        f"KCC BFF demo on {bff_url}  (docs: {bff_url}/docs, readiness: {bff_url}/ready)",
        f"Sandbox upstreams on {sandbox_url}",
        f"Demo person: BSN {DEMO_BSN}, {len(sandbox.klantinteracties.klantcontacten)} "
        "klantcontacten in all",
        *_search_lines(sandbox),
        *_verificatie_lines(sandbox, settings),
        describe_token_request(f"{bff_url}/oidc"),
        "Stop with Ctrl-C.",
    ]
    return "\n".join(lines)


def _flatten(prefix: str, value: object) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, sub in value.items():
            yield from _flatten(f"{prefix}__{key.upper()}" if prefix else key.upper(), sub)
    else:
        yield f"BFF_{prefix}", str(value)


def serve_environment(sandbox: Sandbox, sandbox_url: str) -> dict[str, str]:
    """The `BFF_*` variables that point `bff serve` at a running `bff sandbox`."""
    base = sandbox_url.rstrip("/")
    sections: dict[str, object] = {
        **upstream_settings(sandbox, base),
        "auth": demo_auth_settings(base + ISSUER_PATH),
        "privacy": {"pseudonymisation_key": DEMO_PSEUDONYMISATION_KEY},
        "medewerker_actor": {"telefoonnummer": DEMO_KCC_TELEFOONNUMMER},
    }
    return dict(_flatten("", sections))


def describe_sandbox(sandbox: Sandbox, sandbox_url: str, base_paths: Mapping[str, str]) -> str:
    base = sandbox_url.rstrip("/")
    lines = [f"Sandbox upstreams listening on {base}"]
    lines += [f"  {name:<18} {base}{path}" for name, path in base_paths.items()]
    lines.append(f"  {'demo issuer':<18} {base}{ISSUER_PATH}")
    lines.append("To run `bff serve` against this sandbox, export:")
    lines += [
        f"  export {name}='{value}'" for name, value in serve_environment(sandbox, base).items()
    ]
    lines += list(_search_lines(sandbox))
    lines.append(describe_token_request(base + ISSUER_PATH))
    lines.append("Stop with Ctrl-C.")
    return "\n".join(lines)
