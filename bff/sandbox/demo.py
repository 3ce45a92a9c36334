"""Demo data for the sandbox, and the settings that point a BFF at it.

Deterministic: the same persons, partijen, klantcontacten and ids on every start. The
persons are the sandbox's BRP test persons (derived from the public BRP test set); most
get a partij in Klantinteracties with digitale adressen, a few stay known only to BRP so
that "caller not yet registered" can be shown. Klantinteracties data is written through
the sandbox's own HTTP API, so the demo data obeys every rule the sandbox enforces.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bff.sandbox.app import BASE_PATHS, Sandbox
from bff.sandbox.demo_content import (
    AFDELINGEN,
    GEAUTOMATISEERDE_ACTOREN,
    GEVRAAGDE_HANDELINGEN,
    KANALEN,
    MEDEWERKERS,
    ONDERWERPEN,
    ORGANISATIES,
    REACTIES,
)
from bff.sandbox.issuer import demo_auth_settings
from bff.settings import Settings, load_settings

DEMO_SEED = 2026
DEMO_BSN = "999993653"
BRP_ONLY = 6  # persons at the end of the list without a partij: "not yet registered"
KLANTCONTACTEN = 130
DEMO_PERSON_KLANTCONTACTEN = 20
NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
DEMO_KCC_TELEFOONNUMMER = "0201234500"
DEMO_PSEUDONYMISATION_KEY = "demo-only-pseudonymisation-key-not-for-production"
Json = dict[str, Any]


class _Writer:
    """Posts to the sandbox Klantinteracties API and fails loudly on any refusal."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def post(self, path: str, body: Json) -> Json:
        response = await self.client.post(path, json=body)
        if response.status_code >= 300:
            raise RuntimeError(f"demo data refused at {path}: {response.text}")
        result: Json = response.json()
        return result


def _postcode(raw: str) -> str:
    return f"{raw[:4]} {raw[4:]}" if len(raw) == 6 else raw


def _contactnaam(persoon: Json) -> Json:
    naam = persoon.get("naam", {})
    voornamen = str(naam.get("voornamen", ""))
    return {
        "voorletters": str(naam.get("voorletters", ""))[:10],
        "voornaam": voornamen.split(" ")[0] if voornamen else "",
        "voorvoegselAchternaam": str(naam.get("voorvoegsel", ""))[:10],
        "achternaam": str(naam.get("geslachtsnaam", "")),
    }


def _bezoekadres(persoon: Json) -> Json:
    adres = persoon.get("verblijfplaats", {}).get("verblijfadres", {})
    if not adres.get("postcode"):
        return {}
    return {
        "straatnaam": adres.get("officieleStraatnaam", ""),
        "huisnummer": adres.get("huisnummer"),
        "huisnummertoevoeging": str(adres.get("huisnummertoevoeging", adres.get("huisletter", ""))),
        "postcode": _postcode(str(adres["postcode"])),
        "stad": adres.get("woonplaats", ""),
        "land": "NL",
    }


def _email(contactnaam: Json, n: int) -> str:
    local = f"{contactnaam['voornaam']}.{contactnaam['achternaam']}".lower()
    local = "".join(c for c in local if c.isalnum() or c == ".") or f"inwoner{n}"
    return f"{local[:40]}@mail.example"


