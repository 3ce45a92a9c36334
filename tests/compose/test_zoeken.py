"""Finding the caller, pure part: merging partijen and BRP persons into ranked hits."""

from __future__ import annotations

from typing import Any

import pytest

from bff.compose.zoeken import (
    PartijSearchHit,
    brp_unavailable,
    bsns_of,
    compose_search_result,
    data_subjects,
    merge_hits,
    partij_uuids,
    rank_personen,
    same_emailadres,
)
from bff.compose.zoeken_criteria import telefoonnummer_variants
from bff.upstreams.brp import Persoon
from bff.upstreams.klantinteracties.models import DigitaalAdres, Partij

KI = "http://openklant.test/klantinteracties/api/v1"
BSN_A, BSN_B, BSN_C = "999993653", "999990081", "999971104"
P1 = "11111111-1111-4111-8111-111111111111"
P2 = "22222222-2222-4222-8222-222222222222"
P3 = "33333333-3333-4333-8333-333333333333"


def _ident(soort: str, value: str) -> dict[str, Any]:
    register, objecttype = {
        "bsn": ("brp", "natuurlijk_persoon"),
        "kvk_nummer": ("hr", "niet_natuurlijk_persoon"),
        "vestigingsnummer": ("hr", "vestiging"),
    }[soort]
    return {
        "uuid": "44444444-4444-4444-8444-444444444444",
        "partijIdentificator": {
            "codeObjecttype": objecttype,
            "codeSoortObjectId": soort,
            "objectId": value,
            "codeRegister": register,
        },
    }


def partij(
    uuid: str = P1,
    *,
    bsn: str | None = None,
    kvk: str | None = None,
    geheim: bool = False,
    achternaam: str = "Moulin",
    **extra: Any,
) -> Partij:
    identificatoren = [_ident("bsn", bsn)] if bsn else []
    if kvk:
        identificatoren.append(_ident("kvk_nummer", kvk))
    organisatie = kvk is not None
    body: dict[str, Any] = {
        "uuid": uuid,
        "url": f"{KI}/partijen/{uuid}",
        "soortPartij": "organisatie" if organisatie else "persoon",
        "indicatieActief": True,
        "indicatieGeheimhouding": geheim,
        "partijIdentificatoren": identificatoren,
        "partijIdentificatie": (
            {"naam": "Bakkerij De Korenaar"}
            if organisatie
            else {
                "contactnaam": {
                    "voorletters": "S.",
                    "voornaam": "Suzanne",
                    "voorvoegselAchternaam": "",
                    "achternaam": achternaam,
                }
            }
        ),
        "bezoekadres": {
            "straatnaam": "Boterdiep",
            "huisnummer": 31,
            "huisnummertoevoeging": "",
            "postcode": "3077 AW",
            "stad": "Rotterdam",
            "adresregel1": "",
            "adresregel2": "",
            "adresregel3": "",
            "land": "NL",
        },
        **extra,
    }
    return Partij.model_validate(body)


def persoon(
    bsn: str = BSN_A,
    *,
    naam: str = "Suzanne Moulin",
    geboren: dict[str, Any] | None = None,
    geheim: bool = False,
    overleden: bool = False,
    adressering: dict[str, Any] | None = None,
) -> Persoon:
    body: dict[str, Any] = {
        "burgerservicenummer": bsn,
        "naam": {"volledigeNaam": naam},
        "geboorte": {
            "datum": geboren or {"type": "Datum", "datum": "1985-12-01", "langFormaat": "x"}
        },
        "adressering": adressering
        or {"adresregel1": "Boterdiep 31", "adresregel2": "3077 AW  ROTTERDAM"},
    }
    if geheim:
        body["geheimhoudingPersoonsgegevens"] = True
    if overleden:
        body["opschortingBijhouding"] = {"reden": {"code": "O", "omschrijving": "overlijden"}}
    return Persoon.model_validate(body)


def adres(text: str, partij_uuid: str | None = P1, uuid: str = P3) -> DigitaalAdres:
    return DigitaalAdres.model_validate(
        {
            "uuid": uuid,
            "verstrektDoorPartij": {"uuid": partij_uuid} if partij_uuid else None,
            "adres": text,
            "soortDigitaalAdres": "email",
        }
    )


# -- merging ----------------------------------------------------------------------------


