"""Pure ASGI middleware: request id and access log, and the last-resort problem renderer.

Pure ASGI (not `BaseHTTPMiddleware`) so that context variables bound here, such as
the request id, are seen by the endpoint and by every upstream call it makes.
"""

from __future__ import annotations

import re
import time
import traceback
import uuid

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bff.errors import PROBLEM_JSON, problem_body
from bff.logs import get_logger
from bff.metrics import method_label

log = get_logger("bff.http")

# A client's X-Request-ID is kept only when it is a UUID (8-4-4-4-12 hex digits, any
# version); anything else may carry personal data (a BSN typed there would land in every
# log line), so the BFF mints its own instead.
_REQUEST_ID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
MAX_FRAMES = 12


class RequestContextMiddleware:
    """Binds a request id (a UUID from `X-Request-ID`, else new), echoes it, logs one access line.

    The access line carries the route template, never the raw path, so an id or any
    value in a URL does not end up in the logs. An unhandled exception becomes a 500
    problem; its log line names the exception type and code locations, not its message.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_wrapper)
            except Exception as exc:
                log.error("unhandled_error", error=type(exc).__name__, at=_where(exc))
                if response_started:
                    raise
                await _send_internal_error(send_wrapper)
            finally:
                route = scope.get("route")
                log.info(
                    "request",
                    method=method_label(scope["method"]),  # any token is a method: not logged
                    route=getattr(route, "path", "unmatched"),
                    status=status,
                    elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
                )


def request_id_of(scope: Scope) -> str:
    """The client's `X-Request-ID` when it is a UUID (lower case), else a new one."""
    incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
    return incoming.lower() if _REQUEST_ID.match(incoming) else str(uuid.uuid4())


def _where(exc: BaseException) -> list[str]:
    """The code locations of a traceback, innermost last, without any message or value.

    An exception's text may quote the data it choked on (pydantic's `input_value`, an
    upstream's answer), so the log gets the exception type and where it was raised only.
    """
    return [
        f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_tb(exc.__traceback__)[-MAX_FRAMES:]
    ]


async def _send_internal_error(send: Send) -> None:
    import json

    body = json.dumps(
        problem_body(
            500,
            "internal-error",
            "Internal error",
            "Something went wrong in the BFF. Nothing was lost: try again, or report the "
            "request id to the service desk.",
        )
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