async def _partij_persoon(w: _Writer, persoon: Json, n: int, rng: random.Random) -> Json:
    contactnaam = _contactnaam(persoon)
    geheim = bool(persoon.get("geheimhoudingPersoonsgegevens"))
    body: Json = {
        "soortPartij": "persoon",
        "indicatieActief": "overlijden" not in persoon,
        "indicatieGeheimhouding": geheim,
        "voorkeurstaal": "nld" if n % 7 else "eng",
        "partijIdentificatie": {"contactnaam": contactnaam},
        "partijIdentificatoren": [
            {
                "partijIdentificator": {
                    "codeObjecttype": "natuurlijk_persoon",
                    "codeSoortObjectId": "bsn",
                    "objectId": persoon["burgerservicenummer"],
                    "codeRegister": "brp",
                }
            }
        ],
    }
    adres = _bezoekadres(persoon)
    if adres:
        body["bezoekadres"] = adres
        if n % 5 == 0:
            body["correspondentieadres"] = adres
    partij = await w.post("partijen", body)
    ref = {"uuid": partij["uuid"]}
    email = _email(contactnaam, n)
    adressen = [("email", email, "privé", True)]
    if n % 3 != 2:
        adressen.append(("telefoonnummer", f"06{rng.randrange(10**7, 10**8)}", "mobiel", True))
    if n % 4 == 0:
        adressen.append(("email", email, "opgegeven bij balie", False))  # a duplicate to fold
    if n % 6 == 1:
        vast = f"0{rng.randrange(10**8, 10**9)}"
        if vast.startswith(("0800", "0900")):  # service numbers: Open Klant refuses them
            vast = f"01{vast[2:]}"
        adressen.append(("telefoonnummer", vast, "werk", False))
    made = []
    for soort, adres_text, omschrijving, standaard in adressen:
        made.append(
            await w.post(
                "digitaleadressen",
                {
                    "verstrektDoorPartij": ref,
                    "verstrektDoorBetrokkene": None,
                    "soortDigitaalAdres": soort,
                    "adres": adres_text,
                    "omschrijving": omschrijving,
                    "isStandaardAdres": standaard,
                },
            )
        )
    if n % 2 == 0:
        await w.client.patch(
            f"partijen/{partij['uuid']}", json={"voorkeursDigitaalAdres": {"uuid": made[0]["uuid"]}}
        )
    return partij


async def _partij_organisatie(w: _Writer, naam: str, kvk: str) -> Json:
    return await w.post(
        "partijen",
        {
            "soortPartij": "organisatie",
            "indicatieActief": True,
            "voorkeurstaal": "nld",
            "partijIdentificatie": {"naam": naam},
            "partijIdentificatoren": [
                {
                    "partijIdentificator": {
                        "codeObjecttype": "niet_natuurlijk_persoon",
                        "codeSoortObjectId": "kvk_nummer",
                        "objectId": kvk,
                        "codeRegister": "hr",
                    }
                }
            ],
        },
    )


async def _actoren(w: _Writer) -> tuple[list[Json], list[Json], list[Json]]:
    medewerkers = []
    for naam, email, functie, telefoon in MEDEWERKERS:
        medewerkers.append(
            await w.post(
                "actoren",
                {
                    "naam": naam,
                    "soortActor": "medewerker",
                    "indicatieActief": True,
                    "actoridentificator": {
                        "objectId": email,
                        "codeObjecttype": "mdw",
                        "codeRegister": "msei",
                        "codeSoortObjectId": "email",
                    },
                    "actorIdentificatie": {
                        "functie": functie,
                        "emailadres": email,
                        "telefoonnummer": telefoon,
                    },
                },
            )
        )
    afdelingen = []
    for naam, omschrijving, email, telefoon in AFDELINGEN:
        afdelingen.append(
            await w.post(
                "actoren",
                {
                    "naam": naam,
                    "soortActor": "organisatorische_eenheid",
                    "indicatieActief": True,
                    "actoridentificator": {
                        "objectId": naam.lower(),
                        "codeObjecttype": "afd",
                        "codeRegister": "obi",
                        "codeSoortObjectId": "naam",
                    },
                    "actorIdentificatie": {
                        "omschrijving": omschrijving,
                        "emailadres": email,
                        "telefoonnummer": telefoon,
                    },
                },
            )
        )
    systemen = []
    for naam, functie, omschrijving in GEAUTOMATISEERDE_ACTOREN:
        systemen.append(
            await w.post(
                "actoren",
                {
                    "naam": naam,
                    "soortActor": "geautomatiseerde_actor",
                    "indicatieActief": True,
                    "actorIdentificatie": {"functie": functie, "omschrijving": omschrijving},
                },
            )
        )
    return medewerkers, afdelingen, systemen


def _zaken_by_bsn(sandbox: Sandbox) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for rol in sandbox.zaken.rollen.values():
        bsn = (rol.get("betrokkeneIdentificatie") or {}).get("inpBsn")
        if bsn:
            found.setdefault(bsn, []).append(str(rol["zaak"]).rstrip("/").rsplit("/", 1)[-1])
    return found


