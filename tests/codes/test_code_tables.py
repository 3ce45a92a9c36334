"""Reference lists: naming with and without validity, fallbacks, alpha-2 landen, enums."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bff.codes import CodeTables, Entry, entries_from_items, load_bundled
from bff.compose.base import Code
from bff.upstreams.referentielijsten import Item

BUNDLED = load_bundled()

KANALEN = (
    Entry("telefoon", "Telefoon", date(2020, 1, 1)),
    Entry("fax", "Fax", date(2020, 1, 1), date(2024, 1, 1)),
    Entry("videobellen", "Videobellen", date(2027, 1, 1)),
)


@pytest.fixture
def tables() -> CodeTables:
    return CodeTables.build(BUNDLED, kanalen=KANALEN)


def test_unknown_code_is_shown_with_naam_null_not_an_error(tables: CodeTables) -> None:
    assert tables.kanaal("postduif") == Code(code="postduif", naam=None)
    assert tables.taal("xx") == Code(code="xx", naam=None)
    assert tables.land("ZZ") == Code(code="ZZ", naam=None)
    assert tables.rol("onbekend") == Code(code="onbekend", naam=None)


def test_expired_kanaal_is_still_named_but_not_valid_after_its_end(tables: CodeTables) -> None:
    assert tables.kanaal("fax") == Code(code="fax", naam="Fax")
    assert tables.is_valid_kanaal("fax", date(2023, 12, 31))
    assert not tables.is_valid_kanaal("fax", date(2024, 1, 1))  # einddatum is exclusive


def test_kanaal_is_not_valid_before_its_begin(tables: CodeTables) -> None:
    assert tables.kanaal("videobellen").naam == "Videobellen"
    assert not tables.is_valid_kanaal("videobellen", date(2026, 12, 31))
    assert tables.is_valid_kanaal("videobellen", date(2027, 1, 1))


def test_lookup_ignores_case_and_spaces_but_keeps_the_code_as_given(tables: CodeTables) -> None:
    assert tables.kanaal(" Telefoon") == Code(code=" Telefoon", naam="Telefoon")
    assert tables.is_valid_kanaal("TELEFOON", date(2026, 1, 1))
    assert not tables.is_valid_kanaal("postduif", date(2026, 1, 1))


def test_talen_fall_back_to_the_bundled_iso_639_2_list_with_dutch_names(
    tables: CodeTables,
) -> None:
    assert tables.taal("nld").naam == "Nederlands"
    assert tables.taal("eng").naam == "Engels"
    assert tables.is_valid_taal("nld", date(2026, 1, 1))


def test_iso_639_1_and_bibliographic_taal_codes_are_named_but_never_valid(
    tables: CodeTables,
) -> None:
    assert tables.taal("nl").naam == "Nederlands"
    assert tables.taal("dut").naam == "Nederlands"
    assert not tables.is_valid_taal("nl", date(2026, 1, 1))
    assert not tables.is_valid_taal("dut", date(2026, 1, 1))


def test_a_taal_table_from_referentielijsten_replaces_the_bundled_one() -> None:
    made = CodeTables.build(BUNDLED, talen=[Entry("nld", "Nederlands (NL)"), Entry("fry", "Fries")])
    assert made.taal("nld").naam == "Nederlands (NL)"
    assert made.taal("eng").naam is None
    assert made.taal("nl").naam == "Nederlands (NL)"  # the alias still points at nld


def test_land_accepts_tabel_34_and_iso_alpha_2(tables: CodeTables) -> None:
    assert tables.land("6030") == Code(code="6030", naam="Nederland")
    assert tables.land("NL") == Code(code="NL", naam="Nederland")
    assert tables.land("nl").naam == "Nederland"
    assert tables.land("5002").naam == tables.land("FR").naam == "Frankrijk"


def test_historic_tabel_34_land_is_named(tables: CodeTables) -> None:
    assert tables.land("5004").naam == "Rhodesië"


def test_alpha_2_is_named_like_the_land_table_from_referentielijsten() -> None:
    made = CodeTables.build(BUNDLED, landen=[Entry("6030", "Nederland (tabel)")])
    assert made.land("NL").naam == "Nederland (tabel)"
    assert made.land("FR").naam == "Frankrijk"  # not in that table: the bundled mapping's name


def test_alpha_2_of_a_current_country_is_valid_though_its_tabel_34_code_has_ended() -> None:
    tabel34 = [Entry("6029", "Duitsland", None, date(1991, 6, 1)), Entry("6030", "Nederland")]
    made = CodeTables.build(BUNDLED, landen=tabel34)
    today = date(2026, 1, 1)

    assert not made.landen.is_valid("6029", today)  # the Tabel 34 code itself stays ended
    assert made.landen.is_valid("DE", today)  # Germany, as Open Klant stores it
    assert made.land("DE").naam == "Duitsland"


def test_fixed_enums_have_dutch_labels(tables: CodeTables) -> None:
    assert tables.soort_digitaal_adres("email").naam == "E-mail"
    assert tables.soort_digitaal_adres("telefoonnummer").naam == "Telefoonnummer"
    assert tables.internetaak_status("te_verwerken").naam == "Te verwerken"
    assert tables.internetaak_status("verwerkt").naam == "Verwerkt"
    assert tables.soort_actor("organisatorische_eenheid").naam == "Organisatorische eenheid"
    assert tables.soort_actor("geautomatiseerde_actor").naam == "Geautomatiseerde actor"
    assert tables.soort_partij("contactpersoon").naam == "Contactpersoon"
    assert tables.rol("vertegenwoordiger").naam == "Vertegenwoordiger"


def test_referentielijsten_items_count_by_their_utc_date() -> None:
    (entry,) = entries_from_items(
        [
            Item(
                code="fax",
                naam="Fax",
                begindatum_geldigheid=datetime(2020, 1, 1, tzinfo=UTC),
                einddatum_geldigheid=datetime(2024, 1, 1, tzinfo=UTC),
            )
        ]
    )
    assert entry == Entry("fax", "Fax", date(2020, 1, 1), date(2024, 1, 1))
