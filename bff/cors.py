"""CORS for the KCC screen: Starlette's `CORSMiddleware`, with a refused preflight
answered like every other error, as `application/problem+json`.

Starlette answers a refused preflight `400 text/plain` ("Disallowed CORS origin"). The
BFF answers 400 with a problem whose `detail` says which part was refused (origin,
method, headers, private network) and whose `invalidParams` name the request headers,
keeping the CORS headers Starlette computed.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

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
