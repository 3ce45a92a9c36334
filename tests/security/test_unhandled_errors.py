"""An unexpected exception: a 500 problem, and a log line without the exception's text."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.helpers.harness import DEMO_BSN, start_bff


async def crash(request: Request) -> Response:
    raise ValueError(f"could not read {DEMO_BSN} of Suzanne Moulin, Boterdiep 31")


async def test_an_unexpected_error_is_a_500_problem_and_its_text_is_not_logged() -> None:
    async with start_bff() as bff:  # the harness fails this test if the text is logged
        bff.app.router.routes.append(Route("/api/v1/_test/crash", crash))
        r = await bff.client.get("/api/v1/_test/crash", headers=bff.auth())
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["cache-control"] == "no-store"
    assert DEMO_BSN not in r.text
    assert r.json()["type"] == "urn:kcc-bff:problem:internal-error"
    [event] = [e for e in bff.logs.events if e["event"] == "unhandled_error"]
    assert event["error"] == "ValueError"
    assert event["at"][-1].startswith("test_unhandled_errors.py:")
    assert event["at"][-1].endswith(" crash")
