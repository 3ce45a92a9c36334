"""The BFF over the demo sandbox, with a log of every upstream write and how it was answered.

`UpstreamWrites` wraps the transport of every upstream call and keeps each POST, PUT, PATCH
and DELETE with its status. `Scene` sends one BFF request with a clean log, waits for a
registration the runner finishes in the background, and checks one of the two outcomes
the property allows: accepted, with every upstream write accepted; or refused with a 422
naming a field, before any upstream write.
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, settings

from tests.helpers.harness import Bff, demo_sandbox
from tests.properties.strategies import World

WRITES = ("POST", "PUT", "PATCH", "DELETE")
POLLS = 200
POLL_PAUSE_S = 0.02


@functools.cache
def demo_world() -> World:
    """The ids of the demo sandbox (deterministic: every test's sandbox holds the same)."""
    sandbox = demo_sandbox()
    ki = sandbox.klantinteracties
    return World(
        partijen=tuple(ki.partijen),
        bsns=tuple(sandbox.brp.personen),
        actoren=tuple(ki.actoren),
        zaken=tuple(sandbox.zaken.zaken),
        klantcontact=next(k for k, kc in ki.klantcontacten.items() if not kc["vertrouwelijk"]),
        internetaak=next(iter(ki.internetaken)),
    )


def bounded(max_examples: int) -> settings:
    """Reproducible (derandomized, no example database) and bounded in time."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,  # one BFF for all examples, on purpose
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )


@dataclass(frozen=True)
class Write:
    method: str
    path: str
    status: int
    body: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status} {self.body[:300]}"


class UpstreamWrites(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.writes: list[Write] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method not in WRITES:
            return response
        content = await response.aread()
        self.writes.append(
            Write(request.method, request.url.path, response.status_code, content.decode())
        )
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-length", "content-encoding")
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=content, request=request
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class Recorder:
    """`wrap_transport=` for `start_bff`, keeping the `UpstreamWrites` it made."""

    transport: UpstreamWrites | None = None

    def __call__(self, inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        self.transport = UpstreamWrites(inner)
        return self.transport


@dataclass
class Scene:
    bff: Bff
    recorder: Recorder

    @property
    def writes(self) -> list[Write]:
        assert self.recorder.transport is not None
        return self.recorder.transport.writes

    async def send(
        self, method: str, path: str, body: Any, headers: dict[str, str] | None = None
    ) -> tuple[httpx.Response, list[Write]]:
        """The BFF's answer and the upstream writes it caused (a registration: all of them)."""
        self.writes.clear()
        auth = self.bff.auth_vertrouwelijk()
        response = await self.bff.client.request(
            method, path, json=body, headers={**auth, **(headers or {})}
        )
        if response.status_code == 202:
            await self._finished(response.headers["Location"])
        return response, list(self.writes)

    async def _finished(self, location: str) -> None:
        for _ in range(POLLS):
            status = await self.bff.client.get(location, headers=self.bff.auth())
            if status.json()["status"] in ("completed", "failed"):
                assert status.json()["status"] == "completed", status.text
                return
            await asyncio.sleep(POLL_PAUSE_S)
        raise AssertionError(f"{location} did not finish")


def assert_accepted(
    response: httpx.Response, writes: list[Write], body: Any, ok: tuple[int, ...]
) -> None:
    """The BFF took it, and the upstreams took every write it caused."""
    refused = [w for w in writes if w.status >= 400]
    assert not refused, f"an upstream refused what the BFF accepted: {body!r}\n" + "\n".join(
        map(str, refused)
    )
    assert response.status_code in ok, (
        f"the BFF did not accept a valid request: {body!r}\n{response.status_code} "
        f"{response.text[:1000]}"
    )


def assert_refused(response: httpx.Response, writes: list[Write], body: Any, name: str) -> None:
    """422 problem naming `name`, and nothing written upstream."""
    assert response.status_code == 422, (
        f"expected 422 naming {name}: {body!r}\n{response.status_code} {response.text[:1000]}\n"
        + "\n".join(map(str, writes))
    )
    assert response.headers["content-type"].startswith("application/problem+json")
    names = [p["name"] for p in response.json()["invalidParams"]]
    assert name in names, f"422 names {names}, not {name}"
    assert writes == [], "a refused request wrote upstream:\n" + "\n".join(map(str, writes))
