"""The sandbox Klantinteracties answers every recorded case as Open Klant 2.18.0 did.

Replays `../shared/conformance/openklant-2.18.jsonl` (the real server's answers, recorded)
against the sandbox through `httpx.ASGITransport`, each case on a fresh store, and fails
naming every differing part. `exceptions.toml` lists the few cases that cannot be
reproduced, each with its reason; an excepted case that becomes equal fails too, so the
list stays honest.

With `BFF_CONFORMANCE_KLANTINTERACTIES_URL` (the API root, `.../klantinteracties/api/v1`)
and `BFF_CONFORMANCE_KLANTINTERACTIES_TOKEN` set, the same cases go over HTTP to that server
instead, all against its one database: an operator's check of their own Open Klant. The
cases create data there, and the exceptions do not apply (they are about a fresh store).
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
from tests.helpers.serving import serving

HERE = Path(__file__).parent
SHARED = HERE.parents[2] / "shared"
CORPUS = SHARED / "conformance" / "openklant-2.18.jsonl"
BASE_PATH = "/klantinteracties/api/v1"
Outcomes = list[tuple[str, list[Difference]]]


def exceptions() -> dict[str, str]:
    """Case id -> why the sandbox cannot reproduce it."""
    with (HERE / "exceptions.toml").open("rb") as file:
        entries = tomllib.load(file).get("openklant", [])
    return {entry["id"]: entry["reason"] for entry in entries}


def corpus_or_skip() -> list[dict[str, Any]]:
    if not CORPUS.is_file():
        pytest.skip(f"conformance corpus not found at {CORPUS} (../shared is absent)")
    return load_corpus(CORPUS)


def sandbox_app(store: KlantinteractiesStore) -> Starlette:
    return Starlette(routes=[Mount(BASE_PATH, app=create_app(store, SandboxCredentials()))])


async def against_sandbox(case: dict[str, Any]) -> list[Difference]:
    """One case on a fresh sandbox store, in process."""
    transport = httpx.ASGITransport(app=sandbox_app(KlantinteractiesStore()))
    async with httpx.AsyncClient(transport=transport, base_url=f"http://sandbox{BASE_PATH}") as c:
        return await replay(case, c, Context(token=SandboxCredentials().klantinteracties_token))


async def against_live(cases: list[dict[str, Any]], url: str, token: str) -> Outcomes:
    """Every case over HTTP against one running server."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        return [(case["id"], await replay(case, client, Context(token=token))) for case in cases]


def verdict(outcomes: Outcomes, excepted: dict[str, str], target: str) -> tuple[str, list[str]]:
    """The summary line and one line per failure (a differing case, or a stale exception)."""
    line = f"Open Klant 2.18.0 conformance against {target}: {summary(outcomes)}"
    failures = [
        f"{case_id}: " + "; ".join(str(d) for d in differences)
        for case_id, differences in outcomes
        if differences and case_id not in excepted
    ]
    failures += [
        f"{case_id}: equal now, remove it from exceptions.toml"
        for case_id, differences in outcomes
        if not differences and case_id in excepted
    ]
    return line, failures


async def test_every_recorded_case_is_answered_as_open_klant_did(
    conformance_summary: list[str],
) -> None:
    cases = corpus_or_skip()
    live = live_target("klantinteracties")
    excepted = {} if live else exceptions()
    unknown = sorted(set(excepted) - {case["id"] for case in cases})
    assert not unknown, f"exceptions.toml names cases the corpus does not hold: {unknown}"

    if live:
        outcomes = await against_live(cases, *live)
    else:
        outcomes = [(case["id"], await against_sandbox(case)) for case in cases]

    line, failures = verdict(outcomes, excepted, live[0] if live else "the sandbox")
    conformance_summary.append(f"{line}, {len(excepted)} excepted")
    assert not failures, f"{line}\n" + "\n".join(failures)


def test_every_exception_gives_its_reason() -> None:
    assert all(reason.strip() for reason in exceptions().values())


async def test_the_live_opt_in_replays_over_http_against_one_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The operator's path, against a sandbox served on loopback like a real Open Klant: one
    database for all cases, so the excepted ones come out equal too. The actoren and auth
    cases and the raw body keep it short; the full corpus runs in process above."""
    cases = [
        case
        for case in corpus_or_skip()
        if case["resource"] in ("actoren", "auth") or "raw" in case["when"]
    ]
    assert set(exceptions()) <= {case["id"] for case in cases}
    with serving(sandbox_app(KlantinteractiesStore())) as root:
        monkeypatch.setenv("BFF_CONFORMANCE_KLANTINTERACTIES_URL", f"{root}{BASE_PATH}/")
        monkeypatch.setenv(
            "BFF_CONFORMANCE_KLANTINTERACTIES_TOKEN", SandboxCredentials().klantinteracties_token
        )
        live = live_target("klantinteracties")
        assert live is not None
        outcomes = await against_live(cases, *live)

    line, failures = verdict(outcomes, {}, root)
    assert not failures, f"{line}\n" + "\n".join(failures)
