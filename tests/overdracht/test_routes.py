"""Routes: a GET and a POST on one path, declared in two modules, both reach their handler."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bff.app import _routes
from bff.http import ApiRoute, api_route
from bff.openapi import build_openapi


async def _get(request: Request) -> Response:
    return PlainTextResponse("get")


async def _post(request: Request) -> Response:
    return PlainTextResponse("post")


async def test_get_and_post_on_one_path_in_two_route_objects_both_work() -> None:
    lookups = [api_route("GET", "/api/v1/klantcontacten", _get, summary="s", tag="t")]
    registrations = [api_route("POST", "/api/v1/klantcontacten", _post, summary="s", tag="t")]
    for routes in (lookups + registrations, registrations + lookups):  # order does not matter
        app = Starlette(routes=routes)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as client:
            got = await client.get("/api/v1/klantcontacten")
            posted = await client.post("/api/v1/klantcontacten")
            put = await client.put("/api/v1/klantcontacten")
        assert (got.text, posted.text) == ("get", "post")
        assert put.status_code == 405  # (its Allow header names only the first route's method)
    document = build_openapi(lookups + registrations)
    assert set(document["paths"]["/api/v1/klantcontacten"]) == {"get", "post"}


def test_the_app_declares_each_method_and_path_once() -> None:
    pairs = [(r.method, r.path) for r in _routes() if isinstance(r, ApiRoute)]
    assert len(pairs) == len(set(pairs))
    assert ("GET", "/api/v1/klantcontacten") in pairs  # lookup, bff.endpoints.klantcontacten
    assert ("POST", "/api/v1/klantcontacten") in pairs  # registration, its own module
    assert ("PATCH", "/api/v1/interne-taken/{id}") in pairs
