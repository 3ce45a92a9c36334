"""The HTTP edge shared by all endpoints: route declaration, body parsing, JSON responses.

`api_route` declares a route together with what the OpenAPI document needs (request
and response models, parameters, summary), so the document is generated from the
same declaration that serves the request and cannot drift from it.
`parse_body` turns a JSON body into a pydantic input model or raises `InvalidInput`
naming every bad field, before anything is sent upstream. Every body is read by
`read_json`, which bounds its nesting and refuses control characters
(`bff.json_body`) before any model sees it. A reason never quotes the
value that was sent (it may be a BSN, a name, an e-mail address).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import to_json
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bff.errors import InvalidInput, InvalidParam, PayloadTooLarge
from bff.json_body import decode_json
from bff.validation import ascii_digits, control_character_problems

In = TypeVar("In", bound=BaseModel)

Endpoint = Callable[[Request], Awaitable[Response]]

DEFAULT_MAX_BODY_BYTES = 64 * 1024
MIN_ECHO = 3  # a reason quoting this much of the input is replaced by a neutral one


@dataclass(frozen=True)
class Param:
    """A path, query or header parameter, for the OpenAPI document."""

    name: str
    location: str = "query"  # "path" | "query" | "header"
    description: str = ""
    required: bool = False
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})


@dataclass(frozen=True)
class Operation:
    summary: str
    tag: str
    request: type[BaseModel] | None = None
    responses: Mapping[int, type[BaseModel] | None] = field(default_factory=dict)
    params: Sequence[Param] = ()
    description: str = ""
    public: bool = False  # no bearer token needed


class ApiRoute(Route):
    """A Starlette route that carries its OpenAPI operation."""

    def __init__(self, path: str, endpoint: Endpoint, method: str, operation: Operation) -> None:
        super().__init__(path, endpoint, methods=[method], name=f"{method.lower()}:{path}")
        self.method = method
        self.operation = operation


def api_route(
    method: str,
    path: str,
    endpoint: Endpoint,
    *,
    summary: str,
    tag: str,
    request: type[BaseModel] | None = None,
    responses: Mapping[int, type[BaseModel] | None] | None = None,
    params: Sequence[Param] = (),
    description: str = "",
    public: bool = False,
) -> ApiRoute:
    return ApiRoute(
        path,
        endpoint,
        method,
        Operation(
            summary=summary,
            tag=tag,
            request=request,
            responses=responses or {},
            params=params,
            description=description or (endpoint.__doc__ or "").strip(),
            public=public,
        ),
    )


async def read_body(request: Request, limit: int = DEFAULT_MAX_BODY_BYTES) -> bytes:
    declared = request.headers.get("content-length")
    if declared and ascii_digits(declared) and int(declared) > limit:
        raise PayloadTooLarge(f"The request body may be at most {limit} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The request body may be at most {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request) -> tuple[bytes, Any]:
    """The raw body (`{}` when empty) and its JSON, checked by `bff.json_body.decode_json`."""
    limit = getattr(request.app.state, "max_body_bytes", DEFAULT_MAX_BODY_BYTES)
    raw = await read_body(request, limit)
    if raw and "json" not in request.headers.get("content-type", ""):
        raise InvalidInput.one("body", "Send the body as application/json.", "content-type")
    raw = raw or b"{}"
    return raw, decode_json(raw)


async def parse_body(request: Request, model: type[In]) -> In:
    """Parse and validate a JSON body; every problem is reported with its field name."""
    raw, _ = await read_json(request)
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise validation_error(exc) from None


def validation_error(exc: ValidationError, prefix: str = "") -> InvalidInput:
    params = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"]]
        name = ".".join([prefix, *loc] if prefix else loc) or "body"
        if err["type"] == "json_invalid":
            name = "body"
        params.append(InvalidParam(name, _reason(err), err["type"]))
    return InvalidInput(params)


def _reason(err: Mapping[str, Any]) -> str:
    msg = str(err["msg"])
    if err["type"] == "extra_forbidden":
        return "Unknown field."
    if err["type"] == "missing":
        return "This field is required."
    if err["type"] in ("int_parsing", "int_type", "int_from_float"):
        return "Use a whole number written with the digits 0-9."
    typed = err.get("input")
    if isinstance(typed, (str, int)) and len(str(typed)) >= MIN_ECHO and str(typed) in msg:
        return "This value is not valid."  # never echo what was typed: it may be personal
    return msg.removeprefix("Value error, ")


def parse_query(request: Request, model: type[In], *, allow: Sequence[str] = ()) -> In:
    """Validate query parameters with a model; unknown parameters are rejected."""
    raw: dict[str, Any] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        raw[key] = values if len(values) > 1 else values[0]
    problems = control_character_problems(raw)
    if problems:
        raise InvalidInput(problems)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(exc) from None


def json_response(
    model: BaseModel | Sequence[BaseModel],
    status_code: int = 200,
    *,
    headers: Mapping[str, str] | None = None,
    personal: bool = True,
) -> JSONResponse:
    """Serialise an outgoing model (camelCase); personal data is marked `no-store`.

    pydantic writes the JSON bytes itself in one pass (no intermediate dicts)."""
    target = model if isinstance(model, BaseModel) else list(model)
    all_headers = dict(headers or {})
    if personal:
        all_headers.setdefault("Cache-Control", "no-store")
    return ModelResponse(
        to_json(target, by_alias=True), status_code=status_code, headers=all_headers
    )


class ModelResponse(JSONResponse):
    """A JSON response whose body is already serialised."""

    def render(self, content: Any) -> bytes:
        return bytes(content)
