"""Open Zaak 1.30 conformance: the sandbox Zaken and Catalogi APIs answer as the real server did.

`../shared/conformance/openzaak-1.30-zaken.jsonl` holds Open Zaak 1.30.0's answers (Zaken
API 1.5.1, Catalogi API 1.3.1) to protocol-level requests: JWT, Crs headers, filters, `_zoek`
bodies, expand, paging, unknown ids. No case creates data; the recording server held zaken
with a rol for BSN 999993653, for an organisation (RSIN 002564440, kvkNummer 69599084) and
for a vestiging (000012345678, kvkNummer 69599084), each with a status on a published
zaaktype. `seed_recorded_world` gives a fresh sandbox the same, and every case is replayed
on its own fresh sandbox through the ASGI transport. The run prints `N cases, M equal`.

Against a live Open Zaak instead (it must hold the data above): set
`BFF_CONFORMANCE_OPENZAAK_URL` (the server root) with `BFF_CONFORMANCE_OPENZAAK_CLIENT_ID`
and `BFF_CONFORMANCE_OPENZAAK_SECRET` (a fresh ZGW JWT is minted per request).
"""

from __future__ import annotations

import os
import time
import tomllib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import jwt
import pytest

from bff.sandbox.app import Sandbox
from tests.conformance.replay import Context, Difference, live_target, load_corpus, replay, summary

CORPUS = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "conformance"
    / "openzaak-1.30-zaken.jsonl"
)
BSN = "999993653"
ORGANISATIE = {"innNnpId": "002564440", "kvkNummer": "69599084", "statutaireNaam": "Korenaar BV"}
VESTIGING = {
    "vestigingsNummer": "000012345678",
    "kvkNummer": "69599084",
    "handelsnaam": ["Korenaar"],
}
RSIN_GEMEENTE = "002220647"


def seed_recorded_world(sandbox: Sandbox) -> None:
    """The catalogus, and one zaak each for the person, organisation and vestiging the corpus
    searches, with an initiator rol and a status on a published zaaktype."""
    catalogi = sandbox.catalogi
    catalogi.seed_demo()
    zaaktype = next(z["uuid"] for z in catalogi.zaaktypen.values() if not z["concept"])
    roltype = next(r["uuid"] for r in catalogi.roltypen.values() if r["zaaktype"] == zaaktype)
    statustype = catalogi.statustypen_of(zaaktype)[0]["uuid"]
    betrokkenen = (
        ("natuurlijk_persoon", {"inpBsn": BSN, "geslachtsnaam": "Jansen", "voorletters": "J"}),
        ("niet_natuurlijk_persoon", ORGANISATIE),
        ("vestiging", VESTIGING),
    )
    for month, (soort, identificatie) in enumerate(betrokkenen, start=1):
        day = f"2025-{month:02d}-01"
        zaak = sandbox.zaken.add_zaak(
            {
                "identificatie": f"ZAAK-2025-{month:07d}",
                "bronorganisatie": RSIN_GEMEENTE,
                "verantwoordelijkeOrganisatie": RSIN_GEMEENTE,
                "omschrijving": "Aanvraag",
                "zaaktype": zaaktype,
                "startdatum": day,
                "registratiedatum": day,
            }
        )
        sandbox.zaken.add_rol(
            {"zaak": zaak, "roltype": roltype, "betrokkeneType": soort}
            | {"betrokkeneIdentificatie": identificatie}
            | {"omschrijving": "Initiator", "omschrijvingGeneriek": "initiator"}
        )
        sandbox.zaken.add_status(
            {"zaak": zaak, "statustype": statustype, "datumStatusGezet": f"{day}T09:30:00Z"}
        )


def minter(client_id: str, secret: str) -> Callable[[], str]:
    """A fresh ZGW JWT per request, with every claim Open Zaak reads."""

    def mint() -> str:
        claims = {
            "iss": client_id,
            "client_id": client_id,
            "iat": int(time.time()),
            "user_id": "conformance",
            "user_representation": "Conformance replay",
        }
        return jwt.encode(claims, secret, algorithm="HS256")

    return mint


@asynccontextmanager
async def target() -> AsyncIterator[tuple[httpx.AsyncClient, Context]]:
    """A client on a freshly seeded sandbox, or on the live server when one is configured."""
    live = live_target("openzaak")
    if live is not None:
        url, _ = live
        client_id = os.environ.get("BFF_CONFORMANCE_OPENZAAK_CLIENT_ID", "")
        secret = os.environ.get("BFF_CONFORMANCE_OPENZAAK_SECRET", "")
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield client, Context(token=minter(client_id, secret), headers={})
        return
    sandbox = Sandbox()
    seed_recorded_world(sandbox)
    credentials = sandbox.credentials
    context = Context(token=minter(credentials.zgw_client_id, credentials.zgw_secret), headers={})
    transport = httpx.ASGITransport(app=sandbox.asgi())
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        yield client, context


def exceptions() -> dict[str, str]:
    """Case id -> why the sandbox cannot reproduce it (`[[openzaak]]` in exceptions.toml)."""
    with (Path(__file__).parent / "exceptions.toml").open("rb") as file:
        entries = tomllib.load(file).get("openzaak", [])
    return {entry["id"]: entry["reason"] for entry in entries}


async def test_sandbox_answers_every_open_zaak_case_as_recorded(
    conformance_summary: list[str],
) -> None:
    if not CORPUS.is_file():
        pytest.skip(f"conformance corpus not found at {CORPUS} (../shared is absent)")
    cases = load_corpus(CORPUS)
    live = live_target("openzaak")
    excepted = {} if live else exceptions()
    unknown = sorted(set(excepted) - {case["id"] for case in cases})
    assert not unknown, f"exceptions.toml names cases the corpus does not hold: {unknown}"

    outcomes: list[tuple[str, list[Difference]]] = []
    for case in cases:
        async with target() as (client, context):
            outcomes.append((case["id"], await replay(case, client, context)))

    where = live[0] if live else "the sandbox"
    line = f"Open Zaak 1.30.0 conformance against {where}: {summary(outcomes)}"
    failures = [
        f"{case_id}:\n" + "\n".join(f"    {d}" for d in differences)
        for case_id, differences in outcomes
        if differences and case_id not in excepted
    ]
    stale = [case_id for case_id, found in outcomes if not found and case_id in excepted]
    failures += [f"{case_id}: equal now, remove it from exceptions.toml" for case_id in stale]
    conformance_summary.append(
        f"{line}, {len(excepted)} excepted (tests/conformance/exceptions.toml)"
    )
    assert not failures, f"{line}\n" + "\n".join(failures)


async def test_seeded_world_holds_what_the_corpus_searches() -> None:
    sandbox = Sandbox()
    seed_recorded_world(sandbox)

    rollen = list(sandbox.zaken.rollen.values())
    assert {r["betrokkeneType"] for r in rollen} == {
        "natuurlijk_persoon",
        "niet_natuurlijk_persoon",
        "vestiging",
    }
    assert all(sandbox.zaken.current_status(r["zaak"]) for r in rollen)
    zaaktypen = {z["zaaktype"] for z in sandbox.zaken.zaken.values()}
    assert not any(sandbox.catalogi.zaaktypen[z]["concept"] for z in zaaktypen)
