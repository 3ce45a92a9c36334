"""Chaos: hundreds of registrations against a failing Klantinteracties, the BFF killed midway.

Two real processes: the sandbox (`tests.chaos.chaos_sandbox`: 503s, reset connections,
slow answers and writes that commit after the BFF's timeout, at random) and `bff serve`
on a SQLite journal. `SENT` registrations, each with its own Idempotency-Key, go out 20
at a time; halfway the BFF is killed with SIGKILL and started again on the same journal,
and every request that got no answer is sent again with its key, as a frontend does.
After draining, each key must have exactly one klantcontact with all its parts.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

SENT = 300
CONCURRENCY = 20
KILL_AFTER = SENT // 2
DEADLINE_S = 80.0
BFF = [sys.executable, "-m", "bff.cli"]
ROOT = Path(__file__).resolve().parents[2]
JOURNAL = {
    "BFF_ENVIRONMENT": "test",
    "BFF_LOG_LEVEL": "WARNING",
    "BFF_REGISTRATION__STORE": "sqlite",
    "BFF_REGISTRATION__INLINE_BUDGET_S": "0.5",
    "BFF_REGISTRATION__BACKOFF_BASE_S": "0.05",
    "BFF_REGISTRATION__BACKOFF_CAP_S": "0.5",
    "BFF_REGISTRATION__POLL_INTERVAL_S": "0.1",
    "BFF_REGISTRATION__LEASE_S": "2",
    "BFF_REGISTRATION__SETTLE_S": "1.5",
    "BFF_REGISTRATION__CLAIM_LIMIT": "50",
    "BFF_REGISTRATION__MAX_ATTEMPTS": "50",
}


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("BFF_")}, **extra}


def _start(args: list[str], env: dict[str, str], out: Path) -> subprocess.Popen[bytes]:
    with out.open("ab") as sink:
        return subprocess.Popen(  # noqa: S603  # our own command line
            args, cwd=out.parent, env=env, stdout=sink, stderr=subprocess.STDOUT
        )


async def _ready(client: httpx.AsyncClient, url: str, out: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if (await client.get(url, timeout=2)).status_code < 500:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered:\n{_tail(out)}")


def _tail(out: Path) -> str:
    return out.read_text()[-3000:]


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGINT) -> None:
    proc.send_signal(sig)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _body(i: int, refs: dict[str, str]) -> dict[str, Any]:
    return {
        "klantcontact": {
            "kanaal": "telefoon",
            "onderwerp": f"Chaos {i}",
            "inhoud": f"Chaosregistratie nummer {i}.",
            "taal": "nld",
            "indicatieContactGelukt": True,
        },
        "klant": {"partijId": refs["partij"]},
        "digitaleAdressen": [
            {
                "soortDigitaalAdres": "email",
                "adres": f"chaos{i}@example.nl",
                "gebruik": "dit-verzoek",
            }
        ],
        "interneTaak": {"actor": refs["actor"], "gevraagdeHandeling": f"Terugbellen {i}"},
    }


@pytest.mark.chaos
async def test_chaos_loses_nothing_and_makes_nothing_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    sandbox_port, bff_port = _port(), _port()
    sandbox_url, bff_url = f"http://127.0.0.1:{sandbox_port}", f"http://127.0.0.1:{bff_port}"
    env_file = tmp_path / "bff.env.json"
    sandbox_out, bff_out = tmp_path / "sandbox.out", tmp_path / "bff.out"
    sandbox = _start(
        [sys.executable, "-m", "tests.chaos.chaos_sandbox", str(sandbox_port), str(env_file)],
        _env(PYTHONPATH=str(ROOT)),
        sandbox_out,
    )
    bff_env: dict[str, str] = {}
    procs: list[subprocess.Popen[bytes]] = [sandbox]

    def start_bff() -> subprocess.Popen[bytes]:
        proc = _start([*BFF, "serve", "--port", str(bff_port)], _env(**bff_env), bff_out)
        procs.append(proc)
        return proc

    try:
        async with httpx.AsyncClient(timeout=30) as client:
            await _ready(client, f"{sandbox_url}/_chaos/refs", sandbox_out)
            refs = (await client.get(f"{sandbox_url}/_chaos/refs")).json()
            bff_env.update(json.loads(env_file.read_text()))
            bff_env.update(JOURNAL, BFF_REGISTRATION__SQLITE_PATH=str(tmp_path / "journal.db"))
            bff = start_bff()
            await _ready(client, f"{bff_url}/health", bff_out)
            token = (
                await client.post(f"{sandbox_url}/oidc/token", data={"medewerker": "mdw-anna"})
            ).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}

            answers: dict[int, dict[str, Any]] = {}
            statuses: Counter[int] = Counter()
            restarted = asyncio.Event()
            killed = asyncio.Event()
            limit = asyncio.Semaphore(CONCURRENCY)

            async def register(i: int) -> None:
                headers = {**auth, "Idempotency-Key": f"chaos-{i:04d}"}
                while i not in answers:
                    if killed.is_set() and not restarted.is_set():
                        await restarted.wait()
                    async with limit:
                        try:
                            r = await client.post(
                                f"{bff_url}/api/v1/klantcontacten",
                                json=_body(i, refs),
                                headers=headers,
                            )
                        except httpx.TransportError:  # the BFF is gone: send it again
                            await asyncio.sleep(0.2)
                            continue
                    statuses[r.status_code] += 1
                    if r.status_code in (201, 202):
                        answers[i] = r.json()
                    elif r.status_code >= 500:
                        await asyncio.sleep(0.2)
                    else:
                        raise AssertionError(f"{i}: {r.status_code} {r.text}")
                if len(answers) == KILL_AFTER and not killed.is_set():
                    killed.set()
                    bff.send_signal(signal.SIGKILL)  # mid-flight: some requests are cut off
                    bff.wait()
                    start_bff()
                    await _ready(client, f"{bff_url}/health", bff_out)
                    restarted.set()

            await asyncio.gather(*(register(i) for i in range(SENT)))
            assert killed.is_set()

            pending = {i: a["registratieId"] for i, a in answers.items()}
            final: dict[int, dict[str, Any]] = {}
            while pending and time.monotonic() - started < DEADLINE_S:
                for i, reg_id in list(pending.items()):
                    r = await client.get(f"{bff_url}/api/v1/registraties/{reg_id}", headers=auth)
                    if r.status_code == 200 and r.json()["status"] in ("completed", "failed"):
                        final[i] = r.json()
                        del pending[i]
                await asyncio.sleep(0.3)
            held = (await client.get(f"{sandbox_url}/_chaos/klantcontacten")).json()
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                _stop(proc)

    chaos = [kc for kc in held if kc["onderwerp"].startswith("Chaos ")]
    per_onderwerp = Counter(kc["onderwerp"] for kc in chaos)
    complete = [
        kc
        for kc in chaos
        if (kc["betrokkenen"], kc["actorklantcontacten"], kc["internetaken"]) == (1, 1, 1)
        and kc["digitaleadressen"] == 1
    ]
    failed = [i for i, s in final.items() if s["status"] != "completed"]
    lost = SENT - len({kc["onderwerp"] for kc in complete}) + len(failed)
    duplicated = sum(n - 1 for n in per_onderwerp.values()) + (len(chaos) - len(complete))
    with capsys.disabled():  # the figures show in CI output, also when the test passes
        print(
            f"\nsent {SENT}, lost {lost}, duplicated {duplicated} "
            f"(answers {dict(statuses)}, undrained {len(pending)}, "
            f"{time.monotonic() - started:.1f} s)"
        )
    assert not pending, f"{len(pending)} registrations not finished in time"
    assert not failed, [final[i]["steps"] for i in failed[:3]]
    assert len({a["registratieId"] for a in answers.values()}) == SENT
    assert lost == 0
    assert duplicated == 0
    for i, status in final.items():
        assert status["referentienummer"] in {kc["referentienummer"] for kc in chaos}, i
