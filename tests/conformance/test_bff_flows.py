"""The BFF's KCC flows end to end, against the sandbox or against a real Open Klant.

One medewerker's session through the BFF: a call of an unknown caller with a contact detail
for this request only, a partij registered by BSN, a call of that partij with a zaak and an
interne taak for a medewerker and an afdeling, the klantcontact details, both worklists, a
follow-up on each klantcontact, finishing an interne taak, a verificatie and the klantbeeld
after it. Every answer must be 2xx and show what the flow wrote.

By default every upstream is the demo sandbox, in process. With
`BFF_CONFORMANCE_KLANTINTERACTIES_URL` (`.../klantinteracties/api/v1`) and
`BFF_CONFORMANCE_KLANTINTERACTIES_TOKEN` set, the BFF's Klantinteracties calls go over HTTP
to that server and the other upstreams stay the sandbox (BRP, Zaken, Objects): a check that
the BFF works with a real Open Klant, not only with the sandbox. It creates data there
(two actoren per run, the partij of BSN 999993653 once, klantcontacten and interne taken),
so use a test environment, as for the conformance corpus.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conformance.replay import live_target
from tests.helpers.harness import DEMO_BSN, Bff, start_bff

UNKNOWN_CALLER = {"voornaam": "Piet", "achternaam": "Onbekend"}
CALLBACK_NUMBER = "0612345678"


class LiveKlantinteracties(httpx.AsyncBaseTransport):
    """Sends what is addressed to the live Open Klant over HTTP, the rest to the sandbox."""

    def __init__(self, sandbox: httpx.AsyncBaseTransport, live_url: str) -> None:
        self.sandbox = sandbox
        self.live = httpx.AsyncHTTPTransport()
        self.origin = httpx.URL(live_url).copy_with(path="/", query=None)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.copy_with(path="/", query=None) == self.origin:
            return await self.live.handle_async_request(request)
        return await self.sandbox.handle_async_request(request)

    async def aclose(self) -> None:
        await self.live.aclose()
        await self.sandbox.aclose()


class Session:
    """The medewerker's requests to the BFF, each required to succeed."""

    def __init__(self, bff: Bff) -> None:
        self.bff = bff
        self.headers = bff.auth()
        self.steps: list[str] = []

    async def call(self, step: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        response = await self.bff.client.request(method, path, headers=headers, **kwargs)
        assert response.is_success, f"{step}: {response.status_code} {response.text}"
        self.steps.append(step)
        return response

    async def json(self, step: str, method: str, path: str, **kwargs: Any) -> Any:
        return (await self.call(step, method, path, **kwargs)).json()


async def make_actoren(bff: Bff, transport: httpx.AsyncBaseTransport) -> tuple[str, str]:
    """A medewerker and an afdeling, made directly upstream as another application would."""
    settings = bff.settings.klantinteracties
    run = uuid.uuid4().hex[:8]
    async with httpx.AsyncClient(
        transport=transport,
        base_url=str(settings.base_url).rstrip("/"),
        headers={"Authorization": f"Token {settings.token.get_secret_value()}"},
    ) as upstream:
        made = [
            await upstream.post("/actoren", json=body)
            for body in (
                _actor("Bert Backoffice", "medewerker", f"bert-{run}@gemeente.example", "mdw"),
                _actor("Afdeling Burgerzaken", "organisatorische_eenheid", f"bz-{run}", "afd"),
            )
        ]
    assert all(r.status_code == 201 for r in made), [r.text for r in made]
    return made[0].json()["uuid"], made[1].json()["uuid"]


def _actor(naam: str, soort: str, object_id: str, objecttype: str) -> dict[str, Any]:
    identificatie: dict[str, str] = {"telefoonnummer": "0201234567", "emailadres": ""}
    if soort == "medewerker":
        identificatie["functie"] = "Vakspecialist"
    else:
        identificatie["omschrijving"] = naam
    return {
        "naam": naam,
        "soortActor": soort,
        "indicatieActief": True,
        "actoridentificator": {
            "objectId": object_id,
            "codeObjecttype": objecttype,
            "codeRegister": "obj",
            "codeSoortObjectId": "idf",
        },
        "actorIdentificatie": identificatie,
    }


def _klantcontact(onderwerp: str) -> dict[str, Any]:
    return {
        "kanaal": "telefoon",
        "onderwerp": onderwerp,
        "inhoud": "Vraag van de klant",
        "taal": "nld",
        "vertrouwelijk": False,
        "indicatieContactGelukt": True,
    }


async def run_flow(s: Session, medewerker: str, afdeling: str) -> None:
    unknown = await s.json(
        "register an unknown caller",
        "POST",
        "/api/v1/klantcontacten",
        json={
            "klantcontact": _klantcontact("Onbekende beller"),
            "klant": {"contactnaam": UNKNOWN_CALLER},
            "digitaleAdressen": [
                {
                    "soortDigitaalAdres": "telefoonnummer",
                    "adres": CALLBACK_NUMBER,
                    "gebruik": "dit-verzoek",
                }
            ],
        },
    )
    assert unknown["partij"] is None
    assert len(unknown["digitaleAdressenBetrokkene"]) == 1

    partij = (
        await s.json("register the partij", "POST", "/api/v1/partijen", json={"bsn": DEMO_BSN})
    )["partij"]
    before = await s.json("klantbeeld", "POST", "/api/v1/klantbeeld", json={"bsn": DEMO_BSN})
    zaak = before["zaken"]["items"][0]
    known = await s.json(
        "register a call of the partij",
        "POST",
        "/api/v1/klantcontacten",
        json={
            "klantcontact": {
                **_klantcontact("Afvalpas kwijt"),
                "indicatieContactGelukt": False,
                "verdereActieOndernomen": True,
            },
            "klant": {"partijId": partij},
            "digitaleAdressen": [
                {
                    "soortDigitaalAdres": "telefoonnummer",
                    "adres": "0611112222",
                    "gebruik": "dit-verzoek",
                }
            ],
            "zaak": zaak["uuid"],
            "interneTaak": {
                "actoren": [medewerker, afdeling],
                "gevraagdeHandeling": "Klant terugbellen",
            },
        },
    )
    assert known["partij"] == partij
    assert known["interneTaak"]
    assert known["onderwerpobject"]

    detail = await s.json(
        "klantcontact detail", "GET", f"/api/v1/klantcontacten/{known['klantcontact']}"
    )
    [betrokkene] = detail["betrokkenen"]
    assert betrokkene["partijId"] == partij
    assert [a["adres"] for a in betrokkene["digitaleAdressen"]] == ["0611112222"]
    assert [o["zaak"]["identificatie"] for o in detail["onderwerpobjecten"]] == [
        zaak["identificatie"]
    ]
    [taak] = detail["interneTaken"]
    assert {a["uuid"] for a in taak["toegewezenAanActoren"]} == {medewerker, afdeling}

    shown = await s.json(
        "klantcontact of the unknown caller",
        "GET",
        f"/api/v1/klantcontacten/{unknown['klantcontact']}",
    )
    [caller] = shown["betrokkenen"]
    assert (caller["naam"], caller["partijId"]) == ("Piet Onbekend", None)
    assert [a["adres"] for a in caller["digitaleAdressen"]] == [CALLBACK_NUMBER]

    await s.call(
        "follow-up on the unknown caller's klantcontact",
        "POST",
        f"/api/v1/klantcontacten/{unknown['klantcontact']}/vervolg",
        json={
            "interneTaak": {"actoren": [medewerker], "gevraagdeHandeling": "Terugbellen"},
            "digitaleAdressen": [{"soortDigitaalAdres": "telefoonnummer", "adres": "0699998888"}],
        },
    )
    await s.call(
        "follow-up with a second zaak",
        "POST",
        f"/api/v1/klantcontacten/{known['klantcontact']}/vervolg",
        json={"zaak": before["zaken"]["items"][1]["uuid"]},
    )

    by_afdeling = await s.json(
        "worklist of the afdeling",
        "GET",
        "/api/v1/interne-taken",
        params={"toegewezenAan": afdeling},
    )
    assert [t["klantcontact"]["klantnaam"] for t in by_afdeling["items"]] == [betrokkene["naam"]]
    by_medewerker = await s.json(
        "worklist of the medewerker",
        "GET",
        "/api/v1/interne-taken",
        params={"toegewezenAan": medewerker},
    )
    newest = by_medewerker["items"][0]
    assert newest["klantcontact"]["klantnaam"] == "Piet Onbekend"
    assert {a["adres"] for a in newest["klantcontact"]["digitaleAdressen"]} == {
        CALLBACK_NUMBER,
        "0699998888",
    }
    await s.call(
        "finish the interne taak",
        "PATCH",
        f"/api/v1/interne-taken/{newest['uuid']}",
        json={"status": "verwerkt"},
        headers={"If-Match": newest["etag"]},
    )

    verificatie = await s.json(
        "verificatie",
        "POST",
        "/api/v1/verificaties",
        json={
            "bsn": DEMO_BSN,
            "antwoorden": {"geboortedatum": "1985-12-01", "postcode": "3077 AW", "huisnummer": 31},
        },
    )
    assert verificatie["geverifieerd"] is True
    after = await s.json(
        "klantbeeld after the verificatie",
        "POST",
        "/api/v1/klantbeeld",
        json={"bsn": DEMO_BSN, "verificatie": verificatie["id"]},
    )
    assert after["klantcontacten"]["status"] == "ok"
    listed = {k["uuid"]: k for k in after["klantcontacten"]["items"]}
    assert listed[known["klantcontact"]]["betrokkenen"][0]["naam"] == betrokkene["naam"]
    assert len(listed[known["klantcontact"]]["onderwerpobjecten"]) == 2


async def test_the_kcc_flows_work_end_to_end(conformance_summary: list[str]) -> None:
    live = live_target("klantinteracties")
    routed: list[httpx.AsyncBaseTransport] = []

    def route(sandbox: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        routed.append(LiveKlantinteracties(sandbox, live[0]) if live else sandbox)
        return routed[0]

    overrides: dict[str, Any] = (
        {"klantinteracties": {"base_url": live[0], "token": live[1]}} if live else {}
    )
    async with start_bff(wrap_transport=route, **overrides) as bff:
        medewerker, afdeling = await make_actoren(bff, routed[0])
        session = Session(bff)
        await run_flow(session, medewerker, afdeling)

    target = live[0] if live else "the sandbox"
    conformance_summary.append(f"KCC flows against {target}: {len(session.steps)} steps, all 2xx")
