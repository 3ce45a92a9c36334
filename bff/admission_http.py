"""Admission control in the HTTP protocol: a refused request is answered where it is read.

Admission control as ASGI middleware (`bff.admission`) sees a request only when the
request's task runs. On a saturated event loop that is a loop pass after its headers were
parsed: the task waits behind every admitted request's work that became ready in the same
pass (measured at twice the sustainable rate: p99 37 ms between headers parsed and the
middleware, of a 503's 100 ms).

`AdmittingHttpToolsProtocol` (uvicorn's httptools protocol, which `bff serve` uses) takes
the same decision with the same counts as soon as a request's headers are parsed:

- beyond its class's limit: the 503 problem (`urn:kcc-bff:problem:overloaded`, with
  `Retry-After`, `Cache-Control: no-store`, `X-Request-ID` and the CORS headers the app
  would add) is written at once, no task is made, the body is skipped, and the refusal is
  counted where the middleware counts it (`bff_http_requests_rejected_total`);
- admitted: the request takes its place in the class, carries `bff.admission.ADMITTED`
  (the middleware then lets it through uncounted) and gives the place back when its task
  ends;
- not limited (health, readiness, metrics, docs) or a CORS preflight (`OPTIONS`): as before.

The app hands the protocol its `AdmissionGate` through the lifespan state (`GATE`), so
each worker's protocol uses its own app's counts. Without the gate (another server, tests
over ASGI) the middleware alone does the work. A refusal answered here is not in the
request-duration histogram nor in the access log: the route is not matched, nothing runs.
"""

from __future__ import annotations

import time
from collections.abc import Coroutine
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import (
    STATUS_LINE,
    HttpToolsProtocol,
    RequestResponseCycle,
)

from bff.admission import ADMITTED, OVERLOADED, AdmissionStats, ClassStats, admit, route_class
from bff.errors import Overloaded, render
from bff.middleware import request_id_of

GATE = "admission_gate"  # key of the gate in the lifespan state


class AdmissionGate:
    """The app's admission counts, `Retry-After` and CORS policy, for the protocol."""

    def __init__(self, stats: AdmissionStats, *, retry_after_s: int, cors: CORSMiddleware):
        self.stats = stats
        self.retry_after = str(retry_after_s)
        self.cors = cors

    def arrive(self, scope: Scope) -> ClassStats | bool:
        """The class whose place the request took, False when refused, True when the
        request is not limited here."""
        method = scope["method"]
        name = None if method == "OPTIONS" else route_class(method, scope["path"])
        counts = self.stats.classes.get(name) if name else None
        if counts is None:
            return True
        return counts if admit(counts) else False

    def refusal(self, scope: Scope) -> tuple[list[tuple[bytes, bytes]], bytes]:
        """Headers and body of the 503, as the middleware chain would answer it."""
        request_id = request_id_of(scope)
        problem = Overloaded(OVERLOADED, headers={"Retry-After": self.retry_after})
        response = render(problem, instance=request_id)
        start: Message = {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": [*response.raw_headers, (b"x-request-id", request_id.encode())],
        }
        if b"origin" in (name for name, _ in scope["headers"]):
            sent: list[Message] = []

            async def keep(message: Message) -> None:
                sent.append(message)

            _run_at_once(self.cors.send(start, send=keep, request_headers=Headers(scope=scope)))
            start = sent[0]
        return list(start["headers"]), bytes(response.body)


def _run_at_once(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine that never waits (Starlette's CORS `send` into a list) to its end."""
    try:
        coroutine.send(None)
    except StopIteration:
        return
    coroutine.close()  # pragma: no cover - it never waits
    raise RuntimeError("expected to finish without waiting")  # pragma: no cover


def _releasing(app: ASGIApp, counts: ClassStats) -> ASGIApp:
    """The app, giving the request's place in its class back when it is done."""

    async def run(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await app(scope, receive, send)
        finally:
            counts.in_flight -= 1

    return run


class AdmittingHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with admission at arrival; see the module docstring."""

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
        gate = self.app_state.get(GATE)
        if not isinstance(gate, AdmissionGate):
            super()._start_asgi_task(cycle, app)
            return
        state = cycle.scope["state"]
        state["arrived"] = time.monotonic()
        verdict = gate.arrive(cycle.scope)  # type: ignore[arg-type]  # an HTTP scope
        if verdict is True:
            super()._start_asgi_task(cycle, app)
        elif verdict is False:
            self.refuse(cycle, gate)
        else:
            state[ADMITTED] = True
            super()._start_asgi_task(cycle, _releasing(app, verdict))  # type: ignore[arg-type]

    def refuse(self, cycle: RequestResponseCycle, gate: AdmissionGate) -> None:
        """Answer the 503 now; the request's body, if any, is read and dropped."""
        headers, body = gate.refusal(cycle.scope)  # type: ignore[arg-type]  # an HTTP scope
        # A client waiting for `100 Continue` sends no body: the connection cannot go on.
        keep_alive = cycle.keep_alive and not cycle.waiting_for_100_continue
        content = [STATUS_LINE[503]]
        for name, value in [*self.server_state.default_headers, *headers]:
            content += [name, b": ", value, b"\r\n"]
        if not keep_alive:
            content.append(b"connection: close\r\n")
        content.append(b"\r\n")
        if cycle.scope["method"] != "HEAD":
            content.append(body)
        self.transport.write(b"".join(content))
        cycle.response_started = cycle.response_complete = True
        cycle.keep_alive = keep_alive
        cycle.message_event.set()
        if not keep_alive:
            self.transport.close()
        self.on_response_complete()
