"""Every case endpoint once, on its good path and its error paths, with log capture on.

Per sample request (`tests.security.samples`): the status is as expected; no personal
value (the demo data's, or one the medewerker typed) reaches a log line or comes back in
an error; the answer carries `Cache-Control: no-store`; and it conforms to the OpenAPI
document (documented status, content type, schema), checked with schemathesis.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.routing import compile_path

from bff.http import ApiRoute
from tests.helpers.harness import Bff, start_bff
from tests.helpers.personal_data import demo_personal_values
from tests.security.calls import TYPED
from tests.security.samples import SAMPLES, Sample, drive

API = "/api/v1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CURRENT_VERSION_BY_DESIGN = 412  # the problem carries the current version for the agent


def api_routes(bff: Bff) -> dict[str, ApiRoute]:
    return {
        f"{r.method} {r.path}": r
        for r in bff.app.routes
        if isinstance(r, ApiRoute) and r.path.startswith(API + "/")
    }


async def test_the_sample_table_covers_every_api_route_and_its_error_paths() -> None:
    async with start_bff() as bff:
        routes = api_routes(bff)
    cases = {(s.route, s.case) for s in SAMPLES}
    assert {route for route, _ in cases} == set(routes), "add or remove samples for these"
    missing = []
    for name, route in routes.items():
        op = route.operation
        needed = {"ok"}
        needed |= (
            {"invalid"} if op.request or any(p.location == "query" for p in op.params) else set()
        )
        needed |= {"not-found"} if "{id}" in route.path else set()
        missing += [f"{name}: {case}" for case in sorted(needed) if (name, case) not in cases]
    assert missing == []


def _openapi_case(document: dict[str, Any], sample: Sample, request: httpx.Request) -> Any:
    method, template = sample.route.split(" ", 1)
    operation = schemathesis.openapi.from_dict(document)[template][method]
    regex, _, _ = compile_path(template)
    match = regex.match(request.url.path)
    assert match is not None, (template, request.url.path)
    return operation.Case(path_parameters=match.groupdict(), query=dict(request.url.params))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.id)
async def test_endpoint_answers_as_documented_without_leaking_personal_data(
    sample: Sample,
) -> None:
    everything = demo_personal_values().plus(*TYPED)
    async with start_bff() as bff:
        response = await drive(bff, sample)
        document = (await bff.client.get("/openapi.json")).json()
    assert response.status_code in sample.status, response.text
    if response.status_code >= 400 and response.status_code != CURRENT_VERSION_BY_DESIGN:
        assert everything.find(response.text) == [], "personal data in the error"
    bff.logs.assert_no_personal_data(everything)
    case = _openapi_case(document, sample, response.request)
    expected_5xx = bool(sample.faults)  # an upstream made to fail: 502/503 is the answer
    case.validate_response(response, checks=CHECKS[1:] if expected_5xx else CHECKS)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.id)
async def test_every_api_answer_is_marked_no_store(sample: Sample) -> None:
    async with start_bff() as bff:
        response = await drive(bff, sample)
    assert response.status_code in sample.status, response.text
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("auth", ["none", "no-role"])
async def test_refused_api_answers_are_marked_no_store_too(auth: str) -> None:
    async with start_bff() as bff:
        headers = {} if auth == "none" else bff.auth(roles=())
        response = await bff.client.post(API + "/klantbeeld", json={}, headers=headers)
    assert response.status_code in (401, 403)
    assert response.headers["Cache-Control"] == "no-store"
