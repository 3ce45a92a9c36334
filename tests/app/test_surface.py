"""The BFF's own surface: health, readiness, OpenAPI, docs, and problem+json everywhere."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from bff.http import ApiRoute
from tests.helpers.harness import start_bff

REQUEST_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


async def test_health_answers_without_token() -> None:
    async with start_bff() as bff:
        r = await bff.client.get("/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


async def test_ready_reports_every_upstream_ok_against_the_sandbox() -> None:
    async with start_bff() as bff:
        r = await bff.client.get("/ready")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ok"
    assert set(body["upstreams"]) == {
        "klantinteracties",
        "zaken",
        "catalogi",
        "brp",
        "objecten",
        "referentielijsten",
        "journal",
    }
    assert body["upstreams"]["klantinteracties"]["apiVersion"] == "0.9.0"


@pytest.mark.parametrize("upstream", ["klantinteracties", "zaken", "brp", "referentielijsten"])
async def test_ready_is_503_naming_the_upstream_that_fails(upstream: str) -> None:
    async with start_bff() as bff:
        bff.sandbox.faults.add(upstream, status=503)
        r = await bff.client.get("/ready")
    assert r.status_code == 503
    assert r.json()["upstreams"][upstream]["status"] == "unavailable"


async def test_ready_flags_an_old_klantinteracties_version() -> None:
    async with start_bff() as bff:
        from bff.sandbox.klantinteracties import routes as ki_routes

        original = ki_routes.API_VERSION
        ki_routes.API_VERSION = "0.8.0"
        try:
            r = await bff.client.get("/ready")
        finally:
            ki_routes.API_VERSION = original
    assert r.status_code == 503
    assert r.json()["upstreams"]["klantinteracties"]["status"] == "incompatible"


async def test_openapi_document_is_valid_and_lists_every_route() -> None:
    async with start_bff() as bff:
        r = await bff.client.get("/openapi.json")
        routes = [route for route in bff.app.routes if isinstance(route, ApiRoute)]
    document = r.json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    for route in routes:
        assert route.method.lower() in document["paths"][route.path], route.path


async def test_docs_page_and_its_assets_are_served_locally() -> None:
    async with start_bff() as bff:
        page = await bff.client.get("/docs")
        asset = await bff.client.get("/docs/assets/swagger-ui-bundle.js")
    assert page.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    assert "http" not in page.text.split("<body>")[1].split("url:")[0]  # no CDN
    assert asset.status_code == 200


async def test_unknown_route_is_a_problem() -> None:
    async with start_bff() as bff:
        r = await bff.client.get("/nope", headers={"X-Request-ID": REQUEST_ID})
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "urn:kcc-bff:problem:not-found"
    assert r.headers["x-request-id"] == REQUEST_ID


async def test_wrong_method_is_a_problem() -> None:
    async with start_bff() as bff:
        r = await bff.client.delete("/health")
    assert r.status_code == 405
    assert r.headers["content-type"] == "application/problem+json"


async def test_request_id_is_generated_when_absent_or_malformed() -> None:
    async with start_bff() as bff:
        r = await bff.client.get("/health", headers={"X-Request-ID": "bad id with spaces"})
    assert r.headers["x-request-id"] != "bad id with spaces"
    assert len(r.headers["x-request-id"]) == 36


@pytest.mark.parametrize("chosen", ["999993653", "req-42", "bsn:999993653", "a" * 36])
async def test_a_request_id_that_is_not_a_uuid_is_replaced_and_never_logged(chosen: str) -> None:
    async with start_bff() as bff:
        r = await bff.client.get("/nope", headers={"X-Request-ID": chosen})
        logged = [e.get("request_id") for e in bff.logs.events]
    assert r.headers["x-request-id"] != chosen
    assert chosen not in logged
    assert r.headers["x-request-id"] in logged


async def test_wrong_method_lists_every_method_of_a_path_served_by_several_routes() -> None:
    async with start_bff() as bff:
        r = await bff.client.delete("/api/v1/klantcontacten", headers=bff.auth())
    assert r.status_code == 405
    assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}
