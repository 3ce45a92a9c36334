"""An end-to-end harness: the BFF over the sandbox upstreams, with real signed tokens.

    async with start_bff() as bff:                       # demo data loaded
        r = await bff.client.post("/api/v1/klantbeeld", json=..., headers=bff.auth())
        bff.sandbox.klantinteracties.klantcontacten     # what reached the upstream
        bff.sandbox.faults.add("brp", status=503)        # make an upstream fail
        bff.processing_records()                          # the Logboek records written
        bff.logs.events                                   # every structlog event logged

Every log event of the app is captured; when the block ends without an error, any
event holding a personal value of the demo data (BSN, name, address, e-mail, phone,
message text) fails the test (`tests.helpers.logcapture`). `wrap_transport` wraps the
transport every upstream call goes through (to record or rewrite upstream traffic).

The demo sandbox is built once per test run and deep-copied for each test, so tests
may write to it freely.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette

from bff.app import create_app
from bff.privacy.processing import InMemorySink
from bff.sandbox.app import Sandbox
from bff.sandbox.demo import build_demo_sandbox, upstream_settings
from bff.sandbox.issuer import DemoIssuer
from bff.services import Services
from bff.settings import Settings, load_settings
from tests.helpers.asgi import running
from tests.helpers.auth import (
    MEDEWERKER_ROLES,
    VERTROUWELIJK_ROLES,
    bearer,
    make_issuer,
    security_settings,
    with_issuer,
)
from tests.helpers.logcapture import LogCapture, capturing_logs

UPSTREAM_URL = "http://upstream.test"
DEMO_BSN = "999993653"


@functools.cache
def _pristine_demo() -> Sandbox:
    # Built in a thread of its own: the tests already run inside an event loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(build_demo_sandbox).result()


def demo_sandbox() -> Sandbox:
    """A private copy of the demo sandbox (built once per run)."""
    return copy.deepcopy(_pristine_demo())


def bff_settings(sandbox: Sandbox, issuer: DemoIssuer, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "log_format": "json",
        **upstream_settings(sandbox, UPSTREAM_URL),
        **security_settings(issuer),
        "medewerker_actor": {"telefoonnummer": "0201234500"},
        "registration": {"store": "memory", "backoff_base_s": 0.01, "poll_interval_s": 0.05},
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(values.get(key), dict):
            values[key] = {**values[key], **value}
        else:
            values[key] = value
    return load_settings(**values)


@dataclass
class Bff:
    app: Starlette
    client: httpx.AsyncClient
    sandbox: Sandbox
    issuer: DemoIssuer
    settings: Settings
    logs: LogCapture = field(default_factory=LogCapture)

    def auth(
        self,
        roles: Sequence[str] = MEDEWERKER_ROLES,
        *,
        subject: str = "mdw-anna",
        naam: str = "Anna de Vries",
        email: str = "anna.devries@gemeente.example",
        **kwargs: Any,
    ) -> dict[str, str]:
        """Bearer headers; by default the demo medewerker Anna (kcc-medewerker)."""
        return bearer(self.issuer, roles=roles, subject=subject, naam=naam, email=email, **kwargs)

    def auth_vertrouwelijk(self, **kwargs: Any) -> dict[str, str]:
        return self.auth(VERTROUWELIJK_ROLES, **kwargs)

    @property
    def services(self) -> Services:
        found: Services = self._services
        return found

    def processing_records(self) -> list[Any]:
        sink = self.services.privacy.processing.sink
        assert isinstance(sink, InMemorySink)
        return list(sink.records)

    def audit_records(self) -> list[Any]:
        sink = self.services.privacy.audit.sink
        assert isinstance(sink, InMemorySink)
        return list(sink.records)


@asynccontextmanager
async def start_bff(
    sandbox: Sandbox | None = None,
    *,
    demo: bool = True,
    wrap_transport: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport] | None = None,
    tracer_provider: Any = None,
    **overrides: Any,
) -> AsyncIterator[Bff]:
    """The BFF wired to `sandbox` (default: a fresh copy of the demo sandbox)."""
    sandbox = sandbox or (demo_sandbox() if demo else Sandbox(seed=1))
    issuer = make_issuer()
    settings = bff_settings(sandbox, issuer, **overrides)
    transport: httpx.AsyncBaseTransport = httpx.ASGITransport(
        app=with_issuer(sandbox.asgi(), issuer)
    )
    if wrap_transport is not None:
        transport = wrap_transport(transport)
    app = create_app(settings, transport=transport, tracer_provider=tracer_provider)
    with capturing_logs(settings) as logs:
        async with running(app) as client:
            bff = Bff(app, client, sandbox, issuer, settings, logs)
            bff._services = client._transport.app.state["services"]  # type: ignore[attr-defined]
            yield bff
    logs.assert_no_personal_data()
