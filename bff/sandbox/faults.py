"""Fault injection for the sandbox upstreams: latency, 5xx, resets, malformed bodies.

One `Faults` object per sandbox holds rules per upstream name. A rule matches a method
and a path pattern (relative to the upstream's base path) and can be limited to a
number of hits, so a test can say "the second POST to /internetaken fails once".
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send


@dataclass
class FaultRule:
    method: str | None = None
    path: str | None = None
    status: int | None = None
    latency_s: float = 0.0
    reset: bool = False
    malformed: bool = False
    times: int | None = None
    hits: int = field(default=0, init=False)

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method and self.method.upper() != method:
            return False
        return not (self.path and not re.search(self.path, path))


class Faults:
    """Mutable fault rules, per upstream (`klantinteracties`, `zaken`, `brp`, ...)."""

    def __init__(self) -> None:
        self._rules: dict[str, list[FaultRule]] = {}

    def add(self, upstream: str, rule: FaultRule | None = None, **kwargs: object) -> FaultRule:
        made = rule or FaultRule(**kwargs)  # type: ignore[arg-type]  # kwargs mirror FaultRule
        self._rules.setdefault(upstream, []).append(made)
        return made

    def clear(self, upstream: str | None = None) -> None:
        if upstream is None:
            self._rules.clear()
        else:
            self._rules.pop(upstream, None)

    def take(self, upstream: str, method: str, path: str) -> FaultRule | None:
        for rule in self._rules.get(upstream, []):
            if rule.matches(method, path):
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
        if rule.latency_s:
            await asyncio.sleep(rule.latency_s)
        if rule.reset:
            raise httpx.RemoteProtocolError("sandbox fault: connection reset by peer")
        if rule.status is not None:
            await _respond(send, rule.status, b'{"detail":"sandbox fault"}')
            return
        if rule.malformed:
            await _respond(send, 200, b"<html>proxy error</html>")
            return
        await self.app(scope, receive, send)


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