def test_a_partij_and_a_brp_person_with_one_bsn_are_one_hit_from_beide() -> None:
    (hit,) = merge_hits([partij(bsn=BSN_A)], [persoon(BSN_A)])
    assert hit.bron == "beide"
    assert (hit.partij_id, hit.bsn) == (P1, BSN_A)
    assert hit.soort_partij.code == "persoon"
    assert hit.geboortedatum == "1985-12-01"
    assert hit.overleden is False


def test_bron_says_which_source_knew_the_hit() -> None:
    hits = merge_hits(
        [partij(P1, bsn=BSN_A), partij(P2, bsn=BSN_B)], [persoon(BSN_B), persoon(BSN_C)]
    )
    assert {(h.bsn, h.bron) for h in hits} == {
        (BSN_A, "klantinteracties"),
        (BSN_B, "beide"),
        (BSN_C, "brp"),
    }
    assert next(h for h in hits if h.bron == "brp").partij_id is None


def test_merge_keeps_one_hit_per_bsn_and_per_partij() -> None:
    hits = merge_hits(
        [partij(P1, bsn=BSN_A), partij(P1, bsn=BSN_A), partij(P2, bsn=BSN_A)],
        [persoon(BSN_A), persoon(BSN_A)],
    )
    assert [(h.partij_id, h.bron) for h in hits] == [(P1, "beide")]


def test_a_hit_found_in_both_shows_the_brp_naam_and_adres() -> None:
    (hit,) = merge_hits(
        [partij(bsn=BSN_A, achternaam="Oudenaam")],
        [persoon(BSN_A, naam="Suzanne Moulin", adressering={"adresregel1": "Nieuwstraat 1"})],
    )
    assert hit.naam == "Suzanne Moulin"
    assert hit.adres == "Nieuwstraat 1"


def test_a_partij_alone_shows_its_contactnaam_and_bezoekadres_on_one_line() -> None:
    (hit,) = merge_hits([partij(bsn=BSN_A)], [])
    assert hit.naam == "Suzanne Moulin"
    assert hit.adres == "Boterdiep 31, 3077 AW Rotterdam"
    assert hit.geboortedatum is None
    assert hit.overleden is None  # BRP did not say


def test_brp_adres_is_one_line_with_the_land_when_abroad() -> None:
    abroad = {
        "adresregel1": "Bahnhofstrasse 1",
        "land": {"code": "5003", "omschrijving": "Zwitserland"},
    }
    (hit,) = merge_hits([], [persoon(adressering=abroad)])
    assert hit.adres == "Bahnhofstrasse 1, Zwitserland"
    (home,) = merge_hits([], [persoon()])
    assert home.adres == "Boterdiep 31, 3077 AW ROTTERDAM"  # double spaces folded


def test_brp_geheimhouding_is_flagged_and_hides_the_adres_but_not_what_picks_the_person() -> None:
    (hit,) = merge_hits([partij(bsn=BSN_C)], [persoon(BSN_C, geheim=True)])
    assert hit.geheimhouding is True
    assert hit.adres is None
    assert (hit.naam, hit.geboortedatum, hit.bsn, hit.partij_id) == (
        "Suzanne Moulin",
        "1985-12-01",
        BSN_C,
        P1,
    )


def test_partij_geheimhouding_is_flagged_and_hides_the_adres_too() -> None:
    (hit,) = merge_hits([partij(bsn=BSN_A, geheim=True)], [persoon(BSN_A)])
    assert (hit.geheimhouding, hit.adres) == (True, None)


def test_overleden_comes_from_the_opschorting_of_the_bijhouding() -> None:
    (hit,) = merge_hits([], [persoon(overleden=True)])
    assert hit.overleden is True


@pytest.mark.parametrize(
    ("datum", "shown"),
    [
        ({"type": "JaarMaandDatum", "jaar": 1960, "maand": 5}, "1960-05"),
        ({"type": "JaarDatum", "jaar": 1960}, "1960"),
        ({"type": "DatumOnbekend", "onbekend": True}, None),
    ],
)
def test_partial_birth_dates_show_what_brp_knows(datum: dict[str, Any], shown: str | None) -> None:
    (hit,) = merge_hits([], [persoon(geboren=datum)])
    assert hit.geboortedatum == shown


