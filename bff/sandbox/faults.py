"""Fault injection for the sandbox upstreams: latency, 5xx, resets, malformed bodies.

One `Faults` object per sandbox holds rules per upstream name. A rule matches a method
and a path pattern (relative to the upstream's base path) and can be limited to a
number of hits, so a test can say "the second POST to /internetaken fails once".

`keep_working` makes a slow answer behave like a real server: the request is handled
after `latency_s` even when the client gave up waiting (timed out, went away), so a write
commits after the client's timeout. `chance` applies a rule to that share of the
matching requests only (drawn from the `Faults` object's seeded random generator).
"""

from __future__ import annotations

import asyncio
import random
import re
from dataclasses import dataclass, field

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class FaultRule:
    method: str | None = None
    path: str | None = None
    status: int | None = None
    latency_s: float = 0.0
    reset: bool = False
    malformed: bool = False
    keep_working: bool = False
    chance: float = 1.0
    times: int | None = None
    hits: int = field(default=0, init=False)

    def matches(self, method: str, path: str, draw: float = 0.0) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if draw >= self.chance:
            return False
        if self.method and self.method.upper() != method:
            return False
        return not (self.path and not re.search(self.path, path))


class Faults:
    """Mutable fault rules, per upstream (`klantinteracties`, `zaken`, `brp`, ...)."""

    def __init__(self, seed: int = 9) -> None:
        self._rules: dict[str, list[FaultRule]] = {}
        self._random = random.Random(seed)  # noqa: S311  # fault injection, not security
        self._working: set[asyncio.Task[None]] = set()

    def add(self, upstream: str, rule: FaultRule | None = None, **kwargs: object) -> FaultRule:
        made = rule or FaultRule(**kwargs)  # type: ignore[arg-type]  # kwargs mirror FaultRule
        self._rules.setdefault(upstream, []).append(made)
        return made

    def clear(self, upstream: str | None = None) -> None:
        if upstream is None:
            self._rules.clear()
        else:
            self._rules.pop(upstream, None)

    async def idle(self) -> None:
        """Wait until every request still being worked on (`keep_working`) is done."""
        while self._working:
            await asyncio.gather(*set(self._working), return_exceptions=True)

    def take(self, upstream: str, method: str, path: str) -> FaultRule | None:
        for rule in self._rules.get(upstream, []):
            draw = self._random.random() if rule.chance < 1.0 else 0.0
            if rule.matches(method, path, draw):
                rule.hits += 1
                return rule
        return None


class FaultMiddleware:
    """Pure ASGI middleware applying the first matching rule before the real handler."""

    def __init__(self, app: ASGIApp, *, upstream: str, faults: Faults) -> None:
        self.app = app
        self.upstream = upstream
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"][len(scope.get("root_path", "")) :] or "/"
        rule = self.faults.take(self.upstream, scope["method"], path)
        if rule is None:
            await self.app(scope, receive, send)
            return
        if rule.keep_working:
            await _keep_working(self.app, self.faults, rule.latency_s, scope, receive, send)
            return
        if rule.latency_s:
            await asyncio.sleep(rule.latency_s)
        if rule.reset:  # the answer starts, then the connection drops (also over a socket)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            raise httpx.RemoteProtocolError("sandbox fault: connection reset by peer")
        if rule.status is not None:
            await _respond(send, rule.status, b'{"detail":"sandbox fault"}')
            return
        if rule.malformed:
            await _respond(send, 200, b"<html>proxy error</html>")
            return
        await self.app(scope, receive, send)


async def _keep_working(
    app: ASGIApp, faults: Faults, delay_s: float, scope: Scope, receive: Receive, send: Send
) -> None:
    """Answer after `delay_s`, handling the request even if the client stopped waiting."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    answer: list[Message] = []

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def collect(message: Message) -> None:
        answer.append(message)

    async def work() -> None:
        await asyncio.sleep(delay_s)
        await app(scope, replay, collect)

    task = asyncio.create_task(work())
    faults._working.add(task)
    task.add_done_callback(faults._working.discard)
    await asyncio.shield(task)  # the client giving up does not stop the work
    for message in answer:
        await send(message)


async def _respond(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
