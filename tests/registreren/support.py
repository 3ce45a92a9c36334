"""Shared by the registering tests: demo ids, request bodies, polling, what the sandbox holds."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from bff.sandbox.app import Sandbox
from tests.helpers.harness import DEMO_BSN, Bff

POLLS = 400  # a bound, not a timing assertion: the runner retries every few milliseconds here
POLL_PAUSE_S = 0.02
ZAAK = "3f0e8a52-3d9c-4c47-9b6a-0f5b2c1d4e6f"
KI_TABLES = (
    "partijen",
    "partij_identificatoren",
    "digitaleadressen",
    "klantcontacten",
    "betrokkenen",
    "onderwerpobjecten",
    "bijlagen",
    "actoren",
    "actorklantcontacten",
    "internetaken",
)
"""Every Klantinteracties table a registration may write to."""


def zaak_of(sandbox: Sandbox) -> str:
    """A zaak the sandbox Zaken API knows (a registration's zaak is checked first)."""
    return next(iter(sandbox.zaken.zaken))


def partij_of(sandbox: Sandbox, bsn: str = DEMO_BSN) -> str:
    ki = sandbox.klantinteracties
    return next(i["partij"] for i in ki.partij_identificatoren.values() if i["objectId"] == bsn)


def afdeling(sandbox: Sandbox, naam: str = "Burgerzaken") -> str:
    return next(a["uuid"] for a in sandbox.klantinteracties.actoren.values() if a["naam"] == naam)


def brp_only_bsn(sandbox: Sandbox) -> str:
    """A person the BRP knows who has no partij in Klantinteracties (yet)."""
    known = {i["objectId"] for i in sandbox.klantinteracties.partij_identificatoren.values()}
    return next(b for b in sandbox.brp.personen if b not in known)


def registratie(sandbox: Sandbox, **parts: Any) -> dict[str, Any]:
    """A full registration for the demo person: interne taak and a contact detail."""
    body: dict[str, Any] = {
        "klantcontact": {
            "kanaal": "telefoon",
            "onderwerp": "Afvalpas",
            "inhoud": "Afvalpas kwijt, wil een nieuwe.",
            "reactie": "Nieuwe pas aangevraagd.",
            "taal": "nld",
            "indicatieContactGelukt": True,
        },
        "klant": {"partijId": partij_of(sandbox)},
        "digitaleAdressen": [
            {
                "soortDigitaalAdres": "email",
                "adres": "nieuw.adres@example.nl",
                "gebruik": "algemeen",
            }
        ],
        "interneTaak": {
            "actor": afdeling(sandbox),
            "gevraagdeHandeling": "Klant terugbellen",
            "toelichting": "Vraagt naar de levertijd.",
        },
    }
    body.update(parts)
    return body


async def finished(bff: Bff, registratie_id: str) -> dict[str, Any]:
    """Poll the registration's status until it is completed or failed (bounded)."""
    for _ in range(POLLS):
        r = await bff.client.get(f"/api/v1/registraties/{registratie_id}", headers=bff.auth())
        assert r.status_code == 200, r.text
        if r.json()["status"] in ("completed", "failed"):
            return dict(r.json())
        await asyncio.sleep(POLL_PAUSE_S)
    raise AssertionError(f"registration {registratie_id} did not finish: {r.json()}")


@dataclass
class Parts:
    """Everything the sandbox holds for the klantcontact(en) with one referentienummer."""

    klantcontacten: list[dict[str, Any]]
    betrokkenen: list[dict[str, Any]]
    onderwerpobjecten: list[dict[str, Any]]
    actorklantcontacten: list[dict[str, Any]]
    internetaken: list[dict[str, Any]]
    bijlagen: list[dict[str, Any]]
    adressen_betrokkene: list[dict[str, Any]]

    @property
    def klantcontact(self) -> dict[str, Any]:
        assert len(self.klantcontacten) == 1, self.klantcontacten
        return self.klantcontacten[0]


def parts(sandbox: Sandbox, referentienummer: str) -> Parts:
    ki = sandbox.klantinteracties
    found = [k for k in ki.klantcontacten.values() if k["referentienummer"] == referentienummer]
    uuids = {k["uuid"] for k in found}
    betrokkenen = [b for b in ki.betrokkenen.values() if b["hadKlantcontact"] in uuids]
    b_uuids = {b["uuid"] for b in betrokkenen}
    return Parts(
        klantcontacten=found,
        betrokkenen=betrokkenen,
        onderwerpobjecten=[o for o in ki.onderwerpobjecten.values() if o["klantcontact"] in uuids],
        actorklantcontacten=[
            a for a in ki.actorklantcontacten.values() if a["klantcontact"] in uuids
        ],
        internetaken=[
            t for t in ki.internetaken.values() if t["aanleidinggevendKlantcontact"] in uuids
        ],
        bijlagen=[b for b in ki.bijlagen.values() if b["wasBijlageVanKlantcontact"] in uuids],
        adressen_betrokkene=[
            a for a in ki.digitaleadressen.values() if a["verstrektDoorBetrokkene"] in b_uuids
        ],
    )


def adressen_of(sandbox: Sandbox, partij: str, adres: str) -> list[dict[str, Any]]:
    ki = sandbox.klantinteracties
    return [
        a
        for a in ki.digitaleadressen.values()
        if a["verstrektDoorPartij"] == partij and a["adres"].lower() == adres.lower()
    ]


def assert_complete(
    sandbox: Sandbox,
    referentienummer: str,
    *,
    medewerker: str,
    adres: str = "nieuw.adres@example.nl",
) -> Parts:
    """Exactly one klantcontact, with one betrokkene, one actor link (to the medewerker's
    actor), one interne taak, and the partij's new digitaal adres once: the full
    registration of `registratie()`, once."""
    found = parts(sandbox, referentienummer)
    kc = found.klantcontact
    assert len(found.betrokkenen) == 1
    assert len(adressen_of(sandbox, found.betrokkenen[0]["wasPartij"], adres)) == 1
    assert len(found.actorklantcontacten) == 1
    actor = sandbox.klantinteracties.actoren[found.actorklantcontacten[0]["actor"]]
    assert actor["actoridentificator"]["objectId"] == medewerker
    assert len(found.internetaken) == 1
    assert kc["uuid"] == found.internetaken[0]["aanleidinggevendKlantcontact"]
    return found
