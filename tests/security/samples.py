"""Sample requests for every case endpoint: the table the security tests drive.

`SAMPLES` holds, per `/api/v1` route (`"METHOD /path/template"`, as declared with
`api_route`), an `ok` request and its error paths (422, 404, upstream failure). A test
asserts the table covers every route the app serves, so a new endpoint cannot be left
out. The requests carry values typed by the medewerker (`calls.TYPED`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from tests.helpers.harness import DEMO_BSN, Bff
from tests.security.calls import (
    BSN_INVALID,
    BSN_UNKNOWN,
    EMAIL,
    GESLACHTSNAAM,
    INHOUD,
    NAAM,
    REACTIE,
    TELEFOON,
    Call,
    call,
    interne_taken,
    kc,
    new_id,
    open_taak,
    partij,
    partij_registreren,
    patch_klantcontact,
    patch_taak,
    referentienummer,
    registratie_status,
    registreren,
    zaak_klantcontacten,
)

DOWN = 503
UPSTREAM_FAILED = (502, 503)


@dataclass(frozen=True)
class Fault:
    """One upstream path answering `status` (e.g. 400: the upstream rejects our request)."""

    upstream: str
    status: int
    path: str  # a regex on the path below the upstream's base path


@dataclass(frozen=True)
class Sample:
    route: str  # "PATCH /api/v1/klantcontacten/{id}"
    case: str  # "ok", "invalid", "not-found", "upstream-down", ...
    build: Callable[[Bff], Awaitable[Call]]
    status: tuple[int, ...]
    faults: tuple[str | Fault, ...] = ()  # an upstream name: it answers 503 throughout

    @property
    def id(self) -> str:
        return f"{self.route} {self.case}"


IF_MATCH = {"If-Match": '"0-0"'}
ADRES = [{"soortDigitaalAdres": "telefoonnummer", "adres": TELEFOON}]
BAD_ADRES = [{"soortDigitaalAdres": "email", "adres": f"{NAAM} at voorbeeldmail"}]
K = "/api/v1/klantcontacten"

SAMPLES: tuple[Sample, ...] = (
    Sample("GET /api/v1/registraties/{id}", "ok", registratie_status, (200,)),
    Sample(
        "GET /api/v1/registraties/{id}",
        "not-found",
        call("GET", lambda b: f"/api/v1/registraties/{new_id(b)}"),
        (404,),
    ),
    Sample(
        "POST /api/v1/partijen/zoeken",
        "ok",
        call("POST", "/api/v1/partijen/zoeken", json={"bsn": DEMO_BSN}),
        (200,),
    ),
    Sample(
        "POST /api/v1/partijen/zoeken",
        "typed-email",
        call("POST", "/api/v1/partijen/zoeken", json={"emailadres": EMAIL}),
        (200,),
    ),
    Sample(
        "POST /api/v1/partijen/zoeken",
        "invalid",
        call("POST", "/api/v1/partijen/zoeken", json={"bsn": BSN_INVALID, "emailadres": NAAM}),
        (422,),
    ),
    Sample(
        "POST /api/v1/partijen/zoeken",
        "upstream-rejects",
        call("POST", "/api/v1/partijen/zoeken", json={"telefoonnummer": TELEFOON}),
        (502,),
        (Fault("klantinteracties", 400, "digitaleadressen"),),
    ),
    Sample(
        "POST /api/v1/partijen/zoeken",
        "brp-down",
        call(
            "POST",
            "/api/v1/partijen/zoeken",
            json={
                "geslachtsnaam": GESLACHTSNAAM,
                "geboortedatum": "1961-04-12",
                "voornamen": "Wilhelmina",
            },
        ),
        (DOWN,),
        ("brp",),
    ),
    Sample("GET /api/v1/klantcontacten", "ok", referentienummer, (200,)),
    Sample(
        "GET /api/v1/klantcontacten",
        "not-found",
        call("GET", K, params={"referentienummer": "1234567890"}),
        (404,),
    ),
    Sample(
        "GET /api/v1/klantcontacten",
        "invalid",
        call("GET", K, params={"referentienummer": EMAIL}),
        (422,),
    ),
    Sample(
        "GET /api/v1/klantcontacten",
        "upstream-down",
        referentienummer,
        UPSTREAM_FAILED,
        ("klantinteracties",),
    ),
    Sample("GET /api/v1/klantcontacten/{id}", "ok", call("GET", kc), (200,)),
    Sample(
        "GET /api/v1/klantcontacten/{id}",
        "not-found",
        call("GET", lambda b: f"{K}/{new_id(b)}"),
        (404,),
    ),
    Sample(
        "GET /api/v1/klantcontacten/{id}",
        "upstream-down",
        call("GET", kc),
        UPSTREAM_FAILED,
        ("klantinteracties",),
    ),
    Sample("GET /api/v1/zaken/{id}/klantcontacten", "ok", call("GET", zaak_klantcontacten), (200,)),
    Sample(
        "GET /api/v1/zaken/{id}/klantcontacten",
        "not-found",
        call("GET", lambda b: f"/api/v1/zaken/{new_id(b)}/klantcontacten"),
        (404,),
    ),
    Sample(
        "GET /api/v1/zaken/{id}/klantcontacten",
        "invalid",
        call("GET", lambda b: f"{zaak_klantcontacten(b)}?cursor=zz"),
        (422,),
    ),
    Sample(
        "GET /api/v1/zaken/{id}/klantcontacten",
        "upstream-down",
        call("GET", zaak_klantcontacten),
        UPSTREAM_FAILED,
        ("klantinteracties",),
    ),
    Sample("PATCH /api/v1/klantcontacten/{id}", "ok", patch_klantcontact, (200,)),
    Sample(
        "PATCH /api/v1/klantcontacten/{id}",
        "invalid",
        call("PATCH", kc, json={"inhoud": INHOUD * 20, "reactie": None}, headers=IF_MATCH),
        (422,),
    ),
    Sample(
        "PATCH /api/v1/klantcontacten/{id}",
        "not-found",
        call("PATCH", lambda b: f"{K}/{new_id(b)}", json={"reactie": REACTIE}, headers=IF_MATCH),
        (404,),
    ),
    Sample(
        "PATCH /api/v1/klantcontacten/{id}",
        "upstream-down",
        call("PATCH", kc, json={"reactie": REACTIE}, headers=IF_MATCH),
        UPSTREAM_FAILED,
        ("klantinteracties",),
    ),
    Sample(
        "POST /api/v1/klantcontacten/{id}/actoren",
        "ok",
        call("POST", lambda b: kc(b) + "/actoren", json={}),
        (201,),
    ),
    Sample(
        "POST /api/v1/klantcontacten/{id}/actoren",
        "invalid",
        call("POST", lambda b: kc(b) + "/actoren", json={"actor": NAAM}),
        (422,),
    ),
    Sample(
        "POST /api/v1/klantcontacten/{id}/actoren",
        "not-found",
        call("POST", lambda b: f"{K}/{new_id(b)}/actoren", json={}),
        (404,),
    ),
    Sample("GET /api/v1/interne-taken", "ok", interne_taken, (200,)),
    Sample(
        "GET /api/v1/interne-taken",
        "invalid",
        call("GET", "/api/v1/interne-taken", params={"status": NAAM, "toegewezenAan": EMAIL}),
        (422,),
    ),
    Sample(
        "GET /api/v1/interne-taken",
        "upstream-down",
        interne_taken,
        UPSTREAM_FAILED,
        ("klantinteracties",),
    ),
    Sample("PATCH /api/v1/interne-taken/{id}", "ok", patch_taak, (200,)),
    Sample(
        "PATCH /api/v1/interne-taken/{id}",
        "invalid",
        call(
            "PATCH",
            lambda b: f"/api/v1/interne-taken/{open_taak(b)['uuid']}",
            json={"afgehandeldOp": "2026-01-01T00:00:00Z", "toegewezenAanActoren": [NAAM]},
            headers=IF_MATCH,
        ),
        (422,),
    ),
    Sample(
        "PATCH /api/v1/interne-taken/{id}",
        "not-found",
        call(
            "PATCH",
            lambda b: f"/api/v1/interne-taken/{new_id(b)}",
            json={"status": "verwerkt"},
            headers=IF_MATCH,
        ),
        (404,),
    ),
    Sample(
        "GET /api/v1/actoren",
        "ok",
        call("GET", "/api/v1/actoren", params={"naam": "burger"}),
        (200,),
    ),
    Sample(
        "GET /api/v1/actoren",
        "invalid",
        call("GET", "/api/v1/actoren", params={"naam": "x", "soortActor": NAAM}),
        (422,),
    ),
    Sample("POST /api/v1/klantcontacten", "ok", registreren, (201, 202)),
    Sample(
        "POST /api/v1/klantcontacten",
        "invalid",
        call(
            "POST",
            K,
            json={
                "klantcontact": {"inhoud": INHOUD * 20},
                "klant": {"bsn": BSN_INVALID},
                "digitaleAdressen": BAD_ADRES,
            },
        ),
        (422,),
    ),
    Sample(
        "POST /api/v1/klantcontacten", "upstream-down", registreren, (202,), ("klantinteracties",)
    ),
    Sample(
        "POST /api/v1/klantcontacten",
        "upstream-rejects",
        registreren,
        (502,),
        (Fault("klantinteracties", 400, "maak-klantcontact"),),
    ),
    Sample(
        "POST /api/v1/klantcontacten/{id}/vervolg",
        "ok",
        call(
            "POST",
            lambda b: kc(b) + "/vervolg",
            json={
                "digitaleAdressen": ADRES,
                "productaanvraag": {"productcode": "AFVALPAS", "omschrijving": INHOUD},
            },
        ),
        (201, 202),
    ),
    Sample(
        "POST /api/v1/klantcontacten/{id}/vervolg",
        "invalid",
        call("POST", lambda b: kc(b) + "/vervolg", json={"digitaleAdressen": BAD_ADRES}),
        (422,),
    ),
    Sample(
        "POST /api/v1/klantcontacten/{id}/vervolg",
        "not-found",
        call("POST", lambda b: f"{K}/{new_id(b)}/vervolg", json={"digitaleAdressen": ADRES}),
        (404,),
    ),
    Sample(
        "POST /api/v1/klantcontacten/{id}/vervolg",
        "upstream-down",
        call("POST", lambda b: kc(b) + "/vervolg", json={"digitaleAdressen": ADRES}),
        UPSTREAM_FAILED,
        ("klantinteracties",),
    ),
    Sample(
        "POST /api/v1/verificaties",
        "ok",
        call(
            "POST",
            "/api/v1/verificaties",
            json={
                "bsn": DEMO_BSN,
                "antwoorden": {"geboortedatum": "1985-12-01", "geboorteplaats": NAAM},
            },
        ),
        (200, 201),
    ),
    Sample(
        "POST /api/v1/verificaties",
        "invalid",
        call(
            "POST",
            "/api/v1/verificaties",
            json={"bsn": BSN_INVALID, "antwoorden": {"geboorteplaats": NAAM}},
        ),
        (422,),
    ),
    Sample(
        "POST /api/v1/verificaties",
        "upstream-down",
        call(
            "POST",
            "/api/v1/verificaties",
            json={
                "bsn": BSN_UNKNOWN,
                "antwoorden": {"geboortedatum": "1985-12-01", "geboorteplaats": NAAM},
            },
        ),
        UPSTREAM_FAILED,
        ("brp",),
    ),
    Sample("POST /api/v1/partijen", "ok", partij_registreren, (201, 202)),
    Sample(
        "POST /api/v1/partijen",
        "invalid",
        call(
            "POST",
            "/api/v1/partijen",
            json={
                "bsn": BSN_INVALID,
                "contactnaam": {"achternaam": GESLACHTSNAAM},
                "digitaleAdressen": BAD_ADRES,
            },
        ),
        (422,),
    ),
    Sample(
        "POST /api/v1/partijen/{id}/digitale-adressen",
        "ok",
        call("POST", partij("/digitale-adressen"), json={"digitaleAdressen": ADRES}),
        (201, 202),
    ),
    Sample(
        "POST /api/v1/partijen/{id}/digitale-adressen",
        "invalid",
        call("POST", partij("/digitale-adressen"), json={"digitaleAdressen": BAD_ADRES}),
        (422,),
    ),
    Sample(
        "POST /api/v1/partijen/{id}/digitale-adressen",
        "not-found",
        call(
            "POST",
            lambda b: f"/api/v1/partijen/{new_id(b)}/digitale-adressen",
            json={"digitaleAdressen": ADRES},
        ),
        (404,),
    ),
    Sample(
        "POST /api/v1/klantbeeld",
        "ok",
        call("POST", "/api/v1/klantbeeld", json={"bsn": DEMO_BSN}),
        (200,),
    ),
    Sample(
        "POST /api/v1/klantbeeld",
        "invalid",
        call("POST", "/api/v1/klantbeeld", json={"bsn": BSN_INVALID, "kvkNummer": EMAIL}),
        (422,),
    ),
    Sample(
        "POST /api/v1/klantbeeld",
        "not-found",
        call("POST", "/api/v1/klantbeeld", json={"bsn": BSN_UNKNOWN}),
        (404,),
    ),
    Sample(
        "POST /api/v1/klantbeeld",
        "all-down",
        call("POST", "/api/v1/klantbeeld", json={"bsn": DEMO_BSN}),
        (DOWN,),
        ("klantinteracties", "brp", "zaken"),
    ),
    Sample(
        "GET /api/v1/partijen/{id}/klantbeeld", "ok", call("GET", partij("/klantbeeld")), (200,)
    ),
    Sample(
        "GET /api/v1/partijen/{id}/klantbeeld",
        "invalid",
        call("GET", partij("/klantbeeld"), params={"pageSize": "0", "cursor": EMAIL}),
        (422,),
    ),
    Sample(
        "GET /api/v1/partijen/{id}/klantbeeld",
        "not-found",
        call("GET", lambda b: f"/api/v1/partijen/{new_id(b)}/klantbeeld"),
        (404,),
    ),
    Sample(
        "GET /api/v1/partijen/{id}/klantbeeld",
        "upstream-down",
        call("GET", partij("/klantbeeld")),
        UPSTREAM_FAILED,
        ("klantinteracties",),
    ),
)


def samples(case: str | None = None) -> list[Sample]:
    return [s for s in SAMPLES if case is None or s.case == case]


async def drive(bff: Bff, sample: Sample, headers: dict[str, str] | None = None) -> httpx.Response:
    """Build the sample's request, make its upstreams fail, send it (as Anna by default)."""
    built = await sample.build(bff)
    for fault in sample.faults:
        if isinstance(fault, str):
            bff.sandbox.faults.add(fault, status=503)
        else:
            bff.sandbox.faults.add(fault.upstream, status=fault.status, path=fault.path)
    return await bff.client.request(
        built.method,
        built.path,
        json=built.json,
        params=built.params,
        headers={**(headers or bff.auth()), **built.headers},
    )
