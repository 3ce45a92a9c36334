"""Capturing what our upstream clients send and checking it against the official specs.

`answer` is a respx side effect that gives every client a parseable reply; `check`
finds the spec operation a captured request calls, validates its body against that
operation's request schema and refuses query parameters the operation does not declare.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import respx

from bff.upstreams.brp import BrpClient
from bff.upstreams.klantinteracties import KlantinteractiesClient
from bff.upstreams.objecten import ObjectenClient
from bff.upstreams.referentielijsten import ReferentielijstenClient
from bff.upstreams.zaken import ZakenClient
from tests.contract.oas import Spec, load_spec, validate_request
from tests.upstreams import ki_samples as s
from tests.upstreams import zgw_samples as z
from tests.upstreams.conftest import BRP, KI, OBJECTEN, REF, ZAKEN, page

SPEC_FILES = {
    KI: "klantinteracties-openapi.yaml",
    ZAKEN: "open-zaak-1.30.0-zaken-openapi.yaml",
    BRP: "brp-personen-bevragen-2.7.0.resolved.openapi.yaml",
    OBJECTEN: "objects-api-2.6.0.openapi.yaml",
    REF: "referentielijsten-api-0.2.0.openapi.yaml",
}


# -- answers good enough for the clients to parse -----------------------------------------

KI_SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {
    "partijen": s.partij,
    "partij-identificatoren": lambda: s.partij()["partijIdentificatoren"][0],
    "digitaleadressen": s.digitaal_adres,
    "klantcontacten": s.klantcontact,
    "betrokkenen": s.betrokkene,
    "onderwerpobjecten": s.onderwerpobject,
    "bijlagen": s.bijlage,
    "actoren": s.actor,
    "internetaken": s.internetaak,
    "actorklantcontacten": lambda: {
        "uuid": s.BIJLAGE,
        "url": f"{KI}/actorklantcontacten/{s.BIJLAGE}",
        "actor": s.ref("actoren", s.ACTOR),
        "klantcontact": s.ref("klantcontacten", s.KLANTCONTACT),
    },
    "maak-klantcontact": lambda: {
        "klantcontact": s.klantcontact(),
        "betrokkene": s.betrokkene(),
        "onderwerpobject": s.onderwerpobject(),
    },
}


def answer(request: httpx.Request) -> httpx.Response:
    url = str(request.url)
    if url.startswith(KI):
        parts = url.removeprefix(KI + "/").split("?")[0].strip("/").split("/")
        if request.method == "GET" and len(parts) == 1:
            return httpx.Response(200, json=page([]))
        status = 201 if request.method == "POST" else 200
        return httpx.Response(status, json=KI_SAMPLES[parts[0]]())
    if url.startswith(ZAKEN):
        return httpx.Response(200, json=page([z.zaak()]))
    if url.startswith(BRP):
        body = json.loads(request.content)
        return httpx.Response(200, json={"type": body["type"], "personen": []})
    if url.startswith(OBJECTEN) and request.method == "POST":
        record = json.loads(request.content)
        return httpx.Response(201, json={"uuid": s.BIJLAGE, "url": f"{OBJECTEN}/x", **record})
    return httpx.Response(200, json=page([]))


@dataclass
class Clients:
    router: respx.MockRouter
    ki: KlantinteractiesClient
    zaken: ZakenClient
    brp: BrpClient
    objecten: ObjectenClient
    ref: ReferentielijstenClient


# -- matching a captured request to its operation -----------------------------------------


def operation_of(request: httpx.Request) -> tuple[Spec, str, str]:
    """(spec, path template, base) of the operation `request` calls."""
    url = str(request.url).split("?")[0]
    base = next(b for b in SPEC_FILES if url.startswith(b + "/"))
    spec = load_spec(SPEC_FILES[base])
    rel = url.removeprefix(base)
    server = urlpath(spec)
    for template in spec["paths"]:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        matches = re.match(pattern, rel) or re.match(pattern, server + rel)
        if matches and request.method.lower() in spec["paths"][template]:
            return spec, template, base
    raise AssertionError(f"no operation in {SPEC_FILES[base]} for {request.method} {rel}")


def urlpath(spec: Spec) -> str:
    servers = spec.get("servers") or [{"url": ""}]
    return re.sub(r"^https?://[^/]+", "", servers[0]["url"]).rstrip("/")


def declared_query(spec: Spec, template: str, method: str) -> set[str]:
    operation = spec["paths"][template][method.lower()]
    shared = spec["paths"][template].get("parameters", [])
    return {
        p["name"] for p in [*shared, *operation.get("parameters", [])] if p.get("in") == "query"
    }


def check(request: httpx.Request, *, schema: str | None = None) -> None:
    spec, template, _ = operation_of(request)
    method = request.method
    unknown = set(request.url.params) - declared_query(spec, template, method)
    assert not unknown, f"{method} {template}: undeclared query parameters {sorted(unknown)}"
    if request.content:
        body = json.loads(request.content)
        validate_request(
            with_request_schema(spec, template, method, schema), template, method, body
        )


def with_request_schema(spec: Spec, template: str, method: str, schema: str | None) -> Spec:
    """For a discriminated body (BRP), validate against the concrete subtype schema."""
    if schema is None:
        return spec
    narrowed = copy.copy(spec)
    narrowed["paths"] = copy.deepcopy({template: spec["paths"][template]})
    content = narrowed["paths"][template][method.lower()]["requestBody"]["content"]
    for media in content.values():
        media["schema"] = {"$ref": f"#/components/schemas/{schema}"}
    return narrowed


async def sent(clients: Clients, call: Awaitable[object]) -> httpx.Request:
    before = len(clients.router.calls)
    await call
    calls = clients.router.calls[before:]
    assert calls, "the client sent nothing"
    for made in calls:
        check(made.request)
    return calls[-1].request
