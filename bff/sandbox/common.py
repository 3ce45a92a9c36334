"""Shared machinery of the sandbox upstreams: problem bodies, paging, query checks, ids.

The sandbox imitates the real services (see UPSTREAM-FACTS.md); everything here is
what several of them do alike. Each standard's module owns its own quirks.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

PROBLEM_JSON = "application/problem+json"


class SandboxProblem(Exception):
    """Raised inside a sandbox handler; rendered by `problem_handler` as the real service would."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str | None = None,
        invalid_params: Sequence[Mapping[str, str]] | None = None,
        *,
        short: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail or title
        self.invalid_params = list(invalid_params or [])
        self.short = short
        self.headers = dict(headers or {})

    def response(self, request: Request) -> Response:
        if self.short:  # a 404 of only {"detail", "code"} (Klantinteracties renders its own)
            body: dict[str, Any] = {"detail": self.detail, "code": self.code}
            return JSONResponse(body, status_code=self.status, headers=self.headers)
        body = {
            "type": f"{request.base_url}ref/fouten/{self.code}/",
            "code": self.code,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": f"urn:uuid:{uuid.uuid4()}",
        }
        if self.invalid_params or self.status == 400:
            body["invalidParams"] = self.invalid_params
        return JSONResponse(
            body, status_code=self.status, media_type=PROBLEM_JSON, headers=self.headers
        )


async def problem_handler(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, SandboxProblem):  # pragma: no cover - registered for this type only
        raise exc
    return exc.response(request)


def invalid(name: str, reason: str, code: str = "invalid") -> SandboxProblem:
    """A 400 with one invalid parameter, in the shape of the Common Ground APIs."""
    return SandboxProblem(
        400,
        "invalid",
        "Invalid input.",
        invalid_params=[{"name": name, "code": code, "reason": reason}],
    )


def invalid_many(params: Iterable[Mapping[str, str]]) -> SandboxProblem:
    return SandboxProblem(400, "invalid", "Invalid input.", invalid_params=list(params))


def not_found() -> SandboxProblem:
    return SandboxProblem(404, "not_found", "Niet gevonden.", short=True)


def check_query(request: Request, allowed: Iterable[str]) -> None:
    """Reject unknown query parameters with 400 `unknown-parameters`, as Open Klant does."""
    allowed_set = set(allowed) | {"page", "pageSize"}
    unknown = sorted(k for k in request.query_params if k not in allowed_set)
    if unknown:
        raise SandboxProblem(
            400,
            "invalid",
            "Invalid input.",
            invalid_params=[
                {
                    "name": "nonFieldErrors",
                    "code": "unknown-parameters",
                    "reason": f"Onbekende query parameters: {', '.join(unknown)}",
                }
            ],
        )


def paginated(
    request: Request,
    items: Sequence[Any],
    serialize: Callable[[Any], dict[str, Any]],
    *,
    default_size: int = 100,
    max_size: int = 500,
) -> Response:
    """`{count, next, previous, results}`, as Django REST framework pages.

    A `pageSize` that is no positive integer means the default, one above the maximum the
    maximum (observed on Open Zaak 1.30: `pageSize=0` and `pageSize=abc` answer 200). A
    `page` that is no page number (past the end, 0, `abc`) is 404 "Ongeldige pagina.";
    `page=last` is the last page.
    """
    try:
        size = int(request.query_params.get("pageSize", ""))
    except ValueError:
        size = default_size
    size = min(size if size > 0 else default_size, max_size)
    pages = max(1, -(-len(items) // size))
    raw_page = request.query_params.get("page", "1")
    try:
        page = pages if raw_page == "last" else int(raw_page)
    except ValueError:
        page = 0
    if page < 1 or page > pages:
        raise SandboxProblem(404, "not_found", "Ongeldige pagina.", short=True)
    start = (page - 1) * size
    chunk = items[start : start + size]

    def link(p: int) -> str:
        return str(request.url.include_query_params(page=p))

    return JSONResponse(
        {
            "count": len(items),
            "next": link(page + 1) if page < pages else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": [serialize(item) for item in chunk],
        }
    )


async def json_body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise SandboxProblem(400, "parse_error", "JSON parse error.") from exc
    if not isinstance(body, dict):
        raise invalid("nonFieldErrors", "Ongeldige data. Verwacht een dictionary.")
    return body


class UuidFactory:
    """Deterministic uuid4-shaped ids when seeded (demo data), random otherwise."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed) if seed is not None else None  # noqa: S311  # demo ids, not secrets

    def __call__(self) -> str:
        if self._rng is None:
            return str(uuid.uuid4())
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