def test_an_organisation_hit_has_kvk_nummer_and_naam() -> None:
    (hit,) = merge_hits([partij(kvk="68750110", bezoekadres=None)], [])
    assert hit.soort_partij.code == "organisatie"
    assert hit.soort_partij.naam == "Organisatie"
    assert (hit.kvk_nummer, hit.naam, hit.bsn) == ("68750110", "Bakkerij De Korenaar", None)
    assert hit.adres is None


# -- ranking, cutting, accounting ----------------------------------------------------------


def _brp_hit(bsn: str, geboren: str, naam: str, *, overleden: bool = False) -> Persoon:
    return persoon(bsn, naam=naam, geboren={"type": "Datum", "datum": geboren}, overleden=overleden)


def test_hits_rank_the_living_and_known_first_then_oldest_then_by_naam() -> None:
    personen = [
        _brp_hit("000000001", "1950-01-01", "Dead Oldest", overleden=True),
        _brp_hit("000000002", "1990-01-01", "Young Unknown"),
        _brp_hit("000000003", "1960-01-01", "Bert Old"),
        _brp_hit("000000004", "1960-01-01", "Anna Old"),
        _brp_hit(BSN_A, "1999-01-01", "Known Youngest"),
    ]
    result = compose_search_result(merge_hits([partij(bsn=BSN_A)], personen), max_hits=20)
    assert [h.naam for h in result.items] == [
        "Known Youngest",
        "Anna Old",
        "Bert Old",
        "Young Unknown",
        "Dead Oldest",
    ]
    assert [p.naam.volledige_naam for p in rank_personen(personen) if p.naam][:2] == [
        "Anna Old",
        "Bert Old",
    ]


def test_the_result_is_cut_to_max_hits_and_says_so() -> None:
    hits = merge_hits([], [persoon(f"00000000{i}", naam=f"P{i}") for i in range(5)])
    result = compose_search_result(hits, max_hits=3, omitted=4)
    assert len(result.items) == 3
    assert (result.count, result.truncated) == (9, True)
    whole = compose_search_result(hits, max_hits=5)
    assert (whole.count, whole.truncated) == (5, False)


def test_warnings_are_passed_on() -> None:
    result = compose_search_result([], max_hits=20, warnings=[brp_unavailable("timeout")])
    assert [(w.upstream, w.reason) for w in result.warnings] == [("brp", "timeout")]
    assert result.model_dump(by_alias=True)["items"] == ()


def test_data_subjects_name_each_hit_once_by_bsn_kvk_or_partij() -> None:
    result = compose_search_result(
        [
            *merge_hits([partij(P1, bsn=BSN_A), partij(P2, kvk="68750110")], [persoon(BSN_B)]),
            PartijSearchHit.model_validate(
                {"bron": "klantinteracties", "partijId": P3, "soortPartij": {"code": "persoon"}}
            ),
        ],
        max_hits=20,
    )
    assert sorted((s.type, s.id) for s in data_subjects(result)) == sorted(
        [("BSN", BSN_A), ("BSN", BSN_B), ("KVK", "68750110"), ("partij", P3)]
    )


# -- digitale adressen --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "variants"),
    [
        ("0612345678", ["0612345678", "+31612345678", "0031612345678"]),
        ("+31612345678", ["0612345678", "+31612345678", "0031612345678"]),
        ("0031201234567", ["0201234567", "+31201234567", "0031201234567"]),
        ("+3212345678", ["+3212345678"]),
    ],
)
def test_a_dutch_phone_number_is_looked_up_in_each_stored_form(
    typed: str, variants: list[str]
) -> None:
    assert telefoonnummer_variants(typed) == variants


def test_emailadres_matches_ignoring_case_but_not_a_longer_address() -> None:
    found = [adres("Suzanne.Moulin@Mail.example"), adres("xsuzanne.moulin@mail.example")]
    assert [a.adres for a in same_emailadres(found, "suzanne.moulin@mail.example")] == [
        "Suzanne.Moulin@Mail.example"
    ]


def test_partijen_of_digitale_adressen_are_distinct_and_in_order() -> None:
    found = [adres("a@b.nl", P2), adres("a@b.nl", P1), adres("a@b.nl", P2), adres("a@b.nl", None)]
    assert partij_uuids(found) == [P2, P1]


def test_only_valid_bsns_of_partijen_go_to_the_brp() -> None:
    assert bsns_of([partij(P1, bsn=BSN_A), partij(P2, bsn="123456789"), partij(P3)]) == [BSN_A]
