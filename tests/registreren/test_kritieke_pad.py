"""A full registration is at most 4 upstream round trips deep on its critical path: one
round of reference checks before it is journalled, then at most 3 rounds of writes.

Measured without clocks: a transport wrapper records, in order, when each upstream request
starts and when its response is complete. A request's depth is one more than the deepest
request that had completed before it started; independent requests (started before any
of them completed) share a depth. Before it forwards a request the wrapper yields to the
event loop a few times, so that requests the BFF starts together are all recorded as
started before the in-process sandbox answers the first of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from bff.app import create_app
from tests.helpers.asgi import running
from tests.helpers.auth import make_issuer, with_issuer
from tests.helpers.harness import Bff, bff_settings, demo_sandbox
from tests.registreren.support import registratie

SCHEDULING_ROUNDS = 20  # event-loop turns, not time


class RecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.labels: list[str] = []
        self.events: list[tuple[str, int]] = []

    def reset(self) -> None:
        self.labels.clear()
        self.events.clear()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        number = len(self.labels)
        self.labels.append(f"{request.method} {request.url.path}")
        self.events.append(("start", number))
        for _ in range(SCHEDULING_ROUNDS):
            await asyncio.sleep(0)
        response = await self.inner.handle_async_request(request)
        self.events.append(("end", number))
        return response

    def depths(self) -> list[int]:
        depth: dict[int, int] = {}
        completed: list[int] = []
        for kind, number in self.events:
            if kind == "start":
                depth[number] = 1 + max((depth[n] for n in completed), default=0)
            else:
                completed.append(number)
        return [depth[n] for n in range(len(self.labels))]


@asynccontextmanager
async def recorded_bff() -> AsyncIterator[tuple[Bff, RecordingTransport]]:
    sandbox = demo_sandbox()
    issuer = make_issuer()
    settings = bff_settings(sandbox, issuer)
    recorder = RecordingTransport(httpx.ASGITransport(app=with_issuer(sandbox.asgi(), issuer)))
    app = create_app(settings, transport=recorder)
    async with running(app) as client:
        bff = Bff(app=app, client=client, sandbox=sandbox, issuer=issuer, settings=settings)
        yield bff, recorder


def test_depth_counts_chains_not_requests() -> None:
    recorder = RecordingTransport(httpx.MockTransport(lambda r: httpx.Response(200)))
    recorder.labels = ["a", "b", "c", "d"]
    recorder.events = [("start", 0), ("start", 1), ("end", 0), ("start", 2)]
    recorder.events += [("end", 1), ("end", 2), ("start", 3), ("end", 3)]
    assert recorder.depths() == [1, 1, 2, 3]


async def test_known_partij_interne_taak_and_contact_detail_take_at_most_4_round_trips() -> None:
    async with recorded_bff() as (bff, recorder):
        warm = await bff.client.post(
            "/api/v1/klantcontacten", json=registratie(bff.sandbox), headers=bff.auth()
        )
        assert warm.status_code == 201, warm.text  # the medewerker's actor is cached now
        recorder.reset()
        adres = {
            "soortDigitaalAdres": "email",
            "adres": "voorkeur@example.nl",
            "gebruik": "algemeen",
            "voorkeur": True,
        }
        body = registratie(bff.sandbox, digitaleAdressen=[adres])
        r = await bff.client.post("/api/v1/klantcontacten", json=body, headers=bff.auth())

    assert r.status_code == 201, r.text
    calls = sorted(zip(recorder.depths(), recorder.labels, strict=True))
    made = [label for _, label in calls]
    assert any(label.endswith("/maak-klantcontact") for label in made), calls
    assert any(label.endswith("/internetaken") for label in made), calls
    assert any(label.endswith("/actorklantcontacten") for label in made), calls
    assert any(label.startswith("PATCH") for label in made), calls  # the preferred address
    # one round checks the references (partij, actoren, zaak: concurrently) before the
    # journal accepts the request; then at most 3 rounds of writes
    assert max(recorder.depths()) <= 4, calls
