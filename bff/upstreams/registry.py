"""The upstream clients of one running BFF: built once in the lifespan, probed for readiness.

`build_upstreams` makes one long-lived `httpx.AsyncClient` per upstream (its own base
URL, timeouts, pool, auth and headers); a `transport` given by a test is used by all.

Probes are cheap reads (a one-item list page; Catalogi has no `pageSize`, its first
zaaktypen page is small). BRP has no cheap read: its probe is a deliberately empty
query that the service must refuse with 400 (see `BrpClient.probe`). A probe never
raises; a failure becomes `ProbeResult(ok=False, detail=...)`.
"""

from __future__ import annotations

import asyncio
import functools
import time
from dataclasses import dataclass, fields
from typing import Protocol

import httpx

from bff.errors import BffError
from bff.logs import get_logger
from bff.settings import Settings
from bff.upstreams.auth import TokenAuth, ZgwJwtAuth, brp_auth
from bff.upstreams.base import CallObserver, WrapTransport
from bff.upstreams.base import make_http_client as _make_http_client
from bff.upstreams.brp import BrpClient, brp_purpose_headers
from bff.upstreams.catalogi import CatalogiClient
from bff.upstreams.klantinteracties import KlantinteractiesClient
from bff.upstreams.objecten import ObjectenClient
from bff.upstreams.referentielijsten import ReferentielijstenClient
from bff.upstreams.zaken import ZakenClient

log = get_logger("bff.upstream")


@dataclass
class ProbeResult:
    ok: bool
    detail: str | None = None
    api_version: str | None = None
    elapsed_ms: float | None = None


class _Probed(Protocol):
    async def probe(self) -> str | None: ...

    async def aclose(self) -> None: ...


@dataclass
class Upstreams:
    klantinteracties: KlantinteractiesClient
    zaken: ZakenClient
    catalogi: CatalogiClient
    brp: BrpClient
    objecten: ObjectenClient
    referentielijsten: ReferentielijstenClient

    def observe(self, observer: CallObserver) -> None:
        """Tell `observer` (the app's metrics) about every call of every upstream."""
        for f in fields(self):
            getattr(self, f.name).observer = observer

    def _clients(self) -> dict[str, _Probed]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    async def probe_all(self) -> dict[str, ProbeResult]:
        """Probe every upstream concurrently; each result says ok or why not."""
        clients = self._clients()
        results = await asyncio.gather(*(_probe(name, c) for name, c in clients.items()))
        return dict(zip(clients, results, strict=True))

    async def aclose(self) -> None:
        outcomes = await asyncio.gather(
            *(c.aclose() for c in self._clients().values()), return_exceptions=True
        )
        for name, outcome in zip(self._clients(), outcomes, strict=True):
            if isinstance(outcome, BaseException):
                log.warning("upstream_close_failed", upstream=name, error=type(outcome).__name__)


async def _probe(name: str, client: _Probed) -> ProbeResult:
    started = time.perf_counter()

    def elapsed() -> float:
        return round((time.perf_counter() - started) * 1000, 1)

    try:
        version = await client.probe()
    except BffError as exc:
        return ProbeResult(ok=False, detail=exc.detail, elapsed_ms=elapsed())
    except Exception as exc:  # a probe reports, never raises
        log.warning("upstream_probe_failed", upstream=name, error=type(exc).__name__)
        return ProbeResult(
            ok=False, detail=f"{name} probe failed ({type(exc).__name__}).", elapsed_ms=elapsed()
        )
    return ProbeResult(ok=True, api_version=version, elapsed_ms=elapsed())


def build_upstreams(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    wrap_transport: WrapTransport | None = None,
) -> Upstreams:
    ki, zaken, catalogi = settings.klantinteracties, settings.zaken, settings.catalogi
    brp, objecten, ref = settings.brp, settings.objecten, settings.referentielijsten
    make_http_client = functools.partial(_make_http_client, wrap_transport=wrap_transport)
    return Upstreams(
        klantinteracties=KlantinteractiesClient(
            make_http_client(ki, auth=TokenAuth(ki.token.get_secret_value()), transport=transport),
            timeout_s=ki.timeout_s,
        ),
        zaken=ZakenClient(
            make_http_client(zaken, auth=ZgwJwtAuth.from_settings(zaken), transport=transport),
            timeout_s=zaken.timeout_s,
        ),
        catalogi=CatalogiClient(
            make_http_client(
                catalogi, auth=ZgwJwtAuth.from_settings(catalogi), transport=transport
            ),
            timeout_s=catalogi.timeout_s,
        ),
        brp=BrpClient(
            make_http_client(
                brp, auth=brp_auth(brp), headers=brp_purpose_headers(brp), transport=transport
            ),
            timeout_s=brp.timeout_s,
        ),
        objecten=ObjectenClient(
            make_http_client(
                objecten, auth=TokenAuth(objecten.token.get_secret_value()), transport=transport
            ),
            timeout_s=objecten.timeout_s,
        ),
        referentielijsten=ReferentielijstenClient(
            make_http_client(ref, transport=transport),
            timeout_s=ref.timeout_s,
            probe_tabel=ref.kanaal_tabel,
        ),
    )
