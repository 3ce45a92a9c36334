"""The requests of the security tests: values a medewerker types, and demo-data lookups.

`TYPED` are personal values the sample requests carry (a name, e-mail, phone number,
BSNs, message texts) that the demo data does not hold: like the demo data's values they
must never come back in an error nor reach a log line. The builders turn the demo
sandbox of a running BFF into concrete requests (`Call`); some read first (an ETag).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.helpers.harness import DEMO_BSN, Bff
from tests.helpers.personal_data import PersonalValue, PersonalValues

NAAM, GESLACHTSNAAM = "Wilhelmina Zwanenburg", "Zwanenburg"
EMAIL = "w.zwanenburg@voorbeeldmail.example"
TELEFOON = "0612398745"
BSN_UNKNOWN = "123456782"  # passes the 11-proef, known nowhere
BSN_INVALID = "123456789"  # fails the 11-proef
INHOUD = "Mevrouw vertelt over haar schuldsanering bij de Kredietbank"
REACTIE = "Afgesproken dat de wijkcoach mevrouw Zwanenburg donderdag belt"
TYPED = PersonalValues(
    PersonalValue(f"typed {kind}", value)
    for kind, value in (
        ("naam", NAAM),
        ("geslachtsnaam", GESLACHTSNAAM),
        ("e-mailadres", EMAIL),
        ("telefoonnummer", TELEFOON),
        ("bsn", BSN_UNKNOWN),
        ("bsn", BSN_INVALID),
        ("inhoud", INHOUD),
        ("reactie", REACTIE),
    )
)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    params: Mapping[str, str] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


# -- demo data ------------------------------------------------------------------------


def demo_partij(bff: Bff, bsn: str = DEMO_BSN) -> str:
    ki = bff.sandbox.klantinteracties
    return str(
        next(i["partij"] for i in ki.partij_identificatoren.values() if i["objectId"] == bsn)
    )


def klantcontacten_of(bff: Bff, partij: str) -> list[dict[str, Any]]:
    ki = bff.sandbox.klantinteracties
    uuids = {b["hadKlantcontact"] for b in ki.betrokkenen.values() if b["wasPartij"] == partij}
    return [k for k in ki.klantcontacten.values() if k["uuid"] in uuids]


def demo_klantcontact(bff: Bff) -> dict[str, Any]:
    return next(k for k in klantcontacten_of(bff, demo_partij(bff)) if not k["vertrouwelijk"])


def demo_zaak(bff: Bff) -> str:
    """A zaak that klantcontacten of the demo data are about."""
    return str(
        next(
            o["onderwerpobjectidentificator"]["objectId"]
            for o in bff.sandbox.klantinteracties.onderwerpobjecten.values()
            if o["onderwerpobjectidentificator"]["codeObjecttype"] == "zaak"
        )
    )


def zaak_klantcontacten(bff: Bff) -> str:
    return f"/api/v1/zaken/{demo_zaak(bff)}/klantcontacten"


def open_taak(bff: Bff) -> dict[str, Any]:
    ki = bff.sandbox.klantinteracties
    return next(t for t in ki.internetaken.values() if t["status"] == "te_verwerken")


def afdeling(bff: Bff, naam: str = "Burgerzaken") -> str:
    return str(
        next(a["uuid"] for a in bff.sandbox.klantinteracties.actoren.values() if a["naam"] == naam)
    )


def brp_only_bsn(bff: Bff) -> str:
    known = {i["objectId"] for i in bff.sandbox.klantinteracties.partij_identificatoren.values()}
    return next(b for b in bff.sandbox.brp.personen if b not in known)


def registratie(bff: Bff) -> dict[str, Any]:
    return {
        "klantcontact": {
            "kanaal": "telefoon",
            "onderwerp": "Schuldhulp",
            "inhoud": INHOUD,
            "reactie": REACTIE,
            "taal": "nld",
            "indicatieContactGelukt": True,
        },
        "klant": {"partijId": demo_partij(bff)},
        "digitaleAdressen": [
            {"soortDigitaalAdres": "email", "adres": EMAIL, "gebruik": "algemeen"}
        ],
        "interneTaak": {
            "actor": afdeling(bff),
            "gevraagdeHandeling": "Klant terugbellen",
            "toelichting": f"{NAAM} vraagt om terugbellen op {TELEFOON}.",
        },
    }


async def klantcontact_etag(bff: Bff, kc: str) -> str:
    r = await bff.client.get(f"/api/v1/klantcontacten/{kc}", headers=bff.auth())
    assert r.status_code == 200, r.text
    return r.headers["ETag"]


async def taak_etag(bff: Bff, taak: dict[str, Any]) -> str:
    params = {"toegewezenAan": taak["toegewezenAanActoren"][0], "pageSize": "100"}
    r = await bff.client.get("/api/v1/interne-taken", params=params, headers=bff.auth())
    assert r.status_code == 200, r.text
    return str(next(t["etag"] for t in r.json()["items"] if t["uuid"] == taak["uuid"]))


# -- builders ---------------------------------------------------------------------------


def call(
    method: str, path: str | Callable[[Bff], str], **kwargs: Any
) -> Callable[[Bff], Awaitable[Call]]:
    """A builder for a request whose path (and nothing else) may depend on the demo data."""

    async def build(bff: Bff) -> Call:
        return Call(method, path(bff) if callable(path) else path, **kwargs)

    return build


def new_id(_: Bff) -> str:
    return str(uuid.uuid4())


async def registratie_status(bff: Bff) -> Call:
    r = await bff.client.post("/api/v1/klantcontacten", json=registratie(bff), headers=bff.auth())
    assert r.status_code in (201, 202), r.text
    return Call("GET", f"/api/v1/registraties/{r.json()['registratieId']}")


async def patch_klantcontact(bff: Bff) -> Call:
    kc = demo_klantcontact(bff)["uuid"]
    etag = await klantcontact_etag(bff, kc)
    return Call(
        "PATCH", f"/api/v1/klantcontacten/{kc}", {"reactie": REACTIE}, headers={"If-Match": etag}
    )


async def patch_taak(bff: Bff) -> Call:
    taak = open_taak(bff)
    etag = await taak_etag(bff, taak)
    return Call(
        "PATCH",
        f"/api/v1/interne-taken/{taak['uuid']}",
        {"status": "verwerkt"},
        headers={"If-Match": etag},
    )


def kc(bff: Bff) -> str:
    return f"/api/v1/klantcontacten/{demo_klantcontact(bff)['uuid']}"


def partij(suffix: str) -> Callable[[Bff], str]:
    return lambda bff: f"/api/v1/partijen/{demo_partij(bff)}{suffix}"


def registreren(bff: Bff) -> Awaitable[Call]:
    return call("POST", "/api/v1/klantcontacten", json=registratie(bff))(bff)


def partij_registreren(bff: Bff) -> Awaitable[Call]:
    body = {
        "bsn": brp_only_bsn(bff),
        "digitaleAdressen": [{"soortDigitaalAdres": "email", "adres": EMAIL}],
    }
    return call("POST", "/api/v1/partijen", json=body)(bff)


def interne_taken(bff: Bff) -> Awaitable[Call]:
    actor = open_taak(bff)["toegewezenAanActoren"][0]
    return call("GET", "/api/v1/interne-taken", params={"toegewezenAan": actor})(bff)


def referentienummer(bff: Bff) -> Awaitable[Call]:
    nummer = demo_klantcontact(bff)["referentienummer"]
    return call("GET", "/api/v1/klantcontacten", params={"referentienummer": nummer})(bff)
