"""ETag / If-Match: the version fingerprint, header parsing, and the guarded write."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bff.errors import PreconditionFailed, PreconditionRequired
from bff.etag import (
    KeyedLocks,
    conditional_write,
    internetaak_etag,
    klantcontact_etag,
    parse_if_match,
)
from bff.upstreams.klantinteracties.models import Actor, InterneTaak, Klantcontact

KC = "11111111-1111-4111-8111-111111111111"
TAAK = "22222222-2222-4222-8222-222222222222"
A1 = "33333333-3333-4333-8333-333333333333"
A2 = "44444444-4444-4444-8444-444444444444"


def klantcontact(**changes: Any) -> Klantcontact:
    base: dict[str, Any] = {
        "uuid": KC,
        "kanaal": "telefoon",
        "onderwerp": "Parkeervergunning",
        "inhoud": "Vraagt naar de doorlooptijd.",
        "reactie": "",
        "taal": "nld",
        "vertrouwelijk": False,
        "referentienummer": "1234567890",
        "plaatsgevondenOp": "2026-11-20T10:00:00Z",
    }
    return Klantcontact.model_validate({**base, **changes})


def taak(**changes: Any) -> InterneTaak:
    base: dict[str, Any] = {
        "uuid": TAAK,
        "gevraagdeHandeling": "Klant terugbellen",
        "aanleidinggevendKlantcontact": {"uuid": KC},
        "toegewezenAanActoren": [{"uuid": A1}, {"uuid": A2}],
        "status": "te_verwerken",
        "toegewezenOp": "2026-11-20T10:00:00Z",
    }
    return InterneTaak.model_validate({**base, **changes})


def test_klantcontact_etag_is_a_quoted_strong_tag_stable_for_the_same_fields():
    etag = klantcontact_etag(klantcontact())
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert klantcontact_etag(klantcontact()) == etag


@pytest.mark.parametrize(
    "change",
    [
        {"inhoud": "Andere vraag."},
        {"reactie": "Beantwoord."},
        {"onderwerp": "Afvalpas"},
        {"kanaal": "e-mail"},
        {"vertrouwelijk": True},
        {"indicatieContactGelukt": True},
        {"metadata": {"bron": "x"}},
    ],
)
def test_klantcontact_etag_changes_with_every_mutable_field(change):
    assert klantcontact_etag(klantcontact(**change)) != klantcontact_etag(klantcontact())


def test_klantcontact_etag_ignores_relations_such_as_linked_actoren():
    actor = Actor(uuid=A1, naam="Dirk Visser", soort_actor="medewerker")
    with_actor = klantcontact().model_copy(update={"had_betrokken_actoren": (actor,)})
    assert klantcontact_etag(with_actor) == klantcontact_etag(klantcontact())


def test_klantcontact_etag_treats_blank_and_missing_text_alike():
    assert klantcontact_etag(klantcontact(reactie=None)) == klantcontact_etag(klantcontact())


def test_internetaak_etag_changes_with_status_and_assignees_but_not_their_order():
    base = internetaak_etag(taak())
    assert internetaak_etag(taak(toegewezenAanActoren=[{"uuid": A2}, {"uuid": A1}])) == base
    assert internetaak_etag(taak(toegewezenAanActoren=[{"uuid": A1}])) != base
    done = taak(status="verwerkt", afgehandeldOp=datetime(2026, 11, 21, tzinfo=UTC).isoformat())
    assert internetaak_etag(done) != base


def test_an_interne_taak_and_a_klantcontact_never_share_an_etag():
    assert internetaak_etag(taak(uuid=KC)) != klantcontact_etag(klantcontact())


@pytest.mark.parametrize("header", [None, "", "  ", "*", '"abc", *'])
def test_if_match_is_required_and_star_is_refused(header):
    with pytest.raises(PreconditionRequired):
        parse_if_match(header)


def test_if_match_lists_every_tag():
    assert parse_if_match('"a", "b" ,W/"c"') == frozenset({'"a"', '"b"', 'W/"c"'})


async def _guarded(locks: KeyedLocks, tags: frozenset[str], state: dict[str, Any]) -> str:
    async def read() -> str:
        return str(state["value"])

    async def body(current: str) -> dict[str, str]:
        return {"value": current}

    async def write(current: str) -> str:
        await asyncio.sleep(0)  # let the other writer run between read and write
        state["value"] = current + "+"
        return str(state["value"])

    return await conditional_write(
        locks,
        kind="thing",
        key="1",
        tags=tags,
        read=read,
        etag_of=lambda v: f'"{v}"',
        current_body=body,
        write=write,
    )


async def test_conditional_write_refuses_a_stale_tag_with_the_current_version():
    state = {"value": "v2"}
    with pytest.raises(PreconditionFailed) as caught:
        await _guarded(KeyedLocks(), frozenset({'"v1"'}), state)
    assert caught.value.current == {"value": "v2"}
    assert caught.value.headers["ETag"] == '"v2"'
    assert state["value"] == "v2"


async def test_weak_tags_never_match():
    with pytest.raises(PreconditionFailed):
        await _guarded(KeyedLocks(), frozenset({'W/"v1"'}), {"value": "v1"})


async def test_two_writers_with_the_same_tag_one_wins_one_gets_412():
    locks = KeyedLocks()
    state = {"value": "v1"}
    results = await asyncio.gather(
        _guarded(locks, frozenset({'"v1"'}), state),
        _guarded(locks, frozenset({'"v1"'}), state),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["PreconditionFailed", "str"]
    assert state["value"] == "v1+"
    assert len(locks) == 0  # no lock left behind
