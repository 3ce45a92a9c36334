"""`POST /api/v1/partijen` and `.../{id}/digitale-adressen`: never a duplicate partij or address."""

from __future__ import annotations

from typing import Any

from bff.compose.partij_registratie_plan import NieuwePartij, PartijSleutel, UitBrp
from bff.errors import InvalidParam
from bff.registration.partij_plan import find_or_create_partij
from bff.upstreams.klantinteracties import DuplicatePartijIdentificator
from bff.upstreams.klantinteracties.models import Contactnaam, Partij, PartijIdentificatorGroepType
from bff.upstreams.klantinteracties.writes import PartijCreate
from tests.helpers.harness import DEMO_BSN, start_bff
from tests.registreren.support import adressen_of, brp_only_bsn, partij_of

URL = "/api/v1/partijen"
THEIRS = "7a7a7a7a-0000-4000-8000-000000000001"


async def test_a_new_bsn_is_registered_named_from_brp_with_its_contact_details() -> None:
    async with start_bff() as bff:
        bsn = brp_only_bsn(bff.sandbox)
        naam = bff.sandbox.brp.personen[bsn]["naam"]
        body = {
            "bsn": bsn,
            "bezoekadres": {
                "straatnaam": "Turfmarkt",
                "huisnummer": 147,
                "postcode": "2511dp",
                "stad": "Den Haag",
                "land": "NL",
            },
            "digitaleAdressen": [
                {"soortDigitaalAdres": "email", "adres": "elias@example.nl"},
                {"soortDigitaalAdres": "telefoonnummer", "adres": "06 9876 5432", "voorkeur": True},
            ],
        }
        r = await bff.client.post(URL, json=body, headers=bff.auth())
        records = bff.processing_records()

    assert r.status_code == 201, r.text
    made = r.json()
    assert made["nieuw"] is True
    partij = bff.sandbox.klantinteracties.partijen[made["partij"]]
    assert partij_of(bff.sandbox, bsn) == made["partij"]
    assert partij["soortPartij"] == "persoon"
    assert partij["partijIdentificatie"]["contactnaam"]["achternaam"] == naam["geslachtsnaam"]
    assert partij["bezoekadres"]["postcode"] == "2511 DP"
    [telefoon] = adressen_of(bff.sandbox, made["partij"], "0698765432")
    assert partij["voorkeursDigitaalAdres"] == telefoon["uuid"] == made["voorkeursDigitaalAdres"]
    assert len(made["digitaleAdressen"]) == 2
    assert [r.data_subject_id_type for r in records] == ["BSN"]


async def test_a_known_bsn_answers_200_with_the_existing_partij_and_adds_what_it_lacks() -> None:
    async with start_bff() as bff:
        partij = partij_of(bff.sandbox)
        before = len(bff.sandbox.klantinteracties.partijen)
        body = {
            "bsn": DEMO_BSN,
            "digitaleAdressen": [{"soortDigitaalAdres": "email", "adres": "extra@example.nl"}],
        }
        r = await bff.client.post(URL, json=body, headers=bff.auth())

    assert r.status_code == 200, r.text
    assert (r.json()["partij"], r.json()["nieuw"]) == (partij, False)
    assert len(bff.sandbox.klantinteracties.partijen) == before
    assert len(adressen_of(bff.sandbox, partij, "extra@example.nl")) == 1


async def test_a_new_kvk_nummer_is_registered_as_an_organisatie() -> None:
    async with start_bff() as bff:
        r = await bff.client.post(
            URL,
            json={"kvkNummer": "12345678", "naam": "Fietsenmakerij De Spaak"},
            headers=bff.auth(),
        )

    assert r.status_code == 201, r.text
    partij = bff.sandbox.klantinteracties.partijen[r.json()["partij"]]
    assert partij["soortPartij"] == "organisatie"
    assert partij["partijIdentificatie"]["naam"] == "Fietsenmakerij De Spaak"


async def test_a_bad_partij_is_422_naming_every_field() -> None:
    async with start_bff() as bff:
        before = len(bff.sandbox.klantinteracties.partijen)
        body = {
            "bsn": DEMO_BSN,
            "kvkNummer": "1234",
            "bezoekadres": {"postcode": "0000 XX", "land": "XX"},
            "digitaleAdressen": [{"soortDigitaalAdres": "email", "adres": "a@"}],
        }
        r = await bff.client.post(URL, json=body, headers=bff.auth())
        email = {"soortDigitaalAdres": "email", "voorkeur": True}
        rules = {
            "naam": "Niemand",
            "digitaleAdressen": [
                {**email, "adres": "a@example.nl"},
                {**email, "adres": "b@example.nl"},
            ],
        }
        across = await bff.client.post(URL, json=rules, headers=bff.auth())

    assert r.status_code == 422
    assert {p["name"] for p in r.json()["invalidParams"]} == {
        "kvkNummer",
        "bezoekadres.postcode",
        "bezoekadres.land",
        "digitaleAdressen.0.adres",
    }
    # rules across fields are checked once every field itself is valid
    assert across.status_code == 422
    assert {p["name"] for p in across.json()["invalidParams"]} == {
        "bsn",
        "digitaleAdressen.1.voorkeur",
    }
    assert len(bff.sandbox.klantinteracties.partijen) == before


