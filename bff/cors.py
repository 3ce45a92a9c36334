"""CORS for the KCC screen: Starlette's `CORSMiddleware`, with a refused preflight
answered like every other error, as `application/problem+json`.

Starlette answers a refused preflight `400 text/plain` ("Disallowed CORS origin"). The
BFF answers 400 with a problem whose `detail` says which part was refused (origin,
method, headers, private network) and whose `invalidParams` name the request headers,
keeping the CORS headers Starlette computed.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from bff.errors import PROBLEM_JSON, problem_body

_HEADER_OF = {
    "origin": "Origin",
    "method": "Access-Control-Request-Method",
    "headers": "Access-Control-Request-Headers",
    "private-network": "Access-Control-Request-Private-Network",
}


class ProblemCORSMiddleware(CORSMiddleware):
    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        text = bytes(response.body).decode("utf-8", "replace")
        refused = [f.strip() for f in text.removeprefix("Disallowed CORS ").split(",")]
        names = [_HEADER_OF.get(f, f) for f in refused]
        body = problem_body(
            400,
            "cors-rejected",
            "CORS preflight refused",
            f"This browser request is not allowed from here: {', '.join(refused)} refused.",
            invalidParams=[
                {"name": name, "code": "not-allowed", "reason": "Not allowed by the CORS policy."}
                for name in names
            ],
        )
        headers = {
            key: value
            for key, value in response.headers.items()
            if key.lower() not in ("content-type", "content-length")
        }
        return Response(json.dumps(body), status_code=400, headers=headers, media_type=PROBLEM_JSON)


def cors_policy(origins: list[str]) -> dict[str, Any]:
    """The BFF's CORS policy for the given exact origins (`ProblemCORSMiddleware` keywords)."""
    return {
        "allow_origins": origins,
        "allow_methods": ["GET", "POST", "PUT", "PATCH", "DELETE"],
        "allow_headers": [
            "Authorization",
            "Content-Type",
            "Idempotency-Key",
            "If-Match",
            "X-Request-ID",
            "traceparent",
            "tracestate",
        ],
        "expose_headers": ["ETag", "Location", "Retry-After", "X-Request-ID"],
        "max_age": 600,
    }


async def headers_only(scope: Scope, receive: Receive, send: Send) -> None:
    """The app under a CORS policy used only to compute headers (`bff.admission_http`)."""
    raise RuntimeError("a policy for headers only serves no requests")  # pragma: no cover
