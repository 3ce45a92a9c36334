"""The /api/v1 gate, CORS, body limit and the processing log through the real app."""

from __future__ import annotations

import json
import time
from pathlib import Path

from bff.sandbox.issuer import DemoIssuer, generate_key, mint_token
from tests.auth.conftest import BffFactory
from tests.helpers.auth import VERTROUWELIJK_ROLES, auth_settings, bearer, privacy_settings

WHOAMI = "/api/v1/_test/whoami"
PROBLEM = "application/problem+json"
REQUEST_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


async def test_valid_token_passes_and_identity_is_extracted(
    bff: BffFactory, issuer: DemoIssuer
) -> None:
    async with bff() as (client, _):
        response = await client.get(WHOAMI, headers=bearer(issuer, subject="mdw-anna"))
    assert response.status_code == 200
    assert response.json() == {
        "subject": "mdw-anna",
        "naam": "Test Medewerker",
        "email": "test.medewerker@gemeente.example",
        "roles": ["kcc-medewerker"],
        "vertrouwelijk": False,
    }
    assert response.headers["cache-control"] == "no-store"


async def test_no_token_is_401_problem_with_a_bearer_challenge(bff: BffFactory) -> None:
    async with bff() as (client, _):
        response = await client.get(WHOAMI, headers={"X-Request-ID": REQUEST_ID})
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == 'Bearer realm="kcc-bff"'
    assert response.headers["x-request-id"] == REQUEST_ID
    body = response.json()
    assert body["type"] == "urn:kcc-bff:problem:unauthenticated"
    assert body["instance"] == REQUEST_ID
    assert "Bearer" in body["detail"]


