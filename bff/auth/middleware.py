"""Pure ASGI middleware guarding `/api/v1`: a verified bearer token and the medewerker role.

Requests under the prefix get their `Medewerker` in `scope["state"]["medewerker"]`
(`request.state.medewerker`, or `current_medewerker(request)`), or a 401/403 problem
before any endpoint runs. Every other path (`/health`, `/ready`, `/openapi.json`,
`/docs`, the demo issuer) passes untouched. Responses under the prefix default to
`Cache-Control: no-store`: they may hold personal data. The verifier comes from the
lifespan's `Services`, so this middleware holds no resources of its own.
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bff.auth.identity import Role, forbidden
from bff.auth.oidc import OidcVerifier
from bff.errors import BffError, render

API_PREFIX = "/api/v1"


class AuthMiddleware:
    def __init__(
        self, app: ASGIApp, *, prefix: str = API_PREFIX, open_paths: Collection[str] = ()
    ) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/")
        self.open_paths = frozenset(open_paths)

    def protects(self, path: str) -> bool:
        if path in self.open_paths:
            return False
        return path == self.prefix or path.startswith(self.prefix + "/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.protects(scope["path"]):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        verifier = getattr(state.get("services"), "verifier", None)
        if not isinstance(verifier, OidcVerifier):
            raise RuntimeError("AuthMiddleware needs the lifespan's Services in scope state")
        try:
            authorization = Headers(scope=scope).get("authorization")
            medewerker = await verifier.authenticate(authorization)
            if not medewerker.has(Role.MEDEWERKER):
                raise forbidden(Role.MEDEWERKER)
        except BffError as exc:
            await render(exc, instance=state.get("request_id"))(scope, receive, send)
            return
        state["medewerker"] = medewerker

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_no_store)
