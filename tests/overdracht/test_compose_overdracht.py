"""Pure compose of the hand-over: interne taak transitions, views, PATCH bodies, data subjects."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bff.codes import CodeTables, Entry, load_bundled
from bff.compose.internetaken import (
    INTERNE_TAKEN_CURSOR,
    InterneTaakChange,
    Reader,
    check_assignees,
    compose_internetaak,
    compose_page,
    explain_read_only,
    may_handle,
    plan_change,
)
from bff.compose.klantcontact_detail import (
    ActorLink,
    KlantcontactChange,
    data_subjects,
    plan_patch,
)
from bff.compose.paging import Paging, decode_cursor
from bff.errors import InvalidInput, InvalidParam
from bff.etag import internetaak_etag
from bff.upstreams.klantinteracties.models import Actor, InterneTaak, Klantcontact

CODES = CodeTables.build(load_bundled(), kanalen=[Entry("telefoon", "Telefoon")])
KC = "22222222-2222-4222-8222-222222222222"
TAAK = "66666666-6666-4666-8666-666666666666"
ANNA = "55555555-5555-4555-8555-555555555551"
VERG = "55555555-5555-4555-8555-555555555552"
PARTIJ = "11111111-1111-4111-8111-111111111111"
B1 = "33333333-3333-4333-8333-333333333331"
B2 = "33333333-3333-4333-8333-333333333332"
READER = Reader(may_read_vertrouwelijk=True)

ACTOREN = {
    ANNA: Actor(uuid=ANNA, naam="Anna de Vries", soort_actor="medewerker", indicatie_actief=True),
    VERG: Actor(
        uuid=VERG,
        naam="Vergunningen",
        soort_actor="organisatorische_eenheid",
        indicatie_actief=True,
    ),
}


def taak(status: str = "te_verwerken", **extra: Any) -> InterneTaak:
    return InterneTaak.model_validate(
        {
            "uuid": TAAK,
            "gevraagdeHandeling": "Klant terugbellen",
            "aanleidinggevendKlantcontact": {"uuid": KC},
            "toegewezenAanActoren": [{"uuid": ANNA}],
            "toelichting": "",
            "status": status,
            "toegewezenOp": "2026-11-20T10:00:00Z",
            "afgehandeldOp": "2026-11-21T10:00:00Z" if status == "verwerkt" else None,
            **extra,
        }
    )


def betrokkene(uuid: str, partij: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "hadKlantcontact": {"uuid": KC},
        "wasPartij": {"uuid": partij} if partij else None,
        "rol": "klant",
        "initiator": True,
        **extra,
    }


def klantcontact(*betrokkenen: dict[str, Any], **extra: Any) -> Klantcontact:
    return Klantcontact.model_validate(
        {
            "uuid": KC,
            "referentienummer": "4053400001",
            "kanaal": "telefoon",
            "onderwerp": "Dakkapel",
            "inhoud": "Vraag",
            "taal": "nld",
            "vertrouwelijk": False,
            "plaatsgevondenOp": "2026-11-20T09:55:00Z",
            "_expand": {"hadBetrokkenen": list(betrokkenen)},
            **extra,
        }
    )


def change(**body: Any) -> InterneTaakChange:
    return InterneTaakChange.model_validate(body)


def names(exc: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return [p.name for p in exc.value.params]


# -- transitions -------------------------------------------------------------------------


def test_finishing_an_open_taak_sends_only_the_status():
    patch = plan_change(taak(), change(status="verwerkt"))
    assert patch.body() == {"status": "verwerkt"}


def test_reopening_a_finished_taak_sends_only_the_status_afgehandeld_op_is_upstreams():
    patch = plan_change(taak("verwerkt"), change(status="te_verwerken"))
    assert patch.body() == {"status": "te_verwerken"}


@pytest.mark.parametrize("status", ["te_verwerken", "verwerkt"])
def test_the_same_status_again_is_an_invalid_transition(status: str):
    with pytest.raises(InvalidInput) as caught:
        plan_change(taak(status), change(status=status))
    assert names(caught) == ["status"]
    assert caught.value.params[0].code == "invalid-transition"


def test_reassigning_replaces_the_list_each_actor_once():
    patch = plan_change(taak(), change(toegewezenAanActoren=[VERG, ANNA, VERG]))
    assert patch.body() == {"toegewezenAanActoren": [{"uuid": VERG}, {"uuid": ANNA}]}


def test_reassigning_and_reopening_in_one_request_is_allowed():
    patch = plan_change(
        taak("verwerkt"), change(status="te_verwerken", toegewezenAanActoren=[VERG])
    )
    assert patch.body() == {"status": "te_verwerken", "toegewezenAanActoren": [{"uuid": VERG}]}


@pytest.mark.parametrize(
    ("current", "body"),
    [
        ("verwerkt", {"toegewezenAanActoren": [VERG]}),
        ("te_verwerken", {"status": "verwerkt", "toegewezenAanActoren": [VERG]}),
    ],
)
def test_a_verwerkt_result_cannot_be_reassigned(current: str, body: dict[str, Any]):
    with pytest.raises(InvalidInput) as caught:
        plan_change(taak(current), change(**body))
    assert "toegewezenAanActoren" in names(caught)


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({}, "body"),
        ({"status": None}, "status"),
        ({"status": "open"}, "status"),
        ({"toegewezenAanActoren": []}, "toegewezenAanActoren"),
        ({"toegewezenAanActoren": ["anna"]}, "toegewezenAanActoren.0"),
        ({"toegewezenAanActoren": [VERG] * 21}, "toegewezenAanActoren"),
    ],
)
def test_change_bodies_that_cannot_be_valid(body: dict[str, Any], name: str):
    with pytest.raises(ValidationError) as caught:
        InterneTaakChange.model_validate(body)
    locs = [".".join(map(str, e["loc"])) or "body" for e in caught.value.errors()]
    assert locs == [name]


def test_afgehandeld_op_is_explained_as_read_only():
    refused = InvalidInput(
        [InvalidParam("afgehandeldOp", "Unknown field.", "extra_forbidden"), InvalidParam("x", "y")]
    )
    explained = explain_read_only(refused)
    assert [(p.name, p.code) for p in explained.params] == [
        ("afgehandeldOp", "read-only"),
        ("x", "invalid"),
    ]
    assert "status" in explained.params[0].reason


def test_unknown_and_inactive_assignees_are_named_by_position():
    inactive = ACTOREN[VERG].model_copy(update={"indicatie_actief": False})
    with pytest.raises(InvalidInput) as caught:
        check_assignees([ANNA, PARTIJ, VERG], {ANNA: ACTOREN[ANNA], VERG: inactive})
    assert [(p.name, p.code) for p in caught.value.params] == [
        ("toegewezenAanActoren.1", "unknown-actor"),
        ("toegewezenAanActoren.2", "inactive-actor"),
    ]
    check_assignees([ANNA, VERG], ACTOREN)  # all known and active: no error


# -- views -------------------------------------------------------------------------------


def test_an_interne_taak_shows_its_actoren_the_klantcontact_summary_and_its_etag():
    kc = klantcontact(
        betrokkene(B1, None, contactnaam={"voornaam": "Piet", "achternaam": "Onbekend"})
    )
    view = compose_internetaak(
        taak(), codes=CODES, actors_by_uuid=ACTOREN, klantcontact=kc, reader=READER
    )
    body = view.model_dump(mode="json", by_alias=True)
    assert body["etag"] == internetaak_etag(taak())
    assert body["status"] == {"code": "te_verwerken", "naam": "Te verwerken"}
    assert body["toelichting"] is None
    assert body["toegewezenAanActoren"][0]["naam"] == "Anna de Vries"
    assert body["klantcontact"] == {
        "uuid": KC,
        "nummer": None,
        "digitaleAdressen": [],
        "referentienummer": "4053400001",
        "onderwerp": "Dakkapel",
        "klantnaam": "Piet Onbekend",
        "kanaal": {"code": "telefoon", "naam": "Telefoon"},
        "plaatsgevondenOp": "2026-11-20T09:55:00Z",
        "vertrouwelijk": False,
        "geheimhouding": False,
    }


def test_the_klant_is_the_initiating_betrokkene_in_the_rol_of_klant():
    kc = klantcontact(
        betrokkene(B1, None, rol="vertegenwoordiger", volledigeNaam="Wim Wettig"),
        betrokkene(B2, PARTIJ, initiator=False, volledigeNaam="Kees Klant"),
    )
    view = compose_internetaak(
        taak(), codes=CODES, actors_by_uuid=ACTOREN, klantcontact=kc, reader=READER
    )
    assert view.klantcontact is not None
    assert view.klantcontact.klantnaam == "Kees Klant"


def test_a_missing_actor_or_klantcontact_degrades_to_what_is_known():
    view = compose_internetaak(
        taak(), codes=CODES, actors_by_uuid={}, klantcontact=None, reader=READER
    )
    assert view.klantcontact is None
    assert view.toegewezen_aan_actoren[0].uuid == ANNA
    assert view.toegewezen_aan_actoren[0].naam is None


def test_a_page_joins_klantcontacten_and_says_whether_there_is_a_next_page():
    kc = klantcontact(betrokkene(B1, PARTIJ, volledigeNaam="Kees Klant"))
    page = compose_page(
        [taak()],
        codes=CODES,
        actors_by_uuid=ACTOREN,
        klantcontacten={KC: kc},
        reader=READER,
        paging=Paging(page=1, page_size=1),
        count=3,
        has_next=True,
    )
    assert page.next_cursor is not None
    assert decode_cursor(INTERNE_TAKEN_CURSOR, page.next_cursor) == (2, 1)
    assert page.items[0].klantcontact is not None
    with pytest.raises(ValueError, match="cursor"):
        decode_cursor("kb1", page.next_cursor)  # a cursor of one list is refused by another


# -- klantcontact changes and data subjects ----------------------------------------------


def test_a_klantcontact_patch_sends_exactly_the_fields_given():
    assert plan_patch(KlantcontactChange.model_validate({"reactie": "Antwoord"})).body() == {
        "reactie": "Antwoord"
    }
    both = KlantcontactChange.model_validate({"inhoud": "", "reactie": "A"})
    assert plan_patch(both).body() == {"inhoud": "", "reactie": "A"}


def test_the_actor_link_defaults_to_yourself_and_normalises_an_id():
    assert ActorLink.model_validate({}).actor is None
    assert ActorLink.model_validate({"actor": VERG.upper()}).actor == VERG


def test_data_subjects_are_partijen_or_for_an_unknown_caller_the_betrokkene():
    kc = klantcontact(betrokkene(B1, PARTIJ), betrokkene(B2, None), betrokkene(B1, PARTIJ))
    subjects = data_subjects([kc, kc])
    assert [(s.type, s.id) for s in subjects] == [("partij", PARTIJ), ("betrokkene", B2)]


def test_a_confidential_taak_shows_its_toelichting_to_assignees_and_role_holders_only():
    kc = klantcontact(betrokkene(B1, PARTIJ, volledigeNaam="Kees Klant"))
    secret = kc.model_copy(update={"vertrouwelijk": True})
    t = taak(toelichting="Alleen voor Anna.")
    assigned = Reader(may_read_vertrouwelijk=False, actor=ANNA)
    other = Reader(may_read_vertrouwelijk=False, actor=VERG)
    assert may_handle(t, secret, assigned)
    assert may_handle(t, secret, READER)
    assert not may_handle(t, secret, other)
    assert not may_handle(t, secret, Reader(may_read_vertrouwelijk=False))
    assert may_handle(t, kc, other)
    hidden = compose_internetaak(
        t, codes=CODES, actors_by_uuid=ACTOREN, klantcontact=secret, reader=other
    )
    shown = compose_internetaak(
        t, codes=CODES, actors_by_uuid=ACTOREN, klantcontact=secret, reader=assigned
    )
    assert (hidden.toelichting, hidden.etag, hidden.toelichting_verborgen) == (None, None, True)
    assert shown.toelichting == t.toelichting
    assert shown.etag == internetaak_etag(t)
