"""Klantinteracties client: klantcontacten, maak-klantcontact, betrokkenen, onderwerpobjecten,
bijlagen, and the expand builder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import respx
from structlog.testing import capture_logs

from bff.errors import NotFound
from bff.upstreams.auth import TokenAuth
from bff.upstreams.klantinteracties import (
    KLANTCONTACT_EXPAND,
    PARTIJ_EXPAND,
    KlantinteractiesClient,
    build_expand,
)
from bff.upstreams.klantinteracties.models import (
    Bijlageidentificator,
    Contactnaam,
    Onderwerpobjectidentificator,
    PartijIdentificatorGroepType,
)
from bff.upstreams.klantinteracties.writes import (
    BetrokkeneCreate,
    BijlageCreate,
    KlantcontactCreate,
    KlantcontactPatch,
    MaakBetrokkene,
    MaakKlantcontact,
    MaakOnderwerpobject,
    OnderwerpobjectCreate,
)
from tests.upstreams import ki_samples as s
from tests.upstreams.conftest import KI, body_of, http_client, invalid_page, page

ZAAK = Onderwerpobjectidentificator(
    object_id="0f1e2d3c-0000-4000-8000-00000000abcd",
    code_objecttype="zaak",
    code_register="open-zaak",
    code_soort_object_id="uuid",
)


@pytest.fixture
async def ki(ki_router: respx.MockRouter) -> AsyncIterator[KlantinteractiesClient]:
    client = KlantinteractiesClient(http_client(ki_router, KI, auth=TokenAuth("t")), timeout_s=5)
    yield client
    await client.aclose()


def test_build_expand_lists_every_parent_before_its_child():
    assert (
        build_expand(["hadBetrokkenen.wasPartij", "omvatteBijlagen"], KLANTCONTACT_EXPAND)
        == "hadBetrokkenen,hadBetrokkenen.wasPartij,omvatteBijlagen"
    )


def test_build_expand_does_not_repeat_a_parent():
    assert (
        build_expand(
            ["hadBetrokkenen", "hadBetrokkenen.wasPartij", "hadBetrokkenen.digitaleAdressen"],
            KLANTCONTACT_EXPAND,
        )
        == "hadBetrokkenen,hadBetrokkenen.wasPartij,hadBetrokkenen.digitaleAdressen"
    )


def test_build_expand_of_nothing_sends_no_expand():
    assert build_expand([], PARTIJ_EXPAND) is None


def test_build_expand_refuses_names_the_resource_does_not_have():
    with pytest.raises(ValueError, match="wasPartij"):
        build_expand(["wasPartij"], KLANTCONTACT_EXPAND)


async def test_klantcontacten_page_of_a_partij_by_uuid(ki, ki_router):
    body = s.klantcontact(
        _expand={
            "hadBetrokkenen": [s.betrokkene(_expand={"wasPartij": s.partij()})],
            "gingOverOnderwerpobjecten": [s.onderwerpobject()],
        }
    )
    route = ki_router.get("klantcontacten").respond(
        200, json=page([body], next_url=f"{KI}/klantcontacten?page=3", count=41)
    )
    result = await ki.klantcontacten_page(
        partij_uuid=s.PARTIJ,
        page=2,
        page_size=20,
        expand=["hadBetrokkenen.wasPartij", "gingOverOnderwerpobjecten"],
    )
    assert dict(route.calls.last.request.url.params) == {
        "hadBetrokkene__wasPartij__uuid": s.PARTIJ,
        "expand": "hadBetrokkenen,hadBetrokkenen.wasPartij,gingOverOnderwerpobjecten",
        "page": "2",
        "pageSize": "20",
    }
    assert (result.count, result.has_next) == (41, True)
    (kc,) = result.items
    assert kc.plaatsgevonden_op == datetime(2026, 11, 2, 9, 15, tzinfo=UTC)
    assert kc.had_betrokken_actoren[0].naam == "Mieke Medewerker"
    assert kc.expand is not None
    assert kc.expand.had_betrokkenen is not None
    betrokkene_expand = kc.expand.had_betrokkenen[0].expand
    assert betrokkene_expand is not None
    assert betrokkene_expand.was_partij is not None
    assert betrokkene_expand.was_partij.uuid == s.PARTIJ
    assert kc.expand.ging_over_onderwerpobjecten is not None
    identificator = kc.expand.ging_over_onderwerpobjecten[0].onderwerpobjectidentificator
    assert identificator is not None
    assert identificator.code_objecttype == "zaak"


async def test_klantcontacten_page_by_partij_identificator_sends_all_four(ki, ki_router):
    route = ki_router.get("klantcontacten").respond(200, json=page([]))
    await ki.klantcontacten_page(
        partij_identificator=PartijIdentificatorGroepType.model_validate(s.BSN_IDENTIFICATOR)
    )
    params = dict(route.calls.last.request.url.params)
    prefix = "hadBetrokkene__wasPartij__partijIdentificator__"
    assert params == {
        f"{prefix}codeRegister": "brp",
        f"{prefix}codeObjecttype": "natuurlijk_persoon",
        f"{prefix}codeSoortObjectId": "bsn",
        f"{prefix}objectId": "999993653",
        "page": "1",
        "pageSize": "20",
    }


async def test_klantcontacten_page_past_the_end_is_an_empty_page(ki, ki_router):
    ki_router.get("klantcontacten").mock(return_value=invalid_page())
    result = await ki.klantcontacten_page(partij_uuid=s.PARTIJ, page=7)
    assert result.items == []
    assert result.count is None
    assert result.has_next is False


async def test_klantcontacten_page_needs_exactly_one_partij_filter(ki):
    with pytest.raises(ValueError, match="exactly one"):
        await ki.klantcontacten_page()


async def test_get_klantcontact_logs_the_template_only(ki, ki_router):
    ki_router.get(f"klantcontacten/{s.KLANTCONTACT}").respond(200, json=s.klantcontact())
    with capture_logs() as logs:
        kc = await ki.get_klantcontact(s.KLANTCONTACT)
    assert kc.referentienummer == "1234567"
    assert [e["path"] for e in logs if e["event"] == "upstream_call"] == ["klantcontacten/{uuid}"]


async def test_get_klantcontact_unknown_is_not_found(ki, ki_router):
    ki_router.get(f"klantcontacten/{s.KLANTCONTACT}").respond(
        404, json={"detail": "Niet gevonden.", "code": "not_found"}
    )
    with pytest.raises(NotFound):
        await ki.get_klantcontact(s.KLANTCONTACT)


async def test_find_klantcontact_by_referentienummer(ki, ki_router):
    route = ki_router.get("klantcontacten").respond(200, json=page([s.klantcontact()]))
    found = await ki.find_klantcontact("1234567")
    assert found is not None
    assert route.calls.last.request.url.params["referentienummer"] == "1234567"


async def test_patch_klantcontact_sends_only_what_was_set(ki, ki_router):
    route = ki_router.patch(f"klantcontacten/{s.KLANTCONTACT}").respond(200, json=s.klantcontact())
    await ki.patch_klantcontact(s.KLANTCONTACT, KlantcontactPatch(reactie="Teruggebeld"))
    assert body_of(route) == {"reactie": "Teruggebeld"}


def test_klantcontact_cannot_be_gelukt_with_verdere_actie():
    with pytest.raises(ValueError, match="verdere_actie_ondernomen"):
        KlantcontactPatch(indicatie_contact_gelukt=True, verdere_actie_ondernomen=True)


async def test_delete_klantcontact_is_idempotent(ki, ki_router):
    ki_router.delete(f"klantcontacten/{s.KLANTCONTACT}").mock(
        side_effect=[
            respx.MockResponse(204),
            respx.MockResponse(404, json={"detail": "Niet gevonden.", "code": "not_found"}),
        ]
    )
    assert await ki.delete_klantcontact(s.KLANTCONTACT) is True
    assert await ki.delete_klantcontact(s.KLANTCONTACT) is False


async def test_maak_klantcontact_posts_the_three_parts_at_once(ki, ki_router):
    route = ki_router.post("maak-klantcontact").respond(
        201,
        json={
            "klantcontact": s.klantcontact(),
            "betrokkene": s.betrokkene(),
            "onderwerpobject": s.onderwerpobject(),
        },
    )
    result = await ki.maak_klantcontact(
        MaakKlantcontact(
            klantcontact=KlantcontactCreate(
                kanaal="telefoon",
                onderwerp="Paspoort aanvragen",
                taal="nld",
                vertrouwelijk=False,
                indicatie_contact_gelukt=True,
                plaatsgevonden_op=datetime(2026, 11, 2, 9, 15, tzinfo=UTC),
                referentienummer="1234567",
            ),
            betrokkene=MaakBetrokkene(was_partij=s.PARTIJ, contactnaam=Contactnaam(voornaam="Jan")),
            onderwerpobject=MaakOnderwerpobject(onderwerpobjectidentificator=ZAAK),
        )
    )
    assert result.betrokkene is not None
    assert result.klantcontact.uuid == s.KLANTCONTACT
    assert body_of(route) == {
        "klantcontact": {
            "kanaal": "telefoon",
            "onderwerp": "Paspoort aanvragen",
            "taal": "nld",
            "vertrouwelijk": False,
            "indicatieContactGelukt": True,
            "plaatsgevondenOp": "2026-11-02T09:15:00Z",
            "referentienummer": "1234567",
        },
        "betrokkene": {
            "wasPartij": {"uuid": s.PARTIJ},
            "rol": "klant",
            "initiator": True,
            "contactnaam": {"voornaam": "Jan"},
        },
        "onderwerpobject": {"onderwerpobjectidentificator": ZAAK.model_dump(by_alias=True)},
    }


async def test_create_and_list_betrokkenen(ki, ki_router):
    post = ki_router.post("betrokkenen").respond(201, json=s.betrokkene())
    get = ki_router.get("betrokkenen").respond(200, json=page([s.betrokkene()]))
    await ki.create_betrokkene(BetrokkeneCreate(had_klantcontact=s.KLANTCONTACT, was_partij=None))
    found = await ki.list_betrokkenen(partij_uuid=s.PARTIJ, expand=["digitaleAdressen"])
    assert found[0].rol == "klant"
    assert found[0].organisatienaam is None  # Open Klant's "" for unset text
    assert body_of(post) == {
        "hadKlantcontact": {"uuid": s.KLANTCONTACT},
        "rol": "klant",
        "initiator": True,
    }
    assert dict(get.calls.last.request.url.params) == {
        "wasPartij__uuid": s.PARTIJ,
        "expand": "digitaleAdressen",
    }


async def test_get_betrokkene_by_uuid(ki, ki_router):
    ki_router.get(f"betrokkenen/{s.BETROKKENE}").respond(200, json=s.betrokkene())
    assert (await ki.get_betrokkene(s.BETROKKENE)).initiator is True


async def test_onderwerpobjecten_create_and_list_by_klantcontact(ki, ki_router):
    post = ki_router.post("onderwerpobjecten").respond(201, json=s.onderwerpobject())
    get = ki_router.get("onderwerpobjecten").respond(200, json=page([s.onderwerpobject()]))
    await ki.create_onderwerpobject(
        OnderwerpobjectCreate(klantcontact=s.KLANTCONTACT, onderwerpobjectidentificator=ZAAK)
    )
    assert len(await ki.list_onderwerpobjecten(s.KLANTCONTACT)) == 1
    assert body_of(post)["klantcontact"] == {"uuid": s.KLANTCONTACT}
    assert get.calls.last.request.url.params["klantcontact__uuid"] == s.KLANTCONTACT


async def test_bijlagen_create_and_list_by_klantcontact(ki, ki_router):
    post = ki_router.post("bijlagen").respond(201, json=s.bijlage())
    get = ki_router.get("bijlagen").respond(200, json=page([s.bijlage()]))
    ident = Bijlageidentificator(
        object_id="0f1e2d3c-0000-4000-8000-00000000beef",
        code_objecttype="productaanvraag",
        code_register="objecten",
        code_soort_object_id="uuid",
    )
    created = await ki.create_bijlage(
        BijlageCreate(was_bijlage_van_klantcontact=s.KLANTCONTACT, bijlageidentificator=ident)
    )
    assert created.bijlageidentificator == ident
    assert len(await ki.list_bijlagen(s.KLANTCONTACT)) == 1
    assert body_of(post) == {
        "wasBijlageVanKlantcontact": {"uuid": s.KLANTCONTACT},
        "bijlageidentificator": ident.model_dump(by_alias=True),
    }
    assert get.calls.last.request.url.params["klantcontact__uuid"] == s.KLANTCONTACT
