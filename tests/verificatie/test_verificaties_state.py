"""The verification state: bound to medewerker and person, expiring, and the lock per person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bff.privacy.pseudonym import Pseudonymiser
from bff.settings import VerificatieSettings
from bff.verificaties import Verificaties

BSN, OTHER = "999993653", "999995571"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def verificaties(clock: Clock, **settings: float) -> Verificaties:
    cfg = VerificatieSettings.model_validate(
        {"max_failures": 2, "failure_window_s": 60, "lockout_s": 300, "geldig_s": 600, **settings}
    )
    return Verificaties(cfg, Pseudonymiser("test-key"), clock=clock)


def test_a_verification_holds_for_its_medewerker_and_person_until_it_expires() -> None:
    clock = Clock()
    state = verificaties(clock)
    made = state.record(BSN, "mdw-anna", geverifieerd=True).verificatie
    assert made is not None
    assert BSN not in made.persoon
    assert state.geldig(made.id, "mdw-anna", bsn=BSN)
    assert not state.geldig(made.id, "mdw-bram", bsn=BSN)
    assert not state.geldig(made.id, "mdw-anna", bsn=OTHER)
    assert not state.geldig(None, "mdw-anna", bsn=BSN)
    clock.advance(601)
    assert not state.geldig(made.id, "mdw-anna", bsn=BSN)


def test_failures_within_the_window_lock_the_person_for_the_lockout() -> None:
    clock = Clock()
    state = verificaties(clock)
    assert state.record(BSN, "mdw-anna", geverifieerd=False).pogingen_over == 1
    assert state.locked_until(BSN) is None
    assert state.record(BSN, "mdw-bram", geverifieerd=False).pogingen_over == 0
    assert state.locked_until(BSN) == clock.now + timedelta(seconds=300)
    assert state.locked_until(OTHER) is None
    clock.advance(301)
    assert state.locked_until(BSN) is None
    assert state.record(BSN, "mdw-anna", geverifieerd=False).pogingen_over == 1


def test_failures_outside_the_window_do_not_add_up() -> None:
    clock = Clock()
    state = verificaties(clock)
    state.record(BSN, "mdw-anna", geverifieerd=False)
    clock.advance(61)
    assert state.record(BSN, "mdw-anna", geverifieerd=False).pogingen_over == 1
    assert state.locked_until(BSN) is None


def test_a_success_clears_the_failures_of_that_person() -> None:
    clock = Clock()
    state = verificaties(clock)
    state.record(BSN, "mdw-anna", geverifieerd=False)
    state.record(BSN, "mdw-anna", geverifieerd=True)
    assert state.record(BSN, "mdw-anna", geverifieerd=False).pogingen_over == 1


def test_a_partij_bound_under_a_verification_counts_as_that_person() -> None:
    clock = Clock()
    state = verificaties(clock)
    made = state.record(BSN, "mdw-anna", geverifieerd=True).verificatie
    assert made is not None
    assert not state.geldig(made.id, "mdw-anna", partij="partij-1")
    state.bind_partij(made.id, "partij-1")
    assert state.geldig(made.id, "mdw-anna", partij="partij-1")
    assert not state.geldig(made.id, "mdw-bram", partij="partij-1")
    state.bind_partij("not-made", "partij-2")
    assert not state.geldig("not-made", "mdw-anna", partij="partij-2")


def test_an_id_holds_in_every_process_with_the_key_and_nowhere_else() -> None:
    clock = Clock()
    made = verificaties(clock).record(BSN, "mdw-anna", geverifieerd=True).verificatie
    assert made is not None
    assert BSN not in made.id
    assert "mdw-anna" not in made.id
    other_worker = verificaties(clock)
    assert other_worker.geldig(made.id, "mdw-anna", bsn=BSN)
    other_key = Verificaties(VerificatieSettings(), Pseudonymiser("another-key"), clock=clock)
    assert not other_key.geldig(made.id, "mdw-anna", bsn=BSN)
    version, body, mac = made.id.split(".")
    tampered = f"{version}.{body[:-2]}AA.{mac}"
    assert not other_worker.geldig(tampered, "mdw-anna", bsn=BSN)
    assert not other_worker.geldig("v1.x.y", "mdw-anna", bsn=BSN)
