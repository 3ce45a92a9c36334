"""Klantinteracties client: actoren, actorklantcontacten, interne taken."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import respx

from bff.upstreams.auth import TokenAuth
from bff.upstreams.klantinteracties import KlantinteractiesClient
from bff.upstreams.klantinteracties.models import ActorIdentificatie, Actoridentificator
from bff.upstreams.klantinteracties.writes import ActorCreate, InterneTaakCreate, InterneTaakPatch
from tests.upstreams import ki_samples as s
from tests.upstreams.conftest import KI, body_of, http_client, invalid_page, page

MIEKE = Actoridentificator(
    object_id="mieke@gemeente.nl",
    code_objecttype="mdw",
    code_register="msei",
    code_soort_object_id="email",
)


@pytest.fixture
async def ki(ki_router: respx.MockRouter) -> AsyncIterator[KlantinteractiesClient]:
    client = KlantinteractiesClient(http_client(ki_router, KI, auth=TokenAuth("t")), timeout_s=5)
    yield client
    await client.aclose()


async def test_find_actoren_by_actoridentificator_filters(ki, ki_router):
    route = ki_router.get("actoren").respond(200, json=page([s.actor()]))
    (found,) = await ki.find_actoren(MIEKE)
    assert found.actor_identificatie is not None
    assert found.actor_identificatie.functie == "KCC"
    assert dict(route.calls.last.request.url.params) == {
        "actoridentificatorObjectId": "mieke@gemeente.nl",
        "actoridentificatorCodeObjecttype": "mdw",
        "actoridentificatorCodeRegister": "msei",
        "actoridentificatorCodeSoortObjectId": "email",
    }


async def test_find_actoren_needs_an_object_id(ki):
    with pytest.raises(ValueError, match="object_id"):
        await ki.find_actoren(Actoridentificator(code_register="msei"))


async def test_get_and_list_actoren(ki, ki_router):
    ki_router.get(f"actoren/{s.ACTOR}").respond(200, json=s.actor())
    route = ki_router.get("actoren").respond(200, json=page([s.actor()]))
    assert (await ki.get_actor(s.ACTOR)).soort_actor == "medewerker"
    await ki.list_actoren(naam="Team Burgerzaken", soort_actor="organisatorische_eenheid")
    assert dict(route.calls.last.request.url.params) == {
        "naam": "Team Burgerzaken",
        "soortActor": "organisatorische_eenheid",
    }


async def test_create_actor_medewerker(ki, ki_router):
    route = ki_router.post("actoren").respond(201, json=s.actor())
    await ki.create_actor(
        ActorCreate(
            naam="Mieke Medewerker",
            soort_actor="medewerker",
            actoridentificator=MIEKE,
            actor_identificatie=ActorIdentificatie(functie="KCC", telefoonnummer="0201234567"),
        )
    )
    assert body_of(route) == {
        "naam": "Mieke Medewerker",
        "soortActor": "medewerker",
        "indicatieActief": True,
        "actoridentificator": MIEKE.model_dump(by_alias=True),
        "actorIdentificatie": {"functie": "KCC", "telefoonnummer": "0201234567"},
    }


def test_a_medewerker_identificatie_needs_functie_and_telefoonnummer():
    with pytest.raises(ValueError, match="telefoonnummer"):
        ActorCreate(
            naam="X", soort_actor="medewerker", actor_identificatie=ActorIdentificatie(functie="K")
        )


async def test_actorklantcontacten_create_and_list(ki, ki_router):
    link = {
        "uuid": "abababab-abab-4bab-8bab-abababababab",
        "url": f"{KI}/actorklantcontacten/abababab-abab-4bab-8bab-abababababab",
        "actor": s.ref("actoren", s.ACTOR),
        "klantcontact": s.ref("klantcontacten", s.KLANTCONTACT),
    }
    post = ki_router.post("actorklantcontacten").respond(201, json=link)
    get = ki_router.get("actorklantcontacten").respond(200, json=page([link]))
    await ki.create_actorklantcontact(actor_uuid=s.ACTOR, klantcontact_uuid=s.KLANTCONTACT)
    (found,) = await ki.list_actorklantcontacten(klantcontact_uuid=s.KLANTCONTACT)
    assert found.actor.uuid == s.ACTOR
    assert body_of(post) == {"actor": {"uuid": s.ACTOR}, "klantcontact": {"uuid": s.KLANTCONTACT}}
    assert dict(get.calls.last.request.url.params) == {"klantcontact__uuid": s.KLANTCONTACT}


async def test_internetaken_page_with_filters(ki, ki_router):
    route = ki_router.get("internetaken").respond(200, json=page([s.internetaak()], count=1))
    result = await ki.internetaken_page(
        toegewezen_aan_actor_uuid=s.ACTOR, status="te_verwerken", page=1, page_size=50
    )
    assert result.count == 1
    assert result.items[0].toegewezen_aan_actoren[0].uuid == s.ACTOR
    assert dict(route.calls.last.request.url.params) == {
        "toegewezenAanActor__uuid": s.ACTOR,
        "status": "te_verwerken",
        "page": "1",
        "pageSize": "50",
    }


async def test_internetaken_page_past_the_end_is_empty(ki, ki_router):
    ki_router.get("internetaken").mock(return_value=invalid_page())
    result = await ki.internetaken_page(aanleidinggevend_klantcontact_uuid=s.KLANTCONTACT, page=3)
    assert (result.items, result.count, result.has_next) == ([], None, False)


async def test_internetaak_get_create_patch(ki, ki_router):
    get = ki_router.get(f"internetaken/{s.TAAK}").respond(200, json=s.internetaak())
    post = ki_router.post("internetaken").respond(201, json=s.internetaak())
    patch = ki_router.patch(f"internetaken/{s.TAAK}").respond(
        200, json=s.internetaak(status="verwerkt", afgehandeldOp="2026-11-03T08:00:00Z")
    )
    assert (await ki.get_internetaak(s.TAAK)).gevraagde_handeling == "Terugbellen"
    await ki.create_internetaak(
        InterneTaakCreate(
            aanleidinggevend_klantcontact=s.KLANTCONTACT,
            gevraagde_handeling="Terugbellen",
            toegewezen_aan_actoren=[s.ACTOR],
        )
    )
    done = await ki.patch_internetaak(s.TAAK, InterneTaakPatch(status="verwerkt"))
    assert done.afgehandeld_op is not None
    assert get.called
    assert body_of(post) == {
        "aanleidinggevendKlantcontact": {"uuid": s.KLANTCONTACT},
        "gevraagdeHandeling": "Terugbellen",
        "toegewezenAanActoren": [{"uuid": s.ACTOR}],
        "status": "te_verwerken",
    }
    assert body_of(patch) == {"status": "verwerkt"}


def test_interne_taak_patch_refuses_afgehandeld_op_while_te_verwerken():
    from datetime import UTC, datetime

    with pytest.raises(ValueError, match="afgehandeld_op"):
        InterneTaakPatch(status="te_verwerken", afgehandeld_op=datetime(2026, 1, 1, tzinfo=UTC))
