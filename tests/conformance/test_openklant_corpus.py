"""The sandbox Klantinteracties answers every recorded case as Open Klant 2.18.0 did.

Replays `../shared/conformance/openklant-2.18.jsonl` (the real server's answers, recorded)
against the sandbox through `httpx.ASGITransport`, each case on a fresh store, and fails
naming every differing part. `exceptions.toml` lists the few cases that cannot be
reproduced, each with its reason; an excepted case that becomes equal fails too, so the
list stays honest.

With `BFF_CONFORMANCE_KLANTINTERACTIES_URL` (the API root, `.../klantinteracties/api/v1`)
and `BFF_CONFORMANCE_KLANTINTERACTIES_TOKEN` set, the same cases go to that server instead:
an operator's check of their own Open Klant. The cases create data there.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.klantinteracties import KlantinteractiesStore, create_app
from tests.conformance.replay import Context, Difference, live_target, load_corpus, replay, summary

HERE = Path(__file__).parent
SHARED = HERE.parents[2] / "shared"
CORPUS = SHARED / "conformance" / "openklant-2.18.jsonl"
BASE_PATH = "/klantinteracties/api/v1"


def exceptions() -> dict[str, str]:
    """Case id -> why the sandbox cannot reproduce it."""
    with (HERE / "exceptions.toml").open("rb") as file:
        entries = tomllib.load(file).get("openklant", [])
    return {entry["id"]: entry["reason"] for entry in entries}


async def against_sandbox(case: dict[str, Any]) -> list[Difference]:
    store = KlantinteractiesStore()
    credentials = SandboxCredentials()
    app = Starlette(routes=[Mount(BASE_PATH, app=create_app(store, credentials))])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=f"http://sandbox{BASE_PATH}") as c:
        return await replay(case, c, Context(token=credentials.klantinteracties_token))


async def against_live(case: dict[str, Any], url: str, token: str) -> list[Difference]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        return await replay(case, client, Context(token=token))


async def test_every_recorded_case_is_answered_as_open_klant_did(
    conformance_summary: list[str],
) -> None:
    if not CORPUS.is_file():
        pytest.skip(f"conformance corpus not found at {CORPUS} (../shared is absent)")
    cases = load_corpus(CORPUS)
    live = live_target("klantinteracties")
    excepted = {} if live else exceptions()
    unknown = sorted(set(excepted) - {case["id"] for case in cases})
    assert not unknown, f"exceptions.toml names cases the corpus does not hold: {unknown}"

    outcomes: list[tuple[str, list[Difference]]] = []
    for case in cases:
        differences = await (against_live(case, *live) if live else against_sandbox(case))
        outcomes.append((case["id"], differences))

    target = live[0] if live else "the sandbox"
    line = f"Open Klant 2.18.0 conformance against {target}: {summary(outcomes)}"
    failures = [
        f"{case_id}: " + "; ".join(str(d) for d in differences)
        for case_id, differences in outcomes
        if differences and case_id not in excepted
    ]
    stale = [
        case_id for case_id, differences in outcomes if not differences and case_id in excepted
    ]
    failures += [f"{case_id}: equal now, remove it from exceptions.toml" for case_id in stale]
    conformance_summary.append(
        f"{line}, {len(excepted)} excepted (tests/conformance/exceptions.toml)"
    )
    assert not failures, f"{line}\n" + "\n".join(failures)
