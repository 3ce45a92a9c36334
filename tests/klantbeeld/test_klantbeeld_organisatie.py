"""The klantbeeld of an organisatie or vestiging over the demo sandbox: its zaken by
KvK-nummer (a vestiging's by vestigingsnummer), no persoon, the processing records."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from tests.helpers.harness import Bff, start_bff

PATH = "/api/v1/klantbeeld"
KVK = "69599084"  # the demo's Stichting Zomerfestival Turfmarkt
VESTIGING = "000012345678"


async def klantbeeld(bff: Bff, body: dict[str, Any]) -> httpx.Response:
    return await bff.client.post(PATH, json=body, headers=bff.auth())


def zaken_with_rol(bff: Bff, soort: str, key: str, value: str) -> set[str]:
    store = bff.sandbox.zaken
    return {
        r["zaak"]
        for r in store.rollen.values()
        if r["betrokkeneType"] == soort and r["betrokkeneIdentificatie"].get(key) == value
    }


def add_vestiging_zaak(bff: Bff) -> str:
    """A zaak of the organisation's vestiging, with a status, on a demo zaaktype."""
    store, catalogi = bff.sandbox.zaken, bff.sandbox.zaken.catalogus
    zaaktype = next(iter(catalogi.zaaktypen.values()))
    zaak = store.add_zaak(
        {"zaaktype": zaaktype["uuid"], "startdatum": date(2026, 5, 4).isoformat()}
        | {"omschrijving": "Terrasvergunning Turfmarkt", "bronorganisatie": "002220647"}
        | {"verantwoordelijkeOrganisatie": "002220647"}
    )
    roltype = next(r for r in catalogi.roltypen.values() if r["zaaktype"] == zaaktype["uuid"])
    ident = {"vestigingsNummer": VESTIGING, "kvkNummer": KVK, "handelsnaam": ["Zomerfestival"]}
    store.add_rol(
        {"zaak": zaak, "roltype": roltype["uuid"], "betrokkeneType": "vestiging"}
        | {"betrokkeneIdentificatie": ident, "omschrijving": "Initiator"}
        | {"omschrijvingGeneriek": "initiator"}
    )
    statustype = catalogi.statustypen_of(zaaktype["uuid"])[0]
    store.add_status(
        {"zaak": zaak, "statustype": statustype["uuid"], "datumStatusGezet": "2026-05-04T09:30:00Z"}
    )
    return zaak


async def test_klantbeeld_by_kvk_nummer_shows_the_organisaties_zaken() -> None:
    async with start_bff() as bff:
        await bff.services.codes.tables()
        add_vestiging_zaak(bff)
        expected = zaken_with_rol(bff, "niet_natuurlijk_persoon", "kvkNummer", KVK)
        r = await klantbeeld(bff, {"kvkNummer": KVK})
        records = bff.processing_records()
    body = r.json()
    assert r.status_code == 200, r.text
    assert body["partij"]["partij"]["naam"] == "Stichting Zomerfestival Turfmarkt"
    assert body["persoon"] is None
    assert body["zaken"]["status"] == "ok"
    assert expected  # the demo has zaken for this organisation
    assert {z["uuid"] for z in body["zaken"]["items"]} == expected
    assert all(z["zaaktype"] and z["status"] for z in body["zaken"]["items"])
    assert [rec.data_subject_id_type for rec in records] == ["KVK"]


async def test_klantbeeld_by_kvk_nummer_and_vestigingsnummer_shows_the_vestigings_zaken() -> None:
    async with start_bff() as bff:
        await bff.services.codes.tables()
        vestiging_zaak = add_vestiging_zaak(bff)
        r = await klantbeeld(bff, {"kvkNummer": KVK, "vestigingsnummer": VESTIGING})
        records = bff.processing_records()
    body = r.json()
    assert r.status_code == 200, r.text
    assert body["persoon"] is None
    assert body["zaken"]["status"] == "ok"
    (zaak,) = body["zaken"]["items"]
    assert zaak["uuid"] == vestiging_zaak
    assert (zaak["omschrijving"], zaak["zaaktype"] is not None) == (
        "Terrasvergunning Turfmarkt",
        True,
    )
    assert zaak["status"]
    assert [rec.data_subject_id_type for rec in records] == ["vestigingsnummer"]


async def test_klantbeeld_of_an_organisatie_partij_finds_zaken_by_its_kvk_nummer() -> None:
    async with start_bff() as bff:
        first = await klantbeeld(bff, {"kvkNummer": KVK})
        partij_id = first.json()["partij"]["partij"]["uuid"]
        r = await bff.client.get(f"/api/v1/partijen/{partij_id}/klantbeeld", headers=bff.auth())
    assert r.status_code == 200, r.text
    assert r.json()["persoon"] is None
    assert r.json()["zaken"] == first.json()["zaken"]
    assert r.json()["zaken"]["items"]
