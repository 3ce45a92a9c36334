"""Two `bff serve` processes on one PostgreSQL journal: nothing lost, nothing made twice.

Real processes (`conftest.Cluster`): a sandbox, two replicas with a 2 s lease, and a
scratch database. Each scenario prints `sent N, lost L, duplicated D`, counted in the
sandbox's Klantinteracties store by onderwerp (one per Idempotency-Key):
- the same key sent to both replicas at once makes one klantcontact;
- a replica killed with SIGKILL while its registrations wait on a slow Klantinteracties:
  the other replica takes them over when their leases run out and completes them;
- the replicas' database connections terminated (`pg_terminate_backend`) during a burst of
  500 registrations spread over both: a 503 is sent again with its key, every
  registration ends completed, and no referentienummer is used twice.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.chaos.test_chaos import _body
from tests.helpers.postgres import SERVER
from tests.replicas.conftest import Cluster

psycopg = pytest.importorskip("psycopg")
pytestmark = pytest.mark.slow

PARTS = ("betrokkenen", "actorklantcontacten", "internetaken", "digitaleadressen")


def _body_for(tag: str, i: int, refs: dict[str, str]) -> dict[str, Any]:
    body = _body(i, refs)
    body["klantcontact"]["onderwerp"] = f"{tag} {i}"
    return body


async def _register(
    client: httpx.AsyncClient,
    cluster: Cluster,
    url: str,
    tag: str,
    i: int,
    statuses: Counter[int | str] | None = None,
) -> httpx.Response:
    """POST one registration with its key until the answer is not a 503 (or a lost
    connection): what a frontend does with `Retry-After`."""
    headers = {**cluster.auth, "Idempotency-Key": f"{tag}-{i:04d}"}
    while True:
        try:
            r = await client.post(
                f"{url}/api/v1/klantcontacten",
                json=_body_for(tag, i, cluster.refs),
                headers=headers,
            )
        except httpx.TransportError:
            if statuses is not None:
                statuses["lost connection"] += 1
            await asyncio.sleep(0.2)
            continue
        if statuses is not None:
            statuses[r.status_code] += 1
        if r.status_code != 503:
            assert r.status_code in (200, 201, 202), f"{i}: {r.status_code} {r.text}"
            return r
        await asyncio.sleep(0.2)


async def _drain(
    client: httpx.AsyncClient, cluster: Cluster, url: str, ids: set[str], deadline_s: float
) -> dict[str, dict[str, Any]]:
    """Poll each registration on `url` until completed or failed (or the deadline)."""
    final: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + deadline_s
    while len(final) < len(ids) and time.monotonic() < deadline:
        for reg_id in ids - final.keys():
            r = await client.get(f"{url}/api/v1/registraties/{reg_id}", headers=cluster.auth)
            if r.status_code == 200 and r.json()["status"] in ("completed", "failed"):
                final[reg_id] = r.json()
        await asyncio.sleep(0.3)
    return final


def _tally(
    cluster: Cluster,
    tag: str,
    sent: int,
    final: dict[str, dict[str, Any]],
    report: Callable[[str], None],
) -> tuple[int, int]:
    """Lost: a key without exactly one complete klantcontact, or a registration not
    completed. Duplicated: every klantcontact or part beyond one per key."""
    made = [kc for kc in cluster.held() if str(kc["onderwerp"]).startswith(f"{tag} ")]
    per_key = Counter(kc["onderwerp"] for kc in made)
    complete = {kc["onderwerp"] for kc in made if all(kc.get(p) == 1 for p in PARTS)}
    unfinished = [s for s in final.values() if s["status"] != "completed"]
    lost = sent - len(complete) + len(unfinished)
    duplicated = sum(n - 1 for n in per_key.values()) + sum(
        max(0, int(kc.get(p, 0)) - 1) for kc in made for p in PARTS
    )
    report(f"sent {sent}, lost {lost}, duplicated {duplicated}")
    numbers = Counter(kc["referentienummer"] for kc in made)
    assert numbers.most_common(1)[0][1] == 1, numbers.most_common(3)
    assert {s["referentienummer"] for s in final.values()} <= set(numbers)
    return lost, duplicated


@pytest.fixture
def report(capsys: pytest.CaptureFixture[str]) -> Callable[[str], None]:
    def show(line: str) -> None:
        with capsys.disabled():  # the figures show in CI output, also when the test passes
            print(f"\n{line}")

    return show


async def test_one_key_sent_to_both_replicas_at_once_makes_one_klantcontact(
    cluster: Cluster, report: Callable[[str], None]
) -> None:
    sent = 20
    async with httpx.AsyncClient(timeout=30) as client:
        pairs = await asyncio.gather(
            *(
                asyncio.gather(
                    *(_register(client, cluster, url, "Tegelijk", i) for url in cluster.urls)
                )
                for i in range(sent)
            )
        )
        ids = {r.json()["registratieId"] for pair in pairs for r in pair}
        for pair in pairs:  # both replicas answer with the one registration
            assert pair[0].json()["registratieId"] == pair[1].json()["registratieId"]
        final = await _drain(client, cluster, cluster.urls[1], ids, 30)
    lost, duplicated = _tally(cluster, "Tegelijk", sent, final, report)
    assert len(ids) == sent
    assert (lost, duplicated) == (0, 0)


async def test_a_killed_replicas_registrations_are_completed_by_the_other(
    cluster: Cluster, report: Callable[[str], None]
) -> None:
    sent = 20
    # Every Klantinteracties write takes 0.8 s and commits even when the writer is gone.
    cluster.faults([{"method": "POST", "latency_s": 0.8, "keep_working": True}])
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            answers = await asyncio.gather(
                *(_register(client, cluster, cluster.urls[0], "Overname", i) for i in range(sent))
            )
            assert {r.status_code for r in answers} == {202}  # accepted, still in flight
            await asyncio.sleep(0.5)
            cluster.kill(0)
            cluster.faults([])
            ids = {r.json()["registratieId"] for r in answers}
            final = await _drain(client, cluster, cluster.urls[1], ids, 40)
    finally:
        cluster.faults([])
        if "bff0" not in cluster.procs:
            cluster.start(0)
    lost, duplicated = _tally(cluster, "Overname", sent, final, report)
    assert len(final) == sent, f"{sent - len(final)} not finished in time"
    assert (lost, duplicated) == (0, 0)


async def test_terminated_database_connections_during_500_registrations_lose_nothing(
    cluster: Cluster, report: Callable[[str], None]
) -> None:
    sent, concurrency = 500, 16
    limit = asyncio.Semaphore(concurrency)
    done = asyncio.Event()
    terminated: list[int] = []
    statuses: Counter[int | str] = Counter()

    async def one(i: int) -> httpx.Response:
        async with limit:
            return await _register(client, cluster, cluster.urls[i % 2], "Burst", i, statuses)

    async def terminate() -> None:
        async with await psycopg.AsyncConnection.connect(SERVER, autocommit=True) as admin:
            while not done.is_set():
                await asyncio.sleep(1.0)
                cur = await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (cluster.database,),
                )
                terminated.append(len(await cur.fetchall()))

    async with httpx.AsyncClient(timeout=30) as client:
        killer = asyncio.create_task(terminate())
        try:
            answers = await asyncio.gather(*(one(i) for i in range(sent)))
        finally:
            done.set()
            await killer
        ids = {r.json()["registratieId"] for r in answers}
        final = await _drain(client, cluster, cluster.urls[0], ids, 40)
    report(f"answers {dict(statuses)}; {sum(terminated)} connections terminated")
    lost, duplicated = _tally(cluster, "Burst", sent, final, report)
    assert sum(terminated) > 0
    assert len(ids) == sent
    assert (lost, duplicated) == (0, 0)
