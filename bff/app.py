"""The composition root: `create_app` wires routes, middleware, error handlers and lifespan.

Run it with `uvicorn --factory bff.app:create_app`, or through `bff serve`.
Tests pass `transport=` (an ASGI transport over the sandbox, or respx) and every
upstream client uses it; otherwise each upstream gets its own pooled transport.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route

from bff.actor_cache import ActorCache
from bff.actoren_index import ActorenIndex
from bff.admission import AdmissionControl, AdmissionStats
from bff.admission_http import GATE, AdmissionGate
from bff.auth.middleware import AuthMiddleware
from bff.auth.oidc import OidcVerifier
from bff.codes_cache import Codes
from bff.cors import ProblemCORSMiddleware, cors_policy, headers_only
from bff.endpoints import (
    actoren,
    docs,
    health,
    internetaken,
    klantbeeld,
    klantcontact_registratie,
    klantcontact_vervolg,
    klantcontacten,
    metrics,
    partij_registratie,
    registraties,
    verificaties,
    zaak_klantcontacten,
    zoeken,
)
from bff.errors import BffError, MethodNotAllowed, NotFound, render
from bff.http import ApiRoute
from bff.logs import configure_logging
from bff.medewerker_actor import MedewerkerActors
from bff.metrics import Metrics, MetricsMiddleware
from bff.middleware import RequestContextMiddleware
from bff.openapi import build_openapi
from bff.privacy.pseudonym import Pseudonymiser
from bff.privacy.recorder import Privacy
from bff.privacy.trace import TraceMiddleware
from bff.registration import RegistrationRunner, open_store
from bff.registration.klantcontact_plan import KlantcontactUpstreams, register_klantcontact_plans
from bff.registration.klantcontact_vervolg import VervolgUpstreams
from bff.registration.partij_plan import PartijUpstreams, register_partij_plans
from bff.services import Services
from bff.settings import ConfigurationError, Settings, load_settings
from bff.upstreams.registry import build_upstreams
from bff.verificaties import Verificaties

if TYPE_CHECKING:
    from opentelemetry.trace import TracerProvider

    from bff.tracing import Tracing


def _routes() -> list[BaseRoute]:
    return [
        *health.routes,
        *metrics.routes,
        *docs.routes,
        *registraties.routes,
        *zoeken.routes,
        *klantcontacten.routes,
        *zaak_klantcontacten.routes,
        *internetaken.routes,
        *actoren.routes,
        *klantcontact_registratie.routes,
        *klantcontact_vervolg.routes,
        *partij_registratie.routes,
        *klantbeeld.routes,
        *verificaties.routes,
    ]


def api_document() -> dict[str, Any]:
    """The OpenAPI document, without an app or settings (`make client` reads it)."""
    return build_openapi(_routes())


def plan_upstreams(svc: Services) -> KlantcontactUpstreams:
    """The clients the registration steps get (they never reach for `Services` themselves)."""
    partij = PartijUpstreams(
        klantinteracties=svc.upstreams.klantinteracties,
        brp=svc.upstreams.brp,
        settings=svc.settings,
        write_locks=svc.write_locks,
    )
    vervolg = VervolgUpstreams(
        klantinteracties=svc.upstreams.klantinteracties,
        objecten=svc.upstreams.objecten,
        objecten_settings=svc.settings.objecten,
        store=svc.registration_store,
    )
    return KlantcontactUpstreams(
        partij=partij, vervolg=vervolg, medewerker_actoren=svc.medewerker_actoren
    )


def _register_plans(svc: Services) -> None:
    """Each write feature registers its registration plans with the runner here."""
    upstreams = plan_upstreams(svc)
    register_klantcontact_plans(svc.registrations, upstreams)
    register_partij_plans(svc.registrations, upstreams.partij)


async def _bff_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, BffError):  # pragma: no cover - registered for this type only
        raise exc
    return render(exc, instance=getattr(request.state, "request_id", None))


def _allowed_methods(request: Request) -> str:
    """Every method served on this path: one path may be served by several routes."""
    methods = {
        method
        for route in request.app.router.routes
        if isinstance(route, Route) and route.matches(request.scope)[0] is Match.PARTIAL
        for method in route.methods or ()
    }
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, HTTPException):  # pragma: no cover - registered for this type only
        raise exc
    mapped: BffError
    if exc.status_code == 404:
        mapped = NotFound("There is no such endpoint. See /docs for the API.")
    elif exc.status_code == 405:
        mapped = MethodNotAllowed("This endpoint does not support that method.")
        mapped.headers["Allow"] = _allowed_methods(request) or (exc.headers or {}).get("Allow", "")
    else:
        mapped = BffError(str(exc.detail))
        mapped.status = exc.status_code  # type: ignore[misc]  # per-instance status for rare codes
    return render(mapped, instance=getattr(request.state, "request_id", None))


def _tracing(tracer_provider: TracerProvider | None) -> Tracing | None:
    """OpenTelemetry for this app: a given provider (tests), else per `OTEL_*`, else none."""
    if tracer_provider is None and not _otel_wanted():
        return None
    try:
        from bff.tracing import Tracing
    except ImportError as exc:
        raise ConfigurationError(
            "OTEL_TRACES_EXPORTER is set, but tracing needs the otel extra: "
            "pip install 'kcc-bff[otel]'."
        ) from exc
    if tracer_provider is not None:
        return Tracing(tracer_provider, owned=False)
    return Tracing.from_env(os.environ)


def _otel_wanted() -> bool:
    exporters = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    disabled = os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true"
    return bool(exporters) and exporters != "none" and not disabled


def create_app(
    settings: Settings | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    tracer_provider: TracerProvider | None = None,
) -> Starlette:
    """The BFF. `tracer_provider` turns tracing on with that provider (tests); without
    one, tracing follows the `OTEL_*` variables (see `bff.tracing`), off by default."""
    settings = settings or load_settings()
    configure_logging(settings.log_level, settings.log_format)
    routes = _routes()
    app_metrics = Metrics()
    tracing = _tracing(tracer_provider)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        privacy = Privacy.from_settings(settings.privacy)  # opens the log files: fail first
        upstreams = build_upstreams(
            settings,
            transport=transport,
            wrap_transport=tracing.wrap_transport if tracing else None,
        )
        verifier = OidcVerifier(settings.auth, transport=transport)
        store = await open_store(settings.registration)
        runner = RegistrationRunner(store, settings.registration)
        svc = Services(
            settings=settings,
            upstreams=upstreams,
            verifier=verifier,
            privacy=privacy,
            registration_store=store,
            registrations=runner,
            medewerker_actoren=MedewerkerActors(
                upstreams.klantinteracties,
                functie=settings.medewerker_actor.functie,
                telefoonnummer=settings.medewerker_actor.telefoonnummer,
                ttl_s=settings.medewerker_actor.cache_ttl_s,
                locks=store.locks(),
            ),
            codes=Codes(
                upstreams.referentielijsten,
                kanaal_tabel=settings.referentielijsten.kanaal_tabel,
                taal_tabel=settings.referentielijsten.taal_tabel,
                land_tabel=settings.referentielijsten.land_tabel,
                ttl_s=settings.referentielijsten.cache_ttl_s,
            ),
            actor_cache=ActorCache(upstreams.klantinteracties, ttl_s=settings.actoren.lookup_ttl_s),
            actoren_index=ActorenIndex(upstreams.klantinteracties, settings.actoren),
            write_locks=store.locks(),
            verificaties=Verificaties(
                settings.verificatie, Pseudonymiser(settings.privacy.pseudonymisation_key)
            ),
        )
        svc.actoren_index.feed(svc.actor_cache)  # each load warms the by-uuid cache
        upstreams.observe(app_metrics)
        app_metrics.watch_caches(
            {
                "actor": svc.actor_cache.stats,
                "medewerker_actor": svc.medewerker_actoren.stats,
                **{f"catalogi_{k}": v for k, v in upstreams.catalogi.cache_stats.items()},
            }
        )
        app_metrics.watch_registrations(store)
        _register_plans(svc)
        runner.start()
        svc.codes.start()  # loads the reference tables in the background, then keeps them fresh
        try:
            yield {"services": svc, GATE: gate}
        finally:
            await svc.codes.aclose()
            await svc.actoren_index.aclose()
            await runner.stop()
            await store.close()
            await upstreams.aclose()
            await verifier.aclose()
            await privacy.aclose()
            if tracing is not None:
                tracing.shutdown()

    public = {r.path for r in routes if isinstance(r, ApiRoute) and r.operation.public}
    served: list[BaseRoute] = list(routes)
    demo_issuer = None
    if settings.environment == "demo":  # the demo issuer hands out tokens to anyone
        from bff.sandbox.issuer import DemoIssuer

        auth = settings.auth
        demo_issuer = DemoIssuer(auth.issuer, audience=auth.audience, roles_claim=auth.roles_claim)
        served.append(Mount("/oidc", app=demo_issuer.app()))
    adm = settings.admission
    admission = AdmissionStats.with_limits(
        {"read": adm.read_in_flight, "write": adm.write_in_flight}
    )
    cors = cors_policy(settings.cors_origins)
    # `bff serve` refuses the excess in the HTTP protocol already (`bff.admission_http`)
    gate = AdmissionGate(
        admission,
        retry_after_s=adm.retry_after_s,
        cors=ProblemCORSMiddleware(headers_only, **cors),
    )
    app = Starlette(
        routes=served,
        middleware=[
            *([tracing.middleware(served)] if tracing else []),
            Middleware(MetricsMiddleware, metrics=app_metrics),
            Middleware(TraceMiddleware, span_ids=tracing.span_ids if tracing else None),
            Middleware(RequestContextMiddleware),
            Middleware(ProblemCORSMiddleware, **cors),
            Middleware(
                AdmissionControl,
                stats=admission,
                retry_after_s=adm.retry_after_s,
                loop_delay_target_s=(
                    adm.loop_delay_target_ms / 1000 if adm.loop_delay_target_ms else None
                ),
            ),
            Middleware(AuthMiddleware, open_paths=public),
        ],
        exception_handlers={BffError: _bff_error, HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.metrics = app_metrics
    app.state.admission = admission
    app_metrics.watch_admission(admission)
    app.state.openapi = build_openapi(routes)
    app.state.max_body_bytes = settings.max_body_bytes
    app.state.demo_issuer = demo_issuer
    return app
