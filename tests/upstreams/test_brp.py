"""BRP client: the three query types, fields, auth and purpose headers, parsing, probe."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
import respx

from bff.errors import UpstreamError, UpstreamRejected
from bff.settings import BrpUpstreamSettings
from bff.upstreams.auth import brp_auth
from bff.upstreams.brp import BrpClient, brp_purpose_headers
from tests.upstreams.conftest import BRP, body_of, http_client

FIELDS = ["burgerservicenummer", "naam", "geboorte.datum", "adressering", "verblijfplaats"]


def _settings(**kwargs: Any) -> BrpUpstreamSettings:
    return BrpUpstreamSettings(base_url=BRP, **kwargs)  # type: ignore[arg-type]


PERSOON = {
    "burgerservicenummer": "999993653",
    "geheimhoudingPersoonsgegevens": True,
    "leeftijd": 40,
    "geslacht": {"code": "V", "omschrijving": "vrouw"},
    "naam": {
        "voornamen": "Suzanne",
        "voorvoegsel": "van",
        "geslachtsnaam": "Moulin",
        "voorletters": "S.",
        "volledigeNaam": "Suzanne van Moulin",
    },
    "geboorte": {
        "datum": {"type": "Datum", "datum": "1985-06-01", "langFormaat": "1 juni 1985"},
        "land": {"code": "6030", "omschrijving": "Nederland"},
    },
    "adressering": {
        "adresregel1": "Boterdiep 31",
        "adresregel2": "3077 AW  ROTTERDAM",
        "aanhef": "Geachte mevrouw Van Moulin",
        "aanschrijfwijze": {"naam": "S. van Moulin"},
    },
    "verblijfplaats": {
        "type": "Adres",
        "verblijfadres": {
            "officieleStraatnaam": "Boterdiep",
            "korteStraatnaam": "Boterdiep",
            "huisnummer": 31,
            "postcode": "3077AW",
            "woonplaats": "Rotterdam",
        },
        "datumVan": {
            "type": "JaarMaandDatum",
            "jaar": 2010,
            "maand": 3,
            "langFormaat": "maart 2010",
        },
    },
    "overlijden": {"datum": {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"}},
    "opschortingBijhouding": {"reden": {"code": "O", "omschrijving": "overlijden"}},
}


@pytest.fixture
async def brp(brp_router: respx.MockRouter) -> AsyncIterator[BrpClient]:
    settings = _settings(api_key="brp-key", doelbinding="BRPKCC", origin_oin="00000001234567890000")
    client = BrpClient(
        http_client(
            brp_router, BRP, auth=brp_auth(settings), headers=brp_purpose_headers(settings)
        ),
        timeout_s=5,
    )
    yield client
    await client.aclose()


async def test_raadpleeg_posts_bsns_and_fields_with_key_and_purpose_headers(brp, brp_router):
    route = brp_router.post("personen").respond(
        200, json={"type": "RaadpleegMetBurgerservicenummer", "personen": [PERSOON]}
    )
    (persoon,) = await brp.raadpleeg_met_burgerservicenummer(
        ["999993653"],
        fields=FIELDS,
        purpose_headers={"x-gebruiker": "mieke@gemeente.nl", "x-doelbinding": "BRPACT-Zoeken"},
    )
    request = route.calls.last.request
    assert body_of(route) == {
        "type": "RaadpleegMetBurgerservicenummer",
        "fields": FIELDS,
        "burgerservicenummer": ["999993653"],
    }
    assert "999993653" not in str(request.url)
    assert request.headers["X-API-KEY"] == "brp-key"
    assert request.headers["x-doelbinding"] == "BRPACT-Zoeken"  # the call's purpose wins
    assert request.headers["x-origin-oin"] == "00000001234567890000"
    assert "x-verwerking" not in request.headers  # not configured, not sent
    assert request.headers["x-gebruiker"] == "mieke@gemeente.nl"
    assert request.headers.get_list("x-doelbinding") == ["BRPACT-Zoeken"]
    assert persoon.naam is not None
    assert persoon.naam.volledige_naam == "Suzanne van Moulin"
    assert persoon.geboorte is not None
    assert persoon.geboorte.datum is not None
    assert persoon.geboorte.datum.datum == date(1985, 6, 1)
    assert persoon.verblijfplaats is not None
    assert persoon.verblijfplaats.datum_van is not None
    assert persoon.verblijfplaats.datum_van.jaar == 2010
    assert persoon.overlijden is not None
    assert persoon.overlijden.datum is not None
    assert persoon.overlijden.datum.onbekend is True
    assert persoon.geheimhouding_persoonsgegevens is True
    assert persoon.adressering is not None
    assert persoon.adressering.aanschrijfwijze is not None


async def test_raadpleeg_with_an_unknown_bsn_returns_nobody(brp, brp_router):
    route = brp_router.post("personen").respond(
        200, json={"type": "RaadpleegMetBurgerservicenummer", "personen": []}
    )
    assert await brp.raadpleeg_met_burgerservicenummer(["999999990"], fields=FIELDS) == []
    assert route.calls.last.request.headers["x-doelbinding"] == "BRPKCC"  # client default


@pytest.mark.parametrize("bsns", [[], ["12345678"], ["999993653"] * 21])
async def test_raadpleeg_refuses_bad_bsn_lists(brp, bsns):
    with pytest.raises(ValueError, match="BSN"):
        await brp.raadpleeg_met_burgerservicenummer(bsns, fields=FIELDS)


@pytest.mark.parametrize("fields", [[], ["naam?"], ["x"] * 131])
async def test_fields_are_required_and_checked(brp, fields):
    with pytest.raises(ValueError, match="fields"):
        await brp.raadpleeg_met_burgerservicenummer(["999993653"], fields=fields)


async def test_zoek_met_geslachtsnaam_en_geboortedatum_leaves_out_unset_criteria(brp, brp_router):
    route = brp_router.post("personen").respond(
        200, json={"type": "ZoekMetGeslachtsnaamEnGeboortedatum", "personen": [PERSOON]}
    )
    await brp.zoek_met_geslachtsnaam_en_geboortedatum(
        geslachtsnaam="Moulin", geboortedatum=date(1985, 6, 1), voorvoegsel="van", fields=FIELDS
    )
    assert body_of(route) == {
        "type": "ZoekMetGeslachtsnaamEnGeboortedatum",
        "fields": FIELDS,
        "geslachtsnaam": "Moulin",
        "geboortedatum": "1985-06-01",
        "voorvoegsel": "van",
    }


async def test_zoek_met_postcode_en_huisnummer(brp, brp_router):
    route = brp_router.post("personen").respond(
        200, json={"type": "ZoekMetPostcodeEnHuisnummer", "personen": [PERSOON]}
    )
    await brp.zoek_met_postcode_en_huisnummer(
        postcode="3077AW",
        huisnummer=31,
        huisletter="a",
        inclusief_overleden_personen=True,
        gemeente_van_inschrijving="0599",
        fields=["burgerservicenummer", "naam"],
    )
    assert body_of(route) == {
        "type": "ZoekMetPostcodeEnHuisnummer",
        "fields": ["burgerservicenummer", "naam"],
        "postcode": "3077AW",
        "huisnummer": 31,
        "huisletter": "a",
        "inclusiefOverledenPersonen": True,
        "gemeenteVanInschrijving": "0599",
    }


async def test_a_refused_query_is_rejected(brp, brp_router):
    brp_router.post("personen").respond(
        400,
        json={"invalidParams": [{"name": "fields[0]", "code": "fields", "reason": "bestaat niet"}]},
    )
    with pytest.raises(UpstreamRejected):
        await brp.raadpleeg_met_burgerservicenummer(["999993653"], fields=["bestaatniet"])


async def test_auth_none_sends_no_key(brp_router):
    route = brp_router.post("personen").respond(200, json={"type": "x", "personen": []})
    client = BrpClient(
        http_client(brp_router, BRP, auth=brp_auth(_settings(auth="none"))), timeout_s=5
    )
    await client.raadpleeg_met_burgerservicenummer(["999993653"], fields=FIELDS)
    assert "X-API-KEY" not in route.calls.last.request.headers
    await client.aclose()


async def test_probe_counts_a_400_on_the_empty_query_as_up(brp, brp_router):
    route = brp_router.post("personen").respond(400, json={"invalidParams": []})
    assert await brp.probe() is None
    assert body_of(route)["burgerservicenummer"] == []
    assert route.calls.last.request.headers["X-API-KEY"] == "brp-key"


@pytest.mark.parametrize(("status", "reason"), [(401, "auth"), (403, "auth"), (502, "status")])
async def test_probe_fails_on_refused_credentials_or_errors(brp, brp_router, status, reason):
    brp_router.post("personen").respond(status)
    with pytest.raises(UpstreamError) as err:
        await brp.probe()
    assert err.value.reason == reason
