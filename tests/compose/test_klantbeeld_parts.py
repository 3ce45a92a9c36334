"""The klantbeeld's parts: the partij (adressen, digitale adressen folded), the BRP persoon,
and the request (exactly one criterion, paging), all before any upstream call."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from bff.compose.base import Code
from bff.compose.klantbeeld import encode_cursor
from bff.compose.klantbeeld_partij import compose_partij
from bff.compose.klantbeeld_persoon import compose_persoon
from bff.compose.klantbeeld_request import KlantbeeldRequest, resolve_request
from bff.errors import InvalidInput
from bff.http import validation_error
from bff.upstreams.brp import Persoon
from tests.compose import samples as s

BSN = "999993653"


def adres(uuid: str, soort: str, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "adres": text,
        "soortDigitaalAdres": soort,
        "isStandaardAdres": False,
        "omschrijving": "",
        **extra,
    }


def partij_with(*adressen: dict[str, Any], voorkeur: str | None = None) -> Any:
    return compose_partij(
        s.partij(
            _expand={"digitaleAdressen": list(adressen)},
            voorkeursDigitaalAdres=s.ref("digitaleadressen", voorkeur) if voorkeur else None,
        ),
        s.CODES,
    )


def test_partij_shows_soort_naam_voorkeurstaal_and_identificatoren() -> None:
    bsn = {
        "codeObjecttype": "natuurlijk_persoon",
        "codeSoortObjectId": "bsn",
        "objectId": BSN,
        "codeRegister": "brp",
    }
    ident = {"uuid": "99999999-9999-4999-8999-999999999999", "partijIdentificator": bsn}
    shown = compose_partij(s.partij(partijIdentificatoren=[ident]), s.CODES)
    assert shown.soort_partij == Code(code="persoon", naam="Persoon")
    assert shown.naam == "Jan de Vries"
    assert shown.voorkeurstaal == Code(code="nld", naam="Nederlands")
    assert [i.object_id for i in shown.identificatoren] == [BSN]


def test_adressen_show_their_land_by_name() -> None:
    raw = {"straatnaam": "Kerkstraat", "huisnummer": 1, "postcode": "1234 AB", "land": "NL"}
    shown = compose_partij(s.partij(bezoekadres=raw, correspondentieadres={"land": ""}), s.CODES)
    assert shown.bezoekadres is not None
    assert shown.bezoekadres.land == Code(code="NL", naam="Nederland")
    assert shown.correspondentieadres is None  # nothing filled in


def test_same_email_twice_is_shown_once_keeping_the_standaard() -> None:
    shown = partij_with(
        adres("a1", "email", "Jan@Mail.example", omschrijving="balie"),
        adres("a2", "email", " jan@mail.example", isStandaardAdres=True, omschrijving="privé"),
    )
    (one,) = shown.digitale_adressen
    assert one.uuid == "a2"
    assert one.omschrijving == "privé"
    assert one.is_standaard_adres is True
    assert one.soort_digitaal_adres == Code(code="email", naam="E-mail")


def test_same_phone_number_written_differently_is_shown_once() -> None:
    shown = partij_with(
        adres("t1", "telefoonnummer", "06-12345678"),
        adres("t2", "telefoonnummer", "+31612345678"),
        adres("t3", "telefoonnummer", "0031 6 1234 5678"),
    )
    assert [a.uuid for a in shown.digitale_adressen] == ["t1"]


def test_same_text_of_another_soort_is_not_folded() -> None:
    shown = partij_with(
        adres("o1", "overig", "0612345678"), adres("t1", "telefoonnummer", "0612345678")
    )
    assert [a.uuid for a in shown.digitale_adressen] == ["t1", "o1"]


def test_voorkeur_is_marked_kept_among_its_duplicates_and_shown_first() -> None:
    shown = partij_with(
        adres("t1", "telefoonnummer", "0612345678", isStandaardAdres=True),
        adres("e1", "email", "jan@mail.example", isStandaardAdres=True),
        adres("e2", "email", "jan@mail.example"),
        voorkeur="e2",
    )
    first, second = shown.digitale_adressen
    assert (first.uuid, first.voorkeur, first.is_standaard_adres) == ("e2", True, True)
    assert (second.uuid, second.voorkeur) == ("t1", False)


def test_digitale_adressen_are_ordered_by_soort_with_the_standaard_first() -> None:
    shown = partij_with(
        adres("o1", "overig", "@jan"),
        adres("t1", "telefoonnummer", "0201234567"),
        adres("e1", "email", "werk@mail.example"),
        adres("e2", "email", "jan@mail.example", isStandaardAdres=True),
    )
    assert [a.uuid for a in shown.digitale_adressen] == ["e2", "e1", "t1", "o1"]


def brp(**extra: Any) -> Persoon:
    return Persoon.model_validate({"burgerservicenummer": BSN, **extra})


def test_persoon_has_name_birth_date_and_address() -> None:
    shown = compose_persoon(
        brp(
            naam={"volledigeNaam": "Suzanne Moulin"},
            geboorte={
                "datum": {"type": "Datum", "datum": "1985-12-01", "langFormaat": "1 december 1985"}
            },
            verblijfplaats={
                "type": "Adres",
                "verblijfadres": {
                    "officieleStraatnaam": "Boterdiep",
                    "huisnummer": 31,
                    "postcode": "3077AW",
                    "woonplaats": "Rotterdam",
                },
            },
        ),
        BSN,
        s.CODES,
    )
    assert shown.naam == "Suzanne Moulin"
    assert shown.geboortedatum is not None
    assert shown.geboortedatum.tekst == "1 december 1985"
    assert shown.verblijfadres is not None
    assert (shown.verblijfadres.straat, shown.verblijfadres.postcode) == ("Boterdiep", "3077AW")
    assert shown.overleden is False


def test_persoon_abroad_shows_the_address_lines_and_land() -> None:
    verblijf = {"regel1": "Rue de Rivoli 1", "regel2": "75001 Paris", "land": {"code": "5002"}}
    shown = compose_persoon(
        brp(verblijfplaats={"type": "VerblijfplaatsBuitenland", "verblijfadres": verblijf}),
        BSN,
        s.CODES,
    )
    assert shown.verblijfadres is not None
    assert shown.verblijfadres.regels == ["Rue de Rivoli 1", "75001 Paris"]
    assert shown.verblijfadres.land == Code(code="5002", naam="Frankrijk")


def test_persoon_indications_overlijden_geheimhouding_opschorting() -> None:
    shown = compose_persoon(
        brp(
            overlijden={"datum": {"type": "JaarMaandDatum", "jaar": 2024, "maand": 3}},
            geheimhoudingPersoonsgegevens=True,
            opschortingBijhouding={
                "reden": {"code": "O", "omschrijving": "overlijden"},
                "datum": {"type": "Datum", "datum": "2024-03-05"},
            },
        ),
        BSN,
        s.CODES,
    )
    assert shown.overleden is True
    assert shown.overlijdensdatum is not None
    assert shown.overlijdensdatum.tekst == "03-2024"
    assert shown.geheimhouding_persoonsgegevens is True
    assert shown.opschorting_bijhouding is not None
    assert shown.opschorting_bijhouding.reden == Code(code="O", naam="overlijden")


def parse(body: dict[str, Any]) -> KlantbeeldRequest:
    """As `parse_body` does it: JSON in, `InvalidInput` naming the fields out."""
    try:
        return KlantbeeldRequest.model_validate_json(json.dumps(body))
    except ValidationError as exc:
        raise validation_error(exc) from None


def problems(body: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidInput) as err:
        resolve_request(parse(body), default_page_size=20, max_page_size=50)
    return [p.name for p in err.value.params]


def test_request_by_bsn() -> None:
    subject, paging = resolve_request(parse({"bsn": BSN}), default_page_size=20, max_page_size=50)
    assert (subject.kind, subject.bsn, paging.page, paging.page_size) == ("bsn", BSN, 1, 20)


def test_request_by_kvk_with_vestigingsnummer() -> None:
    body = {"kvkNummer": "69599084", "vestigingsnummer": "000012345678"}
    subject, _ = resolve_request(parse(body), default_page_size=20, max_page_size=50)
    assert (subject.kind, subject.kvk_nummer, subject.vestigingsnummer) == (
        "kvk",
        "69599084",
        "000012345678",
    )


def test_request_with_two_criteria_names_both() -> None:
    assert problems({"bsn": BSN, "partijId": s.PARTIJ}) == ["bsn", "partijId"]


def test_request_without_criteria_names_all_three() -> None:
    assert problems({}) == ["bsn", "kvkNummer", "partijId"]


def test_vestigingsnummer_needs_its_kvk_nummer() -> None:
    assert problems({"bsn": BSN, "vestigingsnummer": "000012345678"}) == ["vestigingsnummer"]


def test_page_size_above_the_maximum_and_a_foreign_cursor_are_named() -> None:
    assert problems({"bsn": BSN, "pageSize": 51, "cursor": "x"}) == ["pageSize", "cursor"]


def test_cursor_fixes_the_page_and_its_size() -> None:
    body = {"bsn": BSN, "cursor": encode_cursor(3, 10)}
    _, paging = resolve_request(parse(body), default_page_size=20, max_page_size=50)
    assert (paging.page, paging.page_size) == (3, 10)
    assert problems({**body, "pageSize": 20}) == ["pageSize"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bsn": "123456789"}, "bsn"),  # fails the 11-proef
        ({"kvkNummer": "1234"}, "kvkNummer"),
        ({"partijId": "not-a-uuid"}, "partijId"),
        ({"bsn": 999993653}, "bsn"),  # a number, not text
        ({"bsn": BSN, "naam": "Jan"}, "naam"),
    ],
)
def test_malformed_fields_are_named(body: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse(body)
    assert [p.name for p in err.value.params] == [field]
