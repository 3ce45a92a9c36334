"""Sandbox Objects API 2.6 (Maykin objects-api 3.6): objects typed by an objecttype's JSON schema.

`Authorization: Token <key>`; writes need `Content-Crs: EPSG:4326` (412 without), and an
`Accept-Crs` other than EPSG:4326 is 406. An object's `record.data` is validated against
the JSON schema of its objecttype version, each violation a 400 `invalidParams` entry named
`record.data.<path>`; `GET /objects` filters on `type` and `data_attr` (see
`bff.sandbox.objecten_data`). A POST may name the new object's `uuid` (the real
`ObjectSerializer` accepts it); a uuid already in use is refused with 400 `uuid`/`unique`
(the real server trips a database constraint there; its exact answer is not documented).

Objecttypes are served next to the objects, as Objects API 2.7 does (`/objecttypes/{uuid}`,
`/objecttypes/{uuid}/versions/{n}`); with 2.6 they live in a separate Objecttypes API. The
objecttype "productaanvraag" is configuration every deployment has, so a new store holds
it (uuid `ObjectenStore.PRODUCTAANVRAAG_OBJECTTYPE_UUID`); `seed_demo()` adds objects.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bff.sandbox.common import (
    SandboxProblem,
    UuidFactory,
    check_query,
    invalid_many,
    json_body,
    paginated,
    problem_handler,
)
from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.objecten_data import data_attr_matches, parse_data_attr, schema_errors
from bff.sandbox.zgw import (
    CRS,
    ApiVersionHeader,
    own_base,
    require_accept_crs,
    require_content_crs,
    uuid_from_url,
)

API_VERSION = "2.6.0"
Record = dict[str, Any]

PRODUCTAANVRAAG_SCHEMA: Record = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Productaanvraag",
    "type": "object",
    "required": ["productcode", "omschrijving"],
    "additionalProperties": False,
    "properties": {
        "productcode": {"type": "string", "minLength": 1, "maxLength": 50},
        "omschrijving": {"type": "string", "minLength": 1, "maxLength": 200},
        "aanvrager": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"bsn": {"type": "string", "pattern": "^[0-9]{9}$"}},
        },
        "toelichting": {"type": "string", "maxLength": 1000},
    },
}


class ObjectenStore:
    """`objecttypes` (with their `versions`) and `objects`, each a dict keyed by uuid."""

    PRODUCTAANVRAAG_OBJECTTYPE_UUID = "8e3b0b6e-3f52-4d1c-9b1a-6c1f1a2f7d01"

    def __init__(self, seed: int | None = None) -> None:
        self.new_uuid = UuidFactory(seed)
        self.objects: dict[str, Record] = {}
        self.objecttypes: dict[str, Record] = {
            self.PRODUCTAANVRAAG_OBJECTTYPE_UUID: {
                "uuid": self.PRODUCTAANVRAAG_OBJECTTYPE_UUID,
                "name": "productaanvraag",
                "namePlural": "productaanvragen",
                "description": "Aanvraag van een product of dienst, via het KCC geregistreerd.",
                "dataClassification": "confidential",
                "maintainerOrganization": "Sandboxgemeente",
                "allowGeometry": False,
                "createdAt": "2024-01-01",
                "modifiedAt": "2024-01-01",
                "versions": {1: {"status": "published", "jsonSchema": PRODUCTAANVRAAG_SCHEMA}},
            }
        }

    def seed_demo(self) -> None:
        """A few productaanvragen, two of them for 999993653 (idempotent)."""
        if self.objects:
            return
        new_uuid = UuidFactory(5_330)
        demo = (
            ("999993653", "PARKEERVERGUNNING", "Bewonersvergunning tweede auto", "2025-03-04"),
            ("999993653", "AFVALPAS", "Vervangende afvalpas, oude pas kwijt", "2025-06-17"),
            ("999995571", "GEHANDICAPTENPARKEERKAART", "Aanvraag GPK bestuurder", "2025-08-02"),
        )
        for bsn, code, omschrijving, start in demo:
            data = {"productcode": code, "omschrijving": omschrijving, "aanvrager": {"bsn": bsn}}
            record = {"typeVersion": 1, "data": data, "startAt": start}
            self.add_object(self.PRODUCTAANVRAAG_OBJECTTYPE_UUID, record, uuid=new_uuid())

    def add_object(self, objecttype: str, record: Record, *, uuid: str | None = None) -> str:
        uuid = uuid or self.new_uuid()
        full = {
            "index": 1,
            "geometry": None,
            "references": [],
            "endAt": None,
            "registrationAt": date.today().isoformat(),
            "correctionFor": None,
            **record,
        }
        self.objects[uuid] = {"uuid": uuid, "type": objecttype, "record": full}
        return uuid

    def object_body(self, uuid: str, base: str) -> Record:
        stored = self.objects[uuid]
        # no `correctedBy` until a later record corrects this one (the spec has no null)
        record = dict(stored["record"])
        return {
            "url": f"{base}/objects/{uuid}",
            "uuid": uuid,
            "type": f"{base}/objecttypes/{stored['type']}",
            "record": record,
        }

    def objecttype_body(self, uuid: str, base: str) -> Record:
        stored = self.objecttypes[uuid]
        body = {k: v for k, v in stored.items() if k not in ("versions", "description")}
        versions = [f"{base}/objecttypes/{uuid}/versions/{n}" for n in stored["versions"]]
        return {"url": f"{base}/objecttypes/{uuid}", **body, "versions": versions}

    def version_body(self, uuid: str, version: int, base: str) -> Record:
        stored = self.objecttypes[uuid]
        return {
            "url": f"{base}/objecttypes/{uuid}/versions/{version}",
            "version": version,
            "objectType": f"{base}/objecttypes/{uuid}",
            **stored["versions"][version],
            "createdAt": stored["createdAt"],
            "modifiedAt": stored["modifiedAt"],
            "publishedAt": stored["createdAt"],
        }


def _client_uuid(store: ObjectenStore, body: Record, errors: list[dict[str, str]]) -> str | None:
    """The `uuid` the client chose for the new object, if any and if still free."""
    raw = body.get("uuid")
    if raw is None:
        return None
    try:
        chosen = str(UUID(str(raw)))
    except ValueError:
        errors.append({"name": "uuid", "code": "invalid", "reason": "Voer een geldige UUID in."})
        return None
    if chosen in store.objects:
        reason = "Object met deze uuid bestaat al."
        errors.append({"name": "uuid", "code": "unique", "reason": reason})
    return chosen


def _validate_new(store: ObjectenStore, body: Record) -> tuple[str, Record, str | None]:
    errors: list[dict[str, str]] = []
    chosen = _client_uuid(store, body, errors)
    objecttype = uuid_from_url(body.get("type"), "objecttypes")
    if "type" not in body:
        errors.append({"name": "type", "code": "required", "reason": "Dit veld is vereist."})
    elif objecttype not in store.objecttypes:
        reason = "Het objecttype kan niet worden opgehaald."
        errors.append({"name": "type", "code": "invalid", "reason": reason})
    record = body.get("record")
    if not isinstance(record, dict):
        raise invalid_many(
            [*errors, {"name": "record", "code": "required", "reason": "Dit veld is vereist."}]
        )
    for name in ("typeVersion", "startAt"):
        if name not in record:
            errors.append(
                {"name": f"record.{name}", "code": "required", "reason": "Dit veld is vereist."}
            )
    try:
        date.fromisoformat(str(record.get("startAt", "")))
    except ValueError:
        if "startAt" in record:
            reason = "Datum heeft het verkeerde formaat."
            errors.append({"name": "record.startAt", "code": "invalid", "reason": reason})
    version = record.get("typeVersion")
    versions = store.objecttypes[objecttype]["versions"] if objecttype in store.objecttypes else {}
    if objecttype in store.objecttypes and "typeVersion" in record and version not in versions:
        reason = f"Objecttype versie {version!r} bestaat niet."
        errors.append({"name": "record.typeVersion", "code": "invalid", "reason": reason})
    elif version in versions:
        data = record.get("data", {})
        errors += schema_errors(versions[version]["jsonSchema"], data, "record.data")
    if errors:
        raise invalid_many(errors)
    kept = {k: record[k] for k in ("typeVersion", "data", "geometry", "startAt") if k in record}
    return str(objecttype), {"data": {}, **kept}, chosen


def create_app(store: ObjectenStore, credentials: SandboxCredentials) -> Starlette:
    def guard(request: Request, allowed: tuple[str, ...] = ()) -> str:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        challenge = {"WWW-Authenticate": "Token"}
        if scheme != "Token" or not token:
            detail = "Authenticatiegegevens zijn niet opgegeven."
            raise SandboxProblem(401, "not_authenticated", detail, headers=challenge)
        if token != credentials.objecten_token:
            raise SandboxProblem(
                401, "authentication_failed", "Ongeldige token.", headers=challenge
            )
        require_accept_crs(request, required=False)
        check_query(request, allowed)
        return own_base(request)

    def found(table: str, uuid: str) -> str:
        if uuid.lower() not in getattr(store, table):
            raise SandboxProblem(404, "not_found", "Niet gevonden.")
        return uuid.lower()

    async def list_objects(request: Request) -> Response:
        base = guard(request, ("type", "data_attr", "typeVersion"))
        q = request.query_params
        attrs = [parse_data_attr(raw) for raw in q.getlist("data_attr")]
        wanted = uuid_from_url(q["type"], "objecttypes") if "type" in q else None
        hits = [
            o["uuid"]
            for o in reversed(store.objects.values())
            if ("type" not in q or o["type"] == wanted)
            and q.get("typeVersion", str(o["record"]["typeVersion"]))
            == str(o["record"]["typeVersion"])
            and all(data_attr_matches(o["record"]["data"], a) for a in attrs)
        ]
        response = paginated(request, hits, lambda u: store.object_body(u, base))
        response.headers["Content-Crs"] = CRS
        return response

    async def create_object(request: Request) -> Response:
        base = guard(request)
        require_content_crs(request)
        objecttype, record, chosen = _validate_new(store, await json_body(request))
        body = store.object_body(store.add_object(objecttype, record, uuid=chosen), base)
        headers = {"Location": body["url"], "Content-Crs": CRS}
        return JSONResponse(body, status_code=201, headers=headers)

    async def get_object(request: Request) -> Response:
        base = guard(request)
        body = store.object_body(found("objects", request.path_params["uuid"]), base)
        return JSONResponse(body, headers={"Content-Crs": CRS})

    async def list_objecttypes(request: Request) -> Response:
        base = guard(request)
        return paginated(request, list(store.objecttypes), lambda u: store.objecttype_body(u, base))

    async def get_objecttype(request: Request) -> Response:
        base = guard(request)
        return JSONResponse(
            store.objecttype_body(found("objecttypes", request.path_params["uuid"]), base)
        )

    async def get_version(request: Request) -> Response:
        base = guard(request)
        uuid = found("objecttypes", request.path_params["uuid"])
        version = int(request.path_params["version"])
        if version not in store.objecttypes[uuid]["versions"]:
            raise SandboxProblem(404, "not_found", "Niet gevonden.")
        return JSONResponse(store.version_body(uuid, version, base))

    routes = [
        Route("/objects", list_objects, methods=["GET"]),
        Route("/objects", create_object, methods=["POST"]),
        Route("/objects/{uuid}", get_object, methods=["GET"]),
        Route("/objecttypes", list_objecttypes, methods=["GET"]),
        Route("/objecttypes/{uuid}", get_objecttype, methods=["GET"]),
        Route("/objecttypes/{uuid}/versions/{version:int}", get_version, methods=["GET"]),
    ]
    return Starlette(
        routes=routes,
        exception_handlers={SandboxProblem: problem_handler},
        middleware=[Middleware(ApiVersionHeader, version=API_VERSION)],
    )
