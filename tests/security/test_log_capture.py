"""The log capture itself: it sees every event, finds personal values, and fails the test."""

from __future__ import annotations

import pytest

from bff.logs import get_logger
from tests.helpers.harness import DEMO_BSN, start_bff
from tests.helpers.logcapture import capturing_logs
from tests.helpers.personal_data import PersonalValue, demo_personal_values

log = get_logger("tests.security")


def test_demo_values_hold_every_kind_of_personal_data() -> None:
    values = demo_personal_values()
    kinds = {v.kind for v in values}
    assert values.kind_of(DEMO_BSN) == "bsn"
    assert values.kind_of("Moulin") == "geslachtsnaam"
    assert values.kind_of("Suzanne") == "voornaam"
    assert values.kind_of("suzanne.moulin@mail.example") == "email"
    assert values.kind_of("Boterdiep 31") == "straat en huisnummer"
    assert values.kind_of("3077AW") == values.kind_of("3077 AW") == "postcode"
    assert {
        "telefoonnummer",
        "klantcontact inhoud",
        "klantcontact reactie",
        "klantcontact onderwerp",
        "partij naam",
        "kvk_nummer",
    } <= kinds


def test_an_event_with_a_bsn_fails_naming_the_event() -> None:
    with capturing_logs() as logs:
        log.info("caller_identified", note=f"belt voor {DEMO_BSN}")
    with pytest.raises(AssertionError, match="caller_identified") as err:
        logs.assert_no_personal_data()
    assert "bsn" in str(err.value)


def test_exception_text_and_debug_events_are_checked_too() -> None:
    with capturing_logs() as logs:
        log.debug("debug_detail", adres="suzanne.moulin@mail.example")
        try:
            raise ValueError("Boterdiep 31 is not a valid adres")
        except ValueError:
            log.exception("unhandled_error")
    assert [leak.event for leak in logs.leaks()] == ["debug_detail", "unhandled_error"]


def test_a_bsn_inside_an_id_or_a_field_name_is_no_leak() -> None:
    with capturing_logs() as logs:
        log.info(
            "upstream_call",
            trace_id=f"0a{DEMO_BSN}0b0c0d0e0f00112233445566",
            path="partijen/{uuid}",
            field="geslachtsnaam",
        )
    assert logs.leaks() == []


def test_typed_values_can_be_added_to_the_demo_values() -> None:
    typed = PersonalValue("typed naam", "Wilhelmina Zwanenburg")
    with capturing_logs() as logs:
        log.warning("search_failed", criteria="naam=Wilhelmina Zwanenburg")
    assert logs.leaks() == []
    assert [leak.values for leak in logs.leaks(demo_personal_values().plus(typed))] == [[typed]]


async def test_start_bff_fails_a_test_whose_app_logged_personal_data() -> None:
    names: list[str] = []

    async def careless_test() -> None:
        async with start_bff() as bff:
            await bff.client.get("/health")
            get_logger("bff.http").info("careless_event", naam="Suzanne Moulin")
            names.extend(bff.logs.names())

    with pytest.raises(AssertionError, match="personal data in 1 log line"):
        await careless_test()
    assert names == ["request", "careless_event"]


async def test_start_bff_captures_the_request_lines_of_the_app() -> None:
    async with start_bff() as bff:
        await bff.client.get("/api/v1/registraties/x", headers=bff.auth())
    requests = [e for e in bff.logs.events if e.get("event") == "request"]
    assert [(e["route"], e["status"]) for e in requests] == [("/api/v1/registraties/{id}", 404)]