def _callers(partijen: Sequence[tuple[Json, Json | None]], rng: random.Random) -> list[int]:
    """Which partij each klantcontact is with: the demo person gets a fixed share."""
    demo = next(i for i, (_, p) in enumerate(partijen) if p and p.get("bsn") == DEMO_BSN)
    order = [demo] * DEMO_PERSON_KLANTCONTACTEN
    others = [i for i in range(len(partijen)) if i != demo]
    order += [rng.choice(others) for _ in range(KLANTCONTACTEN - DEMO_PERSON_KLANTCONTACTEN)]
    rng.shuffle(order)
    return order


async def _klantcontacten(
    w: _Writer,
    sandbox: Sandbox,
    partijen: list[tuple[Json, Json | None]],
    actoren: tuple[list[Json], list[Json], list[Json]],
    rng: random.Random,
) -> None:
    medewerkers, afdelingen, systemen = actoren
    zaken = _zaken_by_bsn(sandbox)
    producten = list(sandbox.objecten.objects)
    for n, index in enumerate(_callers(partijen, rng)):
        partij, persoon = partijen[index]
        when = NOW - timedelta(days=rng.randrange(1, 4 * 365), minutes=rng.randrange(0, 600))
        kanaal = rng.choice(KANALEN)
        onderwerp, inhoud = rng.choice(ONDERWERPEN)
        gelukt = rng.random() > 0.1
        body: Json = {
            "klantcontact": {
                "referentienummer": f"9{n + 1:09d}",
                "kanaal": kanaal,
                "onderwerp": onderwerp,
                "inhoud": inhoud,
                "reactie": rng.choice(REACTIES) if gelukt else "",
                "indicatieContactGelukt": gelukt,
                "verdereActieOndernomen": not gelukt,
                "taal": "nld" if rng.random() > 0.08 else "eng",
                "vertrouwelijk": rng.random() < 0.12,
                "plaatsgevondenOp": when.isoformat().replace("+00:00", "Z"),
            },
            "betrokkene": {
                "wasPartij": {"uuid": partij["uuid"]},
                "rol": "klant",
                "initiator": kanaal != "brief",
                "contactnaam": persoon["contactnaam"] if persoon else None,
                "organisatienaam": "" if persoon else partij.get("naam", ""),
            },
        }
        bsn = persoon["bsn"] if persoon else None
        if bsn and zaken.get(bsn) and rng.random() < 0.5:
            body["onderwerpobject"] = {
                "onderwerpobjectidentificator": {
                    "objectId": rng.choice(zaken[bsn]),
                    "codeObjecttype": "zaak",
                    "codeRegister": "open-zaak",
                    "codeSoortObjectId": "uuid",
                }
            }
        made = await w.post("maak-klantcontact", body)
        kc = {"uuid": made["klantcontact"]["uuid"]}
        actor = rng.choice(systemen if kanaal == "webformulier" else medewerkers)
        await w.post("actorklantcontacten", {"actor": {"uuid": actor["uuid"]}, "klantcontact": kc})
        if bsn == DEMO_BSN and producten and n % 5 == 0:
            await w.post(
                "bijlagen",
                {
                    "wasBijlageVanKlantcontact": kc,
                    "bijlageidentificator": {
                        "objectId": producten[n % len(producten)],
                        "codeObjecttype": "productaanvraag",
                        "codeRegister": "objecten",
                        "codeSoortObjectId": "uuid",
                    },
                },
            )
        if not gelukt or rng.random() < 0.25:
            toegewezen = rng.choice(afdelingen) if rng.random() < 0.5 else rng.choice(medewerkers)
            verwerkt = when < NOW - timedelta(days=30) and rng.random() < 0.7
            taak: Json = {
                "aanleidinggevendKlantcontact": kc,
                "gevraagdeHandeling": rng.choice(GEVRAAGDE_HANDELINGEN),
                "toelichting": f"Klant vraagt om terugbellen over: {onderwerp.lower()}.",
                "status": "verwerkt" if verwerkt else "te_verwerken",
                "toegewezenAanActoren": [{"uuid": toegewezen["uuid"]}],
            }
            await w.post("internetaken", taak)


