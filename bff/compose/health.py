"""Readiness: per-upstream probe results folded into one answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from bff.compose.base import OutModel
from bff.upstreams.registry import ProbeResult

MINIMUM_KLANTINTERACTIES_VERSION = (0, 9, 0)


class UpstreamCheck(OutModel):
    status: Literal["ok", "unavailable", "incompatible"]
    detail: str | None = None
    api_version: str | None = None
    elapsed_ms: float | None = None


class Readiness(OutModel):
    status: Literal["ok", "unavailable"]
    upstreams: dict[str, UpstreamCheck]


def _version(text: str | None) -> tuple[int, ...] | None:
    if not text:
        return None
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        return None


def compose_readiness(probes: Mapping[str, ProbeResult]) -> Readiness:
    checks: dict[str, UpstreamCheck] = {}
    for name, probe in probes.items():
        if not probe.ok:
            checks[name] = UpstreamCheck(status="unavailable", detail=probe.detail)
            continue
        if name == "klantinteracties":
            version = _version(probe.api_version)
            if version is None or version < MINIMUM_KLANTINTERACTIES_VERSION:
                checks[name] = UpstreamCheck(
                    status="incompatible",
                    api_version=probe.api_version,
                    detail="API-version 0.9.0 or newer is required.",
                    elapsed_ms=probe.elapsed_ms,
                )
                continue
        checks[name] = UpstreamCheck(
            status="ok", api_version=probe.api_version, elapsed_ms=probe.elapsed_ms
        )
    overall: Literal["ok", "unavailable"] = (
        "ok" if all(c.status == "ok" for c in checks.values()) else "unavailable"
    )
    return Readiness(status=overall, upstreams=checks)
