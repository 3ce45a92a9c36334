"""Benchmark upstreams: the sandbox, optionally answering GETs from memory, with a delay.

Runs in its own process (`python benchmarks/upstream_stub.py --port N`), so its CPU is
never counted as the BFF's. Every standard sits at its sandbox base path and the demo
issuer at `/oidc`, so `bff serve` is configured exactly as against `bff sandbox`.

- `--memory`: the first answer to a read (a GET, or a Zaken `_zoek` / BRP query, by path,
  query and body) is kept and every repeat is answered from memory, so only the BFF is
  measured. Writes always reach the sandbox, and forget what was kept.
- A delay per upstream call (`PUT /__bench/delay` with the milliseconds as body).
- Per trace id (from `traceparent`), the time the upstream was busy with that trace's
  calls (the union of their intervals): the critical path as seen from the upstream.
  `GET /__bench/traces` returns and forgets them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import defaultdict
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.types import Message, Receive, Scope, Send

from bff.sandbox.demo import DEMO_BSN, build_demo_sandbox
from bff.sandbox.demo_guide import ISSUER_PATH, serve_environment
from bff.sandbox.issuer import DemoIssuer

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]
READING_POSTS = ("/zaken/_zoek", "/personen")  # POSTs that only read (Zaken, BRP)


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class BenchUpstreams:
    """ASGI app: control paths under `/__bench`, everything else to the sandbox."""

    def __init__(self, inner: Any, *, memory: bool) -> None:
        self.inner = inner
        self.memory = memory
        self.delay_s = 0.0
        self.recorded: dict[bytes, Answer] = {}
        self.spans: dict[str, list[tuple[float, float]]] = defaultdict(list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith("/__bench/"):
            await self._control(scope, receive, send)
            return
        started = time.perf_counter()
        trace = _trace_id(scope)
        if self.delay_s and not path.startswith(ISSUER_PATH):
            await asyncio.sleep(self.delay_s)
        method = scope["method"]
        reading = method == "GET" or path.endswith(READING_POSTS)
        body = b""
        if reading and method == "POST":
            body = await _body(receive)
            receive = _replay(body)
        key = method.encode() + b" " + path.encode() + b"?" + scope["query_string"] + body
        answer = self.recorded.get(key) if self.memory and reading else None
        if answer is None:
            answer = await _call(self.inner, scope, receive)
            if self.memory and reading and answer[0] == 200:
                self.recorded[key] = answer
            if not reading:  # a write may change what a read answers: record afresh
                self.recorded.clear()
        await _send(send, answer)
        if trace and not path.startswith(ISSUER_PATH):
            self.spans[trace].append((started, time.perf_counter()))

    async def _control(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        if scope["method"] == "PUT":
            message = await receive()
            body = message.get("body", b"")
        if scope["path"] == "/__bench/delay":
            if body:
                self.delay_s = float(body) / 1000
            out = json.dumps({"delay_ms": self.delay_s * 1000}).encode()
        elif scope["path"] == "/__bench/traces":
            out = json.dumps({t: _busy(s) for t, s in self.spans.items()}).encode()
            self.spans.clear()
        else:
            out = b"{}"
        await _send(send, (200, [(b"content-type", b"application/json")], out))


def _trace_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"traceparent":
            parts = value.decode("latin-1").split("-")
            return parts[1] if len(parts) > 2 else None
    return None


def _busy(spans: list[tuple[float, float]]) -> dict[str, float]:
    """Milliseconds during which at least one call of the trace was being answered."""
    total, end = 0.0, float("-inf")
    for start, stop in sorted(spans):
        if stop <= end:
            continue
        total += stop - max(start, end)
        end = stop
    return {"busy_ms": total * 1000, "calls": len(spans)}


async def _call(app: Any, scope: Scope, receive: Receive) -> Answer:
    status = 500
    headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = [(k, v) for k, v in message.get("headers", []) if k != b"content-length"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    return status, headers, b"".join(chunks)


async def _send(send: Send, answer: Answer) -> None:
    status, headers, body = answer
    length = (b"content-length", str(len(body)).encode())
    await send({"type": "http.response.start", "status": status, "headers": [*headers, length]})
    await send({"type": "http.response.body", "body": body})


def _ref(value: Any) -> str:
    return str(value["uuid"] if isinstance(value, dict) else value)


def build(base_url: str, *, memory: bool) -> tuple[BenchUpstreams, dict[str, Any]]:
    """The app, and what the benchmark needs: `bff serve`'s variables and demo ids."""
    sandbox = build_demo_sandbox()
    issuer = DemoIssuer(base_url + ISSUER_PATH)
    inner = Starlette(routes=[Mount(ISSUER_PATH, app=issuer.app()), Mount("", app=sandbox.asgi())])
    ki = sandbox.klantinteracties
    partij = next(
        _ref(i["partij"])
        for i in ki.partij_identificatoren.values()
        if i["objectId"] == DEMO_BSN and i.get("codeSoortObjectId") == "bsn"
    )
    afdeling = next(a["uuid"] for a in ki.actoren.values() if a.get("naam") == "Burgerzaken")
    facts = {
        "env": serve_environment(sandbox, base_url),
        "bsn": DEMO_BSN,
        "partij": partij,
        "afdeling": afdeling,
    }
    return BenchUpstreams(inner, memory=memory), facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--facts", help="write the BFF_* variables and demo ids here (JSON)")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    app, facts = build(base, memory=args.memory)
    if args.facts:
        with open(args.facts, "w", encoding="utf-8") as f:
            json.dump(facts, f)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
