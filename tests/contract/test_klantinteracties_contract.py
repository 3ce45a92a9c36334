"""The sandbox Klantinteracties API against the official Open Klant 2.18 spec (API 0.9.0).

Every operation the sandbox serves is called with a realistic body; the request body (for
creates) and the response body are validated against the schemas of that operation in
`../shared/specs/klantinteracties-openapi.yaml`, expand responses included.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.klantinteracties import KlantinteractiesStore, create_app
from tests.contract.oas import (
    SKIP_REASON,
    load_spec,
    specs_available,
    validate_request,
    validate_response,
)
from tests.sandbox.conftest import KI_BASE, KI_TOKEN, bsn_identificator

pytestmark = pytest.mark.skipif(not specs_available(), reason=SKIP_REASON)
SPEC = load_spec("klantinteracties-openapi.yaml") if specs_available() else {}
ZAAK = {
    "objectId": "4b4d8e21-7f4a-4f0c-9a5f-2f2b1d1f0e11",
    "codeObjecttype": "zaak",
    "codeRegister": "open-zaak",
    "codeSoortObjectId": "uuid",
}


def response_matches(path: str, method: str, status: int, body: Any) -> None:
    # Open Klant answers "" for unset optional text, also where the spec has a pattern.
    validate_response(SPEC, path, method, status, body, allow_blank=True)


def request_matches(path: str, method: str, body: Any) -> None:
    validate_request(SPEC, path, method, body)


ADRES = {"adresregel1": "Hoofdstraat 1", "adresregel2": "1234 AB Ergens", "land": "NL"}


@dataclass
class World:
    """One of everything, made through the API; `made` maps a resource path to its record."""

    client: httpx.AsyncClient
    made: dict[str, dict[str, Any]]

    async def create(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request_matches(path, "post", body)
        response = await self.client.post(path, json=body)
        assert response.status_code == 201, response.text
        response_matches(path, "post", 201, response.json())
        record: dict[str, Any] = response.json()
        self.made.setdefault(path, record)
        return record


@pytest.fixture
async def world() -> AsyncIterator[World]:
    app = Starlette(
        routes=[
            Mount(
                "/klantinteracties/api/v1",
                app=create_app(KlantinteractiesStore(seed=7), SandboxCredentials()),
            )
        ]
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=KI_BASE, headers=KI_TOKEN) as client:
        w = World(client, {})
        await _populate(w)
        yield w


async def _populate(w: World) -> None:
    adres = await w.create(
        "/digitaleadressen",
        {"adres": "jan@example.nl", "soortDigitaalAdres": "email", "verstrektDoorPartij": None},
    )
    partij = await w.create(
        "/partijen",
        {
            "soortPartij": "persoon",
            "indicatieActief": True,
            "indicatieGeheimhouding": False,
            "voorkeurstaal": "nld",
            "bezoekadres": ADRES,
            "correspondentieadres": {**ADRES, "huisnummer": 1, "postcode": "1234 AB"},
            "digitaleAdressen": [{"uuid": adres["uuid"]}],
            "voorkeursDigitaalAdres": {"uuid": adres["uuid"]},
            "partijIdentificatoren": [bsn_identificator()],
            "partijIdentificatie": {"contactnaam": {"voornaam": "Jan", "achternaam": "Jansen"}},
        },
    )
    organisatie = await w.create(
        "/partijen",
        {
            "soortPartij": "organisatie",
            "indicatieActief": True,
            "partijIdentificatie": {"naam": "Bakkerij"},
        },
    )
    await w.create(
        "/partijen",
        {
            "soortPartij": "contactpersoon",
            "indicatieActief": True,
            "partijIdentificatie": {
                "werkteVoorPartij": {"uuid": organisatie["uuid"]},
                "contactnaam": {"voornaam": "Els", "achternaam": "Vries"},
            },
        },
    )
    await w.create(
        "/partij-identificatoren",
        {
            "identificeerdePartij": {"uuid": organisatie["uuid"]},
            "partijIdentificator": {
                "codeObjecttype": "niet_natuurlijk_persoon",
                "codeSoortObjectId": "kvk_nummer",
                "objectId": "69599084",
                "codeRegister": "hr",
            },
        },
    )
    actor = await w.create(
        "/actoren",
        {
            "naam": "Mira",
            "soortActor": "medewerker",
            "actoridentificator": {
                "objectId": "mira",
                "codeObjecttype": "mdw",
                "codeRegister": "msei",
                "codeSoortObjectId": "email",
            },
            "actorIdentificatie": {
                "functie": "KCC",
                "telefoonnummer": "0201234567",
                "emailadres": "mira@example.nl",
            },
        },
    )
    await w.create(
        "/actoren",
        {
            "naam": "Team",
            "soortActor": "organisatorische_eenheid",
            "actorIdentificatie": {"omschrijving": "Afval"},
        },
    )
    await w.create(
        "/actoren",
        {
            "naam": "Bot",
            "soortActor": "geautomatiseerde_actor",
            "actorIdentificatie": {"functie": "Chat"},
        },
    )
    maak_body = {
        "klantcontact": {
            "kanaal": "telefoon",
            "onderwerp": "Afval",
            "inhoud": "Container niet geleegd",
            "taal": "nld",
            "vertrouwelijk": False,
            "indicatieContactGelukt": True,
            "referentienummer": "1234567",
            "metadata": {"bron": "kcc"},
        },
        "betrokkene": {
            "wasPartij": {"uuid": partij["uuid"]},
            "rol": "klant",
            "initiator": True,
            "contactnaam": {"voornaam": "Jan", "achternaam": "Jansen"},
        },
        "onderwerpobject": {"onderwerpobjectidentificator": ZAAK},
    }
    request_matches("/maak-klantcontact", "post", maak_body)
    response = await w.client.post("/maak-klantcontact", json=maak_body)
    assert response.status_code == 201, response.text
    w.made["/maak-klantcontact"] = response.json()
    klantcontact = response.json()["klantcontact"]
    kc = {"uuid": klantcontact["uuid"]}
    await w.create(
        "/betrokkenen",
        {
            "hadKlantcontact": kc,
            "wasPartij": None,
            "rol": "vertegenwoordiger",
            "initiator": False,
            "organisatienaam": "Buren",
        },
    )
    betrokkene = response.json()["betrokkene"]
    await w.create(
        "/digitaleadressen",
        {
            "adres": "0612345678",
            "soortDigitaalAdres": "telefoonnummer",
            "verstrektDoorBetrokkene": {"uuid": betrokkene["uuid"]},
            "verstrektDoorPartij": None,
        },
    )
    await w.create("/actorklantcontacten", {"actor": {"uuid": actor["uuid"]}, "klantcontact": kc})
    await w.create(
        "/internetaken",
        {
            "aanleidinggevendKlantcontact": kc,
            "gevraagdeHandeling": "Terugbellen",
            "status": "te_verwerken",
            "toegewezenAanActoren": [{"uuid": actor["uuid"]}],
            "toelichting": "Graag vandaag",
        },
    )
    await w.create("/onderwerpobjecten", {"klantcontact": kc, "onderwerpobjectidentificator": ZAAK})
    await w.create(
        "/bijlagen",
        {
            "wasBijlageVanKlantcontact": kc,
            "bijlageidentificator": {**ZAAK, "codeObjecttype": "productaanvraag"},
        },
    )
    await w.create(
        "/klantcontacten",
        {
            "kanaal": "e-mail",
            "onderwerp": "Paspoort",
            "taal": "nld",
            "vertrouwelijk": True,
            "plaatsgevondenOp": "2024-01-01T10:00:00Z",
        },
    )


COLLECTIONS = (
    "/partijen",
    "/partij-identificatoren",
    "/digitaleadressen",
    "/klantcontacten",
    "/betrokkenen",
    "/onderwerpobjecten",
    "/bijlagen",
    "/actoren",
    "/actorklantcontacten",
    "/internetaken",
)
EXPANDS = {
    "/klantcontacten": "hadBetrokkenen,hadBetrokkenen.wasPartij,hadBetrokkenen.digitaleAdressen,"
    "leiddeTotInterneTaken,gingOverOnderwerpobjecten,omvatteBijlagen",
    "/partijen": "betrokkenen,betrokkenen.hadKlantcontact,digitaleAdressen,categorieRelaties",
    "/betrokkenen": "digitaleAdressen",
    "/digitaleadressen": "verstrektDoorBetrokkene",
}


@pytest.mark.parametrize("path", COLLECTIONS)
async def test_list_and_detail_match_the_spec(world: World, path: str) -> None:
    listed = await world.client.get(path)
    detail = await world.client.get(f"{path}/{listed.json()['results'][0]['uuid']}")

    response_matches(path, "get", 200, listed.json())
    response_matches(f"{path}/{{uuid}}", "get", 200, detail.json())
    assert listed.json()["count"] >= 1


@pytest.mark.parametrize("path", sorted(EXPANDS))
async def test_expanded_list_and_detail_match_the_spec(world: World, path: str) -> None:
    params = {"expand": EXPANDS[path]}
    listed = await world.client.get(path, params=params)
    detail = await world.client.get(f"{path}/{world.made[path]['uuid']}", params=params)

    response_matches(path, "get", 200, listed.json())
    response_matches(f"{path}/{{uuid}}", "get", 200, detail.json())
    assert all("_expand" in record for record in listed.json()["results"])
    assert detail.json()["_expand"]


async def test_maak_klantcontact_matches_the_spec(world: World) -> None:
    response_matches("/maak-klantcontact", "post", 201, world.made["/maak-klantcontact"])


PATCHES: dict[str, dict[str, Any]] = {
    "/partijen": {"indicatieActief": False, "bezoekadres": {"land": "BE"}},
    "/partij-identificatoren": {"anderePartijIdentificator": "oud nummer"},
    "/digitaleadressen": {"omschrijving": "werk", "isStandaardAdres": True},
    "/klantcontacten": {"reactie": "Opgelost", "indicatieContactGelukt": False},
    "/betrokkenen": {"organisatienaam": "Buren BV"},
    "/onderwerpobjecten": {"wasKlantcontact": None},
    "/bijlagen": {"bijlageidentificator": {"objectId": "ander"}},
    "/actoren": {"indicatieActief": False},
    "/actorklantcontacten": {},
    "/internetaken": {"status": "verwerkt"},
}


@pytest.mark.parametrize("path", COLLECTIONS)
async def test_patch_and_put_responses_match_the_spec(world: World, path: str) -> None:
    record = world.made[path]
    detail_path = f"{path}/{{uuid}}"

    patched = await world.client.patch(f"{path}/{record['uuid']}", json=PATCHES[path])
    put = await world.client.put(f"{path}/{record['uuid']}", json=_writable(patched.json()))

    assert patched.status_code == 200, patched.text
    response_matches(detail_path, "patch", 200, patched.json())
    assert put.status_code == 200, put.text
    response_matches(detail_path, "put", 200, put.json())


def _writable(body: dict[str, Any]) -> dict[str, Any]:
    """A response body turned into a PUT body: references kept as {uuid}, derived lists dropped."""
    derived = {
        "url",
        "uuid",
        "betrokkenen",
        "categorieRelaties",
        "vertegenwoordigden",
        "digitaleAdressen",
    }
    derived |= {
        "hadBetrokkenen",
        "hadBetrokkenActoren",
        "leiddeTotInterneTaken",
        "toegewezenAanActor",
    }
    derived |= {"gingOverOnderwerpobjecten", "omvatteBijlagen", "toegewezenOp", "rekeningnummers"}
    return {key: value for key, value in body.items() if key not in derived}


async def test_delete_answers_204_without_body(world: World) -> None:
    response = await world.client.delete(f"/klantcontacten/{world.made['/klantcontacten']['uuid']}")

    assert response.status_code == 204
    assert response.content == b""
    assert "204" in SPEC["paths"]["/klantcontacten/{uuid}"]["delete"]["responses"]