async def seed_demo(sandbox: Sandbox) -> None:
    """Fill every store of `sandbox` with the demo data (idempotent per sandbox)."""
    if sandbox.klantinteracties.partijen:
        return
    sandbox.zaken.seed_demo()
    sandbox.objecten.seed_demo()
    sandbox.referentielijsten.seed_demo()
    rng = random.Random(DEMO_SEED)  # noqa: S311  # demo data, not secrets
    token = sandbox.credentials.klantinteracties_token
    transport = httpx.ASGITransport(app=sandbox.asgi())
    async with httpx.AsyncClient(
        transport=transport,
        base_url=f"http://sandbox{BASE_PATHS['klantinteracties']}/",
        headers={"Authorization": f"Token {token}"},
    ) as client:
        w = _Writer(client)
        personen = list(sandbox.brp.personen.values())
        registered = [p for p in personen if p["burgerservicenummer"] != DEMO_BSN][:-BRP_ONLY]
        registered.insert(0, sandbox.brp.personen[DEMO_BSN])
        partijen: list[tuple[Json, Json | None]] = []
        for n, persoon in enumerate(registered):
            partij = await _partij_persoon(w, persoon, n, rng)
            info = {"bsn": persoon["burgerservicenummer"], "contactnaam": _contactnaam(persoon)}
            partijen.append((partij, info))
        for naam, kvk in ORGANISATIES:
            organisatie = await _partij_organisatie(w, naam, kvk)
            partijen.append(({**organisatie, "naam": naam}, None))
        actoren = await _actoren(w)
        await _klantcontacten(w, sandbox, partijen, actoren, rng)


def build_demo_sandbox() -> Sandbox:
    """A sandbox filled with the demo data; call outside a running event loop."""
    sandbox = Sandbox(seed=DEMO_SEED)
    asyncio.run(seed_demo(sandbox))
    return sandbox


def upstream_settings(sandbox: Sandbox, base_url: str) -> dict[str, Any]:
    """The upstream sections of the settings that point a BFF at `sandbox` on `base_url`."""
    creds = sandbox.credentials
    base = base_url.rstrip("/")
    objecttype = sandbox.objecten.PRODUCTAANVRAAG_OBJECTTYPE_UUID
    zgw = {"client_id": creds.zgw_client_id, "secret": creds.zgw_secret}
    return {
        "klantinteracties": {
            "base_url": base + BASE_PATHS["klantinteracties"],
            "token": creds.klantinteracties_token,
        },
        "zaken": {"base_url": base + BASE_PATHS["zaken"], **zgw},
        "catalogi": {"base_url": base + BASE_PATHS["catalogi"], **zgw},
        "brp": {
            "base_url": base + BASE_PATHS["brp"],
            "auth": "api-key",
            "api_key_header": creds.brp_api_key_header,
            "api_key": creds.brp_api_key,
        },
        "objecten": {
            "base_url": base + BASE_PATHS["objecten"],
            "token": creds.objecten_token,
            "productaanvraag_objecttype_url": (
                f"{base}{BASE_PATHS['objecten']}/objecttypes/{objecttype}"
            ),
        },
        "referentielijsten": {"base_url": base + BASE_PATHS["referentielijsten"]},
    }


def demo_settings(
    sandbox: Sandbox,
    sandbox_url: str,
    *,
    host: str,
    port: int,
    require_verification: bool = False,
) -> Settings:
    """Settings for `bff demo`: the sandbox upstreams, the demo issuer, in-memory journal;
    `require_verification` turns on `klantbeeld.require_verification` (`--require-verification`).

    The log level and format are quiet console defaults unless `BFF_LOG_LEVEL` or
    `BFF_LOG_FORMAT` say otherwise.
    """
    logging = {
        name: value
        for name, value in (("log_format", "console"), ("log_level", "WARNING"))
        if f"BFF_{name.upper()}" not in os.environ
    }
    return load_settings(
        environment="demo",
        **logging,
        host=host,
        port=port,
        auth=demo_auth_settings(f"http://{host}:{port}/oidc"),
        privacy={"pseudonymisation_key": DEMO_PSEUDONYMISATION_KEY},
        registration={"store": "memory"},
        medewerker_actor={"telefoonnummer": DEMO_KCC_TELEFOONNUMMER},
        **upstream_settings(sandbox, sandbox_url),
        **({"klantbeeld": {"require_verification": True}} if require_verification else {}),
    )