async def test_digitale_adressen_are_added_once_and_one_becomes_preferred() -> None:
    async with start_bff() as bff:
        partij = partij_of(bff.sandbox)
        url = f"{URL}/{partij}/digitale-adressen"
        body = {
            "digitaleAdressen": [
                {"soortDigitaalAdres": "email", "adres": "Voorkeur@Example.nl", "voorkeur": True}
            ]
        }
        first = await bff.client.post(url, json=body, headers=bff.auth())
        body["digitaleAdressen"][0]["adres"] = "voorkeur@example.nl"
        again = await bff.client.post(url, json=body, headers=bff.auth())

    assert (first.status_code, again.status_code) == (201, 200)
    [adres] = adressen_of(bff.sandbox, partij, "voorkeur@example.nl")
    assert first.json()["digitaleAdressen"] == again.json()["digitaleAdressen"] == [adres["uuid"]]
    assert bff.sandbox.klantinteracties.partijen[partij]["voorkeursDigitaalAdres"] == adres["uuid"]


async def test_a_number_open_klant_refuses_is_a_422_naming_the_field_before_any_write() -> None:
    async with start_bff() as bff:
        partij = partij_of(bff.sandbox)
        before = len(bff.sandbox.klantinteracties.digitaleadressen)
        body = {
            "digitaleAdressen": [
                {"soortDigitaalAdres": "telefoonnummer", "adres": "0612345678"},
                {"soortDigitaalAdres": "telefoonnummer", "adres": "0800-123456"},
            ]
        }
        response = await bff.client.post(
            f"{URL}/{partij}/digitale-adressen", json=body, headers=bff.auth()
        )

    assert response.status_code == 422
    assert [p["name"] for p in response.json()["invalidParams"]] == ["digitaleAdressen.1.adres"]
    assert len(bff.sandbox.klantinteracties.digitaleadressen) == before


async def test_digitale_adressen_for_an_unknown_partij_are_404() -> None:
    async with start_bff() as bff:
        body = {"digitaleAdressen": [{"soortDigitaalAdres": "email", "adres": "x@example.nl"}]}
        unknown = await bff.client.post(
            f"{URL}/{THEIRS}/digitale-adressen", json=body, headers=bff.auth()
        )
        malformed = await bff.client.post(
            f"{URL}/nope/digitale-adressen", json=body, headers=bff.auth()
        )

    assert (unknown.status_code, malformed.status_code) == (404, 404)


class RacingKlantinteracties:
    """Knows no partij at first; someone else registers the same BSN before our create."""

    name = "klantinteracties"

    def __init__(self) -> None:
        self.finds = 0
        self.creates: list[PartijCreate] = []

    async def find_partij(self, identificator: PartijIdentificatorGroepType) -> Partij | None:
        self.finds += 1
        if self.finds == 1:
            return None
        return Partij(uuid=THEIRS, soort_partij="persoon", indicatie_actief=True)

    async def create_partij(self, partij: PartijCreate) -> Partij:
        self.creates.append(partij)
        raise DuplicatePartijIdentificator(
            self.name,
            "This identificator is already registered with another partij.",
            invalid_params=[
                InvalidParam("partijIdentificatoren.0.__all__", "moet uniek zijn", "unique")
            ],
        )


async def test_a_duplicate_bsn_race_upstream_is_answered_by_looking_again() -> None:
    ki = RacingKlantinteracties()
    named: list[str] = []

    async def naam(bsn: str) -> UitBrp:
        named.append(bsn)
        return UitBrp(contactnaam=Contactnaam(achternaam="Almenkinders"))

    nieuw = NieuwePartij(sleutel=PartijSleutel(soort="bsn", nummer=DEMO_BSN))
    result: dict[str, Any] = await find_or_create_partij(ki, nieuw, naam)

    assert result == {"partij": THEIRS, "nieuw": False}
    assert (ki.finds, len(ki.creates), named) == (2, 1, [DEMO_BSN])


async def test_a_partij_from_the_brp_carries_its_geheimhouding_and_a_voorkeurstaal() -> None:
    async with start_bff() as bff:
        geheim = brp_only_bsn(bff.sandbox)
        bff.sandbox.brp.personen[geheim]["geheimhoudingPersoonsgegevens"] = True
        open_bsn = brp_only_bsn_after(bff, geheim)
        made = {}
        for bsn in (geheim, open_bsn):
            r = await bff.client.post(URL, json={"bsn": bsn}, headers=bff.auth())
            assert r.status_code == 201, r.text
            made[bsn] = bff.sandbox.klantinteracties.partijen[r.json()["partij"]]
    assert made[geheim]["indicatieGeheimhouding"] is True
    assert made[open_bsn]["indicatieGeheimhouding"] is False
    assert {p["voorkeurstaal"] for p in made.values()} == {"nld"}


def brp_only_bsn_after(bff: Any, skip: str) -> str:
    """Another person the BRP knows who has no partij yet, not `skip`."""
    known = {i["objectId"] for i in bff.sandbox.klantinteracties.partij_identificatoren.values()}
    return next(
        b
        for b, p in bff.sandbox.brp.personen.items()
        if b not in known and b != skip and not p.get("geheimhoudingPersoonsgegevens")
    )