async def test_token_scheme_is_401(bff: BffFactory) -> None:
    async with bff() as (client, _):
        response = await client.get(WHOAMI, headers={"Authorization": "Token abc"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_every_invalid_token_is_401_with_invalid_token(
    bff: BffFactory, issuer: DemoIssuer
) -> None:
    now = time.time()
    broken = {
        "signature": mint_token(issuer, "x", key=generate_key()),
        "issuer": mint_token(issuer, "x", claims={"iss": "http://other.test"}),
        "audience": mint_token(issuer, "x", claims={"aud": "other"}),
        "expired": mint_token(issuer, "x", now=now - 7200),
        "nbf": mint_token(issuer, "x", claims={"nbf": int(now) + 3600}),
        "missing kid": mint_token(issuer, "x", header={"kid": None}),
        "unknown kid": mint_token(issuer, "x", header={"kid": "nope"}),
    }
    async with bff(auth=auth_settings(issuer, jwks_refresh_interval_s=0)) as (client, services):
        for case, raw in broken.items():
            response = await client.get(WHOAMI, headers={"Authorization": f"Bearer {raw}"})
            assert response.status_code == 401, case
            assert 'error="invalid_token"' in response.headers["www-authenticate"], case
            assert response.headers["content-type"] == PROBLEM, case
        assert services.verifier.fetch_count == 2, "the unknown kid triggered one refetch"


async def test_missing_medewerker_role_is_403(bff: BffFactory, issuer: DemoIssuer) -> None:
    async with bff() as (client, _):
        response = await client.get(WHOAMI, headers=bearer(issuer, roles=["other-app"]))
    assert response.status_code == 403
    assert response.json()["type"] == "urn:kcc-bff:problem:forbidden"
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


async def test_vertrouwelijk_needs_its_own_role(bff: BffFactory, issuer: DemoIssuer) -> None:
    async with bff() as (client, _):
        plain = await client.get("/api/v1/_test/vertrouwelijk", headers=bearer(issuer))
        allowed = await client.get(
            "/api/v1/_test/vertrouwelijk", headers=bearer(issuer, roles=VERTROUWELIJK_ROLES)
        )
    assert plain.status_code == 403
    assert allowed.status_code == 200


async def test_open_paths_need_no_token(bff: BffFactory) -> None:
    async with bff() as (client, _):
        health = await client.get("/health")
        openapi = await client.get("/openapi.json")
        docs = await client.get("/docs")
        unknown = await client.get("/nothing-here")
    assert health.status_code == 200
    assert openapi.status_code == 200
    assert docs.status_code == 200
    assert unknown.status_code == 404


async def test_unknown_api_path_is_401_before_404(bff: BffFactory) -> None:
    async with bff() as (client, _):
        response = await client.get("/api/v1/does-not-exist")
    assert response.status_code == 401  # the API's shape is not revealed to strangers


async def test_cors_allows_only_configured_origins(bff: BffFactory, issuer: DemoIssuer) -> None:
    preflight = {
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
    }
    async with bff(cors_origins=["https://kcc.gemeente.example"]) as (client, _):
        allowed = await client.options(
            WHOAMI, headers={"Origin": "https://kcc.gemeente.example", **preflight}
        )
        denied = await client.options(
            WHOAMI, headers={"Origin": "https://evil.example", **preflight}
        )
        simple = await client.get(
            WHOAMI, headers={"Origin": "https://kcc.gemeente.example", **bearer(issuer)}
        )
        foreign = await client.get(
            WHOAMI, headers={"Origin": "https://evil.example", **bearer(issuer)}
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://kcc.gemeente.example"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert denied.status_code == 400
    assert "access-control-allow-origin" not in denied.headers
    assert denied.headers["content-type"] == PROBLEM
    assert denied.json()["type"] == "urn:kcc-bff:problem:cors-rejected"
    assert [p["name"] for p in denied.json()["invalidParams"]] == ["Origin"]
    assert simple.headers["access-control-allow-origin"] == "https://kcc.gemeente.example"
    assert "access-control-allow-origin" not in foreign.headers


async def test_no_cors_without_configured_origins(bff: BffFactory) -> None:
    async with bff() as (client, _):
        response = await client.options(
            WHOAMI,
            headers={
                "Origin": "https://kcc.gemeente.example",
                "Access-Control-Request-Method": "GET",
            },
        )
    assert "access-control-allow-origin" not in response.headers


async def test_body_over_the_limit_is_413_problem(bff: BffFactory, issuer: DemoIssuer) -> None:
    body = json.dumps({"bsns": ["999993653"] * 200})
    assert len(body) > 1024
    async with bff(max_body_bytes=1024) as (client, services):
        response = await client.post(
            "/api/v1/_test/zoek",
            content=body,
            headers={"Content-Type": "application/json", **bearer(issuer)},
        )
    assert response.status_code == 413
    assert response.json()["type"] == "urn:kcc-bff:problem:payload-too-large"
    assert services.privacy.processing.sink.records == []


async def test_search_writes_one_processing_record_per_person_and_one_audit_record(
    bff: BffFactory, issuer: DemoIssuer, tmp_path: Path
) -> None:
    bsns = ["999993653", "999990019", "999991723"]
    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    async with bff(log_dir=tmp_path) as (client, _):
        response = await client.post(
            "/api/v1/_test/zoek",
            json={"bsns": bsns},
            headers={
                "traceparent": traceparent,
                "X-Request-ID": REQUEST_ID,
                **bearer(issuer, subject="mdw-anna"),
            },
        )
    assert response.status_code == 200
    processing = [json.loads(x) for x in (tmp_path / "verwerkingen.jsonl").read_text().splitlines()]
    audit = [json.loads(x) for x in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert len(processing) == 3
    assert {p["trace_id"] for p in processing} == {"4bf92f3577b34da6a3ce929d0e0e4736"}
    assert {p["attributes"]["dpl.core.processing_activity_id"] for p in processing} == {
        "urn:kcc-bff:verwerkingsactiviteit:personen_zoeken"
    }
    raw_processing = (tmp_path / "verwerkingen.jsonl").read_text()
    assert not any(bsn in raw_processing for bsn in bsns)
    assert "mdw-anna" not in raw_processing, "who did it belongs in the audit log only"
    assert len(audit) == 1
    assert audit[0]["medewerker"] == "mdw-anna"
    assert audit[0]["subject_count"] == 3
    assert audit[0]["request_id"] == REQUEST_ID
    assert audit[0]["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert not any(bsn in (tmp_path / "audit.jsonl").read_text() for bsn in bsns)


async def test_processing_activity_ids_are_configurable(
    bff: BffFactory, issuer: DemoIssuer
) -> None:
    privacy = privacy_settings(
        processing_activities={"personen_zoeken": "https://register.gemeente.example/va/12"}
    )
    async with bff(privacy=privacy) as (client, services):
        await client.post(
            "/api/v1/_test/zoek", json={"bsns": ["999993653"]}, headers=bearer(issuer)
        )
    (record,) = services.privacy.processing.sink.records
    assert record.processing_activity_id == "https://register.gemeente.example/va/12"


async def test_a_preflight_refused_for_its_method_and_headers_names_both(bff: BffFactory) -> None:
    async with bff(cors_origins=["https://kcc.gemeente.example"]) as (client, _):
        denied = await client.options(
            WHOAMI,
            headers={
                "Origin": "https://kcc.gemeente.example",
                "Access-Control-Request-Method": "TRACE",
                "Access-Control-Request-Headers": "x-secret",
            },
        )
    assert denied.status_code == 400
    assert denied.headers["content-type"] == PROBLEM
    assert [p["name"] for p in denied.json()["invalidParams"]] == [
        "Access-Control-Request-Method",
        "Access-Control-Request-Headers",
    ]
