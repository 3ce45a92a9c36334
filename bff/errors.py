"""The error tree of the BFF and its one renderer to RFC 9457 `application/problem+json`.

    BffError                         every error the BFF renders on purpose
    ├── InvalidInput        422      the request is wrong; `invalid_params` names the fields
    ├── Unauthenticated     401      no or bad bearer token
    ├── Forbidden           403      authenticated, but the role is missing
    │   └── VerificationRequired 403 the caller must be verified first (says only: known)
    ├── NotFound            404      the requested resource does not exist
    ├── Conflict            409      the request clashes with the current state
    ├── PreconditionFailed  412      If-Match does not match the current version
    ├── PreconditionRequired 428     a write that needs If-Match came without it
    ├── PayloadTooLarge     413      the request body exceeds the configured limit
    ├── VerificationLocked  429      too many failed verifications of this person: wait
    ├── Overloaded          503      more requests in flight than admitted: try again
    └── UpstreamFailure              an upstream did not do its part
        ├── UpstreamUnavailable 503  timed out or could not be reached
        ├── UpstreamError       502  5xx, an unparseable body, or refused credentials
        └── UpstreamRejected    502  upstream said 400 to a request we built: a bug on our side

Upstream error bodies and stack traces never reach the frontend; `detail` is written
for a KCC agent (what happened, what to do), `type` is a stable URN per kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from starlette.responses import JSONResponse

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:kcc-bff:problem:"


@dataclass(frozen=True)
class InvalidParam:
    name: str
    reason: str
    code: str = "invalid"

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code, "reason": self.reason}


class BffError(Exception):
    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal error"

    def __init__(self, detail: str, *, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = dict(headers or {})

    def extra(self) -> dict[str, Any]:
        return {}


class InvalidInput(BffError):
    status = 422
    slug = "invalid-input"
    title = "Invalid input"

    def __init__(self, params: Sequence[InvalidParam], detail: str | None = None) -> None:
        names = ", ".join(p.name for p in params)
        super().__init__(detail or f"Check these fields: {names}.")
        self.params = list(params)

    @classmethod
    def one(cls, name: str, reason: str, code: str = "invalid") -> InvalidInput:
        return cls([InvalidParam(name, reason, code)])

    def extra(self) -> dict[str, Any]:
        return {"invalidParams": [p.as_json() for p in self.params]}


class Unauthenticated(BffError):
    status = 401
    slug = "unauthenticated"
    title = "Not authenticated"


class Forbidden(BffError):
    status = 403
    slug = "forbidden"
    title = "Forbidden"


class VerificationRequired(Forbidden):
    """A person's klantbeeld without a valid verification: it says only that they are known."""

    slug = "verification-required"
    title = "Verify the caller first"

    def extra(self) -> dict[str, Any]:
        return {"bekend": True}


class VerificationLocked(BffError):
    status = 429
    slug = "verification-locked"
    title = "Verification locked"


class NotFound(BffError):
    status = 404
    slug = "not-found"
    title = "Not found"


class MethodNotAllowed(BffError):
    status = 405
    slug = "method-not-allowed"
    title = "Method not allowed"


class Conflict(BffError):
    status = 409
    slug = "conflict"
    title = "Conflict"


class PreconditionFailed(BffError):
    status = 412
    slug = "precondition-failed"
    title = "Changed by someone else"

    def __init__(self, detail: str, *, current: Any = None, etag: str | None = None) -> None:
        super().__init__(detail, headers={"ETag": etag} if etag else None)
        self.current = current

    def extra(self) -> dict[str, Any]:
        return {"current": self.current} if self.current is not None else {}


class PreconditionRequired(BffError):
    status = 428
    slug = "precondition-required"
    title = "If-Match required"


class PayloadTooLarge(BffError):
    status = 413
    slug = "payload-too-large"
    title = "Request body too large"


class Overloaded(BffError):
    status = 503
    slug = "overloaded"
    title = "Busy, try again"


class UpstreamFailure(BffError):
    status = 502
    slug = "upstream-failure"
    title = "Upstream failure"

    def __init__(
        self, upstream: str, detail: str, *, reason: str, unknown_outcome: bool = False
    ) -> None:
        super().__init__(detail)
        self.upstream = upstream
        self.reason = reason
        # a write that timed out or lost its connection: the upstream may still commit it
        self.unknown_outcome = unknown_outcome

    def extra(self) -> dict[str, Any]:
        return {"upstream": self.upstream, "reason": self.reason}


class UpstreamUnavailable(UpstreamFailure):
    status = 503
    slug = "upstream-unavailable"
    title = "Upstream unavailable"


class UpstreamError(UpstreamFailure):
    status = 502
    slug = "upstream-error"
    title = "Upstream error"


class UpstreamRejected(UpstreamFailure):
    status = 502
    slug = "upstream-rejected"
    title = "Upstream rejected the request"

    def __init__(
        self, upstream: str, detail: str, *, invalid_params: Sequence[InvalidParam] = ()
    ) -> None:
        super().__init__(upstream, detail, reason="rejected")
        self.invalid_params = list(invalid_params)

    def extra(self) -> dict[str, Any]:
        return {
            **super().extra(),
            "invalidParams": [{"name": p.name, "code": p.code} for p in self.invalid_params],
        }


def problem_body(
    status: int, slug: str, title: str, detail: str, instance: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def render(exc: BffError, instance: str | None = None) -> JSONResponse:
    body = problem_body(exc.status, exc.slug, exc.title, exc.detail, instance, **exc.extra())
    headers = dict(exc.headers)
    headers.setdefault("Cache-Control", "no-store")
    return JSONResponse(body, status_code=exc.status, media_type=PROBLEM_JSON, headers=headers)
