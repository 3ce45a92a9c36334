"""The HTTP face of the sandbox Klantinteracties API: routes, token auth and version header.

Every resource gets the same five operations (list, create, retrieve, PUT/PATCH, delete)
from its `Resource` description, plus `POST /maak-klantcontact`. Requests need
`Authorization: Token <key>`; every response carries `API-version: 0.9.0`. Error bodies
have the problem shape but, as Open Klant sends them, `Content-Type: application/json`
(401 included).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bff.sandbox.common import (
    SandboxProblem,
    check_query,
    json_body,
    not_found,
    paginated,
)
from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.klantinteracties import (
    actoren,
    betrokkenen,
    digitaleadressen,
    identificatoren,
    internetaken,
    klantcontacten,
    onderwerpen,
    partijen,
)
from bff.sandbox.klantinteracties.query import Expander, apply_filters, requested_expand
from bff.sandbox.klantinteracties.resource import Resource
from bff.sandbox.klantinteracties.serialize import PATHS, Representation, api_root
from bff.sandbox.klantinteracties.store import KlantinteractiesStore, Record

API_VERSION = "0.9.0"
RESOURCES = (
    partijen.RESOURCE,
    identificatoren.RESOURCE,
    digitaleadressen.RESOURCE,
    klantcontacten.RESOURCE,
    betrokkenen.RESOURCE,
    onderwerpen.ONDERWERPOBJECT,
    onderwerpen.BIJLAGE,
    actoren.ACTOR,
    actoren.ACTORKLANTCONTACT,
    internetaken.RESOURCE,
)
Handler = Callable[[Request], Awaitable[Response]]


class TokenAuthAndVersion:
    """Pure ASGI middleware: `Token` auth as Open Klant checks it, and the API-version header."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"api-version", API_VERSION.encode()))
                message = {**message, "headers": headers}
            await send(message)

        request = Request(scope)
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        if scheme != "Token" or not key.strip():
            problem = SandboxProblem(
                401, "not_authenticated", "Authenticatiegegevens zijn niet opgegeven."
            )
        elif key.strip() != self.token:
            problem = SandboxProblem(401, "authentication_failed", "Ongeldige token.")
        else:
            await self.app(scope, receive, send_with_version)
            return
        problem.headers["WWW-Authenticate"] = "Token"
        await as_open_klant(problem, request)(scope, receive, send_with_version)


# `type` and `title` of Open Klant 2.18.0's problem bodies per code (observed, Dutch locale):
# the type names Django REST framework's exception class, a 400 `invalid` has the title as
# its detail, and every error has the full body, a 404 on an unknown uuid or page included.
OPEN_KLANT_PROBLEMS = {
    "invalid": ("ValidationError", "Ongeldige invoerwaarde."),
    "parse_error": ("ParseError", "Ongeldig samengestelde request."),
    "not_found": ("NotFound", "Niet gevonden."),
    "not_authenticated": ("NotAuthenticated", "Authenticatiegegevens zijn niet opgegeven."),
    "authentication_failed": ("AuthenticationFailed", "Ongeldige authenticatiegegevens."),
}


def as_open_klant(problem: SandboxProblem, request: Request) -> Response:
    """Open Klant's errors: the full problem body, sent as plain `application/json`."""
    kind, title = OPEN_KLANT_PROBLEMS.get(problem.code, (problem.code, problem.title))
    body: dict[str, Any] = {
        "type": f"{request.base_url}ref/fouten/{kind}/",
        "code": problem.code,
        "title": title,
        "status": problem.status,
        "detail": title if problem.code == "invalid" else problem.detail,
        "instance": f"urn:uuid:{uuid.uuid4()}",
    }
    if problem.code == "invalid":
        body["invalidParams"] = problem.invalid_params
    return JSONResponse(body, status_code=problem.status, headers=problem.headers)


async def json_problem_handler(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, SandboxProblem):  # pragma: no cover - registered for this type only
        raise exc
    return as_open_klant(exc, request)


class Endpoints:
    """The handlers of one resource, bound to the store."""

    def __init__(self, store: KlantinteractiesStore, resource: Resource) -> None:
        self.store = store
        self.resource = resource
        self.table = store.table(resource.table)
        self.expansions = resource.expansions(store) if resource.expansions else {}

    def _get(self, request: Request) -> Record:
        record = self.table.get(request.path_params["uuid"])
        if record is None:
            raise not_found()
        return record

    def _serializer(self, request: Request, *, listed: bool) -> Callable[[Record], dict[str, Any]]:
        """Renders records of one response; with `expand`, each object is expanded once.

        A resource that can expand gives each list item an `_expand`, `{}` without `expand`.
        """
        representation = Representation(self.store, api_root(request))
        names = requested_expand(request, self.expansions) if self.expansions else None
        expander = Expander(representation, self.expansions, names or set())

        def serialize(record: Record) -> dict[str, Any]:
            body = representation.render(self.resource.kind, record)
            if not self.expansions:
                return body
            return expander.with_expand(body, record, listed=listed)

        return serialize

    async def collection(self, request: Request) -> Response:
        if request.method == "POST":
            record = self.resource.write(self.store, None, await json_body(request), False)
            body = Representation(self.store, api_root(request)).render(self.resource.kind, record)
            return JSONResponse(body, status_code=201)
        filters = self.resource.filters(self.store)
        check_query(request, set(filters) | ({"expand"} if self.expansions else set()))
        records = apply_filters(request, self.resource.order(list(self.table.values())), filters)
        return paginated(request, records, self._serializer(request, listed=True))

    async def detail(self, request: Request) -> Response:
        record = self._get(request)
        if request.method == "DELETE":
            self.store.delete(self.resource.table, record["uuid"])
            return Response(status_code=204)
        if request.method in ("PUT", "PATCH"):
            body = await json_body(request)
            record = self.resource.write(self.store, record, body, request.method == "PATCH")
            representation = Representation(self.store, api_root(request))
            return JSONResponse(representation.render(self.resource.kind, record))
        return JSONResponse(self._serializer(request, listed=False)(record))

    def routes(self) -> list[Route]:
        path = f"/{PATHS[self.resource.kind]}"
        return [
            Route(path, self.collection, methods=["GET", "POST"]),
            Route(f"{path}/{{uuid}}", self.detail, methods=["GET", "PUT", "PATCH", "DELETE"]),
        ]


def maak_klantcontact(store: KlantinteractiesStore) -> Handler:
    async def handler(request: Request) -> Response:
        made = klantcontacten.maak(store, await json_body(request))
        representation = Representation(store, api_root(request))
        kinds = ("klantcontact", "betrokkene", "onderwerpobject")
        body = {
            kind: None if record is None else representation.render(kind, record)
            for kind, record in zip(kinds, made, strict=True)
        }
        return JSONResponse(body, status_code=201)

    return handler


def create_app(store: KlantinteractiesStore, credentials: SandboxCredentials) -> Starlette:
    routes = [route for resource in RESOURCES for route in Endpoints(store, resource).routes()]
    routes.append(Route("/maak-klantcontact", maak_klantcontact(store), methods=["POST"]))
    app = Starlette(routes=routes, exception_handlers={SandboxProblem: json_problem_handler})
    app.add_middleware(TokenAuthAndVersion, token=credentials.klantinteracties_token)
    return app
