"""The OpenAPI 3.1 document, generated from the routes' declared operations and models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.routing import BaseRoute

from bff import __version__
from bff.errors import PROBLEM_JSON
from bff.http import ApiRoute

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
                "required": ["name", "code"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

OTHER_ERRORS = {429: "Too many attempts: wait (Retry-After)"}  # only where declared

ERROR_STATUSES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    412: "Changed by someone else",
    413: "Request body too large",
    422: "Invalid input",
    428: "If-Match required",
    502: "An upstream failed",
    503: "An upstream is unavailable",
}


def build_openapi(routes: list[BaseRoute], *, title: str = "KCC BFF") -> dict[str, Any]:
    api_routes = [r for r in routes if isinstance(r, ApiRoute)]
    pairs: set[tuple[type[BaseModel], str]] = set()
    for route in api_routes:
        op = route.operation
        if op.request is not None:
            pairs.add((op.request, "validation"))
        pairs.update((m, "serialization") for m in op.responses.values() if m is not None)
    keyed, defs = models_json_schema(
        sorted(pairs, key=lambda p: (p[0].__name__, p[1])),  # type: ignore[arg-type]  # literal modes
        by_alias=True,
        ref_template="#/components/schemas/{model}",
    )
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))
    schemas["Problem"] = PROBLEM_SCHEMA

    def ref(model: type[BaseModel], mode: str) -> dict[str, Any]:
        return dict(keyed[(model, mode)])  # type: ignore[index]  # keys are (model, mode) pairs

    paths: dict[str, dict[str, Any]] = {}
    for route in api_routes:
        op = route.operation
        operation: dict[str, Any] = {
            "operationId": route.name.replace(":", "_").replace("/", "_").strip("_"),
            "summary": op.summary,
            "tags": [op.tag],
            "responses": {},
        }
        if op.description:
            operation["description"] = op.description
        params = [
            {
                "name": p.name,
                "in": p.location,
                "required": p.required or p.location == "path",
                "description": p.description,
                "schema": dict(p.schema),
            }
            for p in op.params
        ]
        if params:
            operation["parameters"] = params
        if op.request is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": ref(op.request, "validation")}},
            }
        for status, model in op.responses.items():
            entry: dict[str, Any] = {"description": _describe(status)}
            if model is not None:
                entry["content"] = {"application/json": {"schema": ref(model, "serialization")}}
            elif status >= 400:  # declared to say it happens: still a problem
                entry = _problem(ERROR_STATUSES.get(status) or OTHER_ERRORS[status])
            operation["responses"][str(status)] = entry
        if not any(200 <= status < 300 for status in op.responses):
            operation["responses"]["200"] = {"description": "OK"}  # a body without a model
        for status, text in ERROR_STATUSES.items():
            if str(status) in operation["responses"]:
                continue
            if op.public and status in (401, 403):
                continue
            operation["responses"][str(status)] = _problem(text)
        if not op.public:
            operation["security"] = [{"bearer": []}]
        paths.setdefault(route.path, {})[route.method.lower()] = operation

    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": __version__,
            "description": "Case-shaped API for KCC frontends over the municipal standard APIs.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _describe(status: int) -> str:
    return {
        200: "OK",
        201: "Created",
        202: "Accepted; remaining steps continue in the background",
        204: "No content",
    }.get(status, "Response")
