"""C0992: with `registration.allow_unidentified_callers = false` an unknown caller is not
registered: a klantcontact without partij, BSN or KvK-nummer is a 422 naming `klant`,
before anything is journalled or written. The default (true) registers them by name."""

from __future__ import annotations

import copy

from tests.helpers.harness import start_bff
from tests.registreren.support import KI_TABLES, partij_of, registratie

URL = "/api/v1/klantcontacten"
ONBEKEND = {"contactnaam": {"voornaam": "Piet", "achternaam": "Onbekend"}}


async def test_unknown_caller_is_refused_when_the_setting_is_off() -> None:
    async with start_bff(registration={"allow_unidentified_callers": False}) as bff:
        ki = bff.sandbox.klantinteracties
        before = {name: copy.deepcopy(ki.table(name)) for name in KI_TABLES}
        body = registratie(bff.sandbox, klant=ONBEKEND, digitaleAdressen=[])
        r = await bff.client.post(URL, json=body, headers=bff.auth())
        after = {name: ki.table(name) for name in KI_TABLES}
        journalled = await bff.services.registration_store.stats()
    assert r.status_code == 422, r.text
    assert r.headers["Content-Type"].startswith("application/problem+json")
    [param] = r.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("klant", "unidentified-caller")
    assert after == before
    assert not any(journalled.by_status.values())


async def test_an_identified_caller_is_registered_when_the_setting_is_off() -> None:
    async with start_bff(registration={"allow_unidentified_callers": False}) as bff:
        body = registratie(bff.sandbox, klant={"partijId": partij_of(bff.sandbox)})
        r = await bff.client.post(URL, json=body, headers=bff.auth())
    assert r.status_code == 201, r.text


async def test_unknown_caller_is_registered_by_default() -> None:
    async with start_bff() as bff:
        assert bff.settings.registration.allow_unidentified_callers is True
        body = registratie(bff.sandbox, klant=ONBEKEND, digitaleAdressen=[])
        r = await bff.client.post(URL, json=body, headers=bff.auth())
    assert r.status_code == 201, r.text
