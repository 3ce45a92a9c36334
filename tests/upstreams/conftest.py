"""Upstream-client test seams: one respx router per upstream, injected as the transport."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from bff.settings import UpstreamSettings
from bff.upstreams.base import make_http_client

KI = "http://openklant.test/klantinteracties/api/v1"
ZAKEN = "http://openzaak.test/zaken/api/v1"
CATALOGI = "http://openzaak.test/catalogi/api/v1"
BRP = "http://brp.test/haalcentraal/api/brp"
OBJECTEN = "http://objecten.test/objecten/api/v2"
REF = "http://referentielijsten.test/referentielijsten/api/v1"

ZGW_SECRET = "a-zgw-test-secret-of-at-least-32-bytes"


def http_client(
    router: respx.Router,
    base_url: str,
    *,
    auth: httpx.Auth | None = None,
    headers: dict[str, str] | None = None,
    timeout_s: float = 5.0,
) -> httpx.AsyncClient:
    settings = UpstreamSettings(base_url=base_url, timeout_s=timeout_s)  # type: ignore[arg-type]
    return make_http_client(
        settings,
        auth=auth,
        headers=headers,
        transport=httpx.MockTransport(router.async_handler),
    )


def router_for(base_url: str) -> Iterator[respx.MockRouter]:
    router = respx.MockRouter(base_url=base_url, assert_all_called=True)
    yield router
    router.assert_all_called()


def body_of(route: respx.Route, call: int = -1) -> Any:
    return json.loads(route.calls[call].request.content)


def page(
    results: list[dict[str, Any]], *, next_url: str | None = None, count: int | None = None
) -> dict[str, Any]:
    return {
        "count": len(results) if count is None else count,
        "next": next_url,
        "previous": None,
        "results": results,
    }


def invalid_page() -> httpx.Response:
    """Open Klant's (Django REST framework's) answer to a page past the end."""
    return httpx.Response(404, json={"code": "not_found", "detail": "Ongeldige pagina."})


@pytest.fixture
def ki_router() -> Iterator[respx.MockRouter]:
    yield from router_for(KI)


@pytest.fixture
def zaken_router() -> Iterator[respx.MockRouter]:
    yield from router_for(ZAKEN)


@pytest.fixture
def catalogi_router() -> Iterator[respx.MockRouter]:
    yield from router_for(CATALOGI)


@pytest.fixture
def brp_router() -> Iterator[respx.MockRouter]:
    yield from router_for(BRP)


@pytest.fixture
def objecten_router() -> Iterator[respx.MockRouter]:
    yield from router_for(OBJECTEN)


@pytest.fixture
def ref_router() -> Iterator[respx.MockRouter]:
    yield from router_for(REF)
