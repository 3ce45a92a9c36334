"""Klantinteracties client: partijen, partij-identificatoren, digitale adressen, probe."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import respx

from bff.errors import NotFound, UpstreamRejected
from bff.upstreams.auth import TokenAuth
from bff.upstreams.klantinteracties import DuplicatePartijIdentificator, KlantinteractiesClient
from bff.upstreams.klantinteracties.models import (
    Contactnaam,
    Partij,
    PartijIdentificatorGroepType,
)
from bff.upstreams.klantinteracties.writes import (
    DigitaalAdresCreate,
    DigitaalAdresPatch,
    PartijCreate,
    PartijIdentificatieWrite,
    PartijIdentificatorCreate,
    PartijPatch,
)
from tests.upstreams import ki_samples as s
from tests.upstreams.conftest import KI, body_of, http_client, page

BSN = PartijIdentificatorGroepType.model_validate(s.BSN_IDENTIFICATOR)


def loaded_partij() -> Partij:
    """A partij as the caller has it loaded before patching."""
    return Partij.model_validate(s.partij())


@pytest.fixture
async def ki(ki_router: respx.MockRouter) -> AsyncIterator[KlantinteractiesClient]:
    client = KlantinteractiesClient(
        http_client(ki_router, KI, auth=TokenAuth("ki-token")), timeout_s=5
    )
    yield client
    await client.aclose()


async def test_find_partij_sends_all_four_identificator_filters_and_token(ki, ki_router):
    route = ki_router.get("partijen").respond(200, json=page([s.partij()]))
    found = await ki.find_partij(BSN)
    assert found is not None
    assert found.uuid == s.PARTIJ
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Token ki-token"
    assert dict(request.url.params) == {
        "partijIdentificator__codeRegister": "brp",
        "partijIdentificator__codeObjecttype": "natuurlijk_persoon",
        "partijIdentificator__codeSoortObjectId": "bsn",
        "partijIdentificator__objectId": "999993653",
    }


async def test_find_partij_returns_none_when_nothing_matches(ki, ki_router):
    ki_router.get("partijen").respond(200, json=page([]))
    assert await ki.find_partij(BSN) is None


async def test_get_partij_expands_with_parents_and_parses_expand(ki, ki_router):
    body = s.partij(
        _expand={
            "digitaleAdressen": [s.digitaal_adres()],
            "betrokkenen": [s.betrokkene(_expand={"hadKlantcontact": s.klantcontact()})],
        }
    )
    route = ki_router.get(f"partijen/{s.PARTIJ}").respond(200, json=body)
    partij = await ki.get_partij(
        s.PARTIJ, expand=["betrokkenen.hadKlantcontact", "digitaleAdressen"]
    )
    params = route.calls.last.request.url.params
    assert params["expand"] == "betrokkenen,betrokkenen.hadKlantcontact,digitaleAdressen"
    assert partij.expand is not None
    assert partij.expand.digitale_adressen is not None
    assert partij.expand.digitale_adressen[0].adres == "jan@example.nl"
    assert partij.expand.betrokkenen is not None
    expanded = partij.expand.betrokkenen[0].expand
    assert expanded is not None
    assert expanded.had_klantcontact is not None
    assert expanded.had_klantcontact.onderwerp == "Paspoort aanvragen"
    assert partij.partij_identificatie is not None
    assert partij.partij_identificatie.volledige_naam == "Jan de Vries"


async def test_get_partij_unknown_uuid_is_not_found(ki, ki_router):
    ki_router.get(f"partijen/{s.PARTIJ}").respond(
        404, json={"detail": "Niet gevonden.", "code": "not_found"}
    )
    with pytest.raises(NotFound, match="partij"):
        await ki.get_partij(s.PARTIJ)


async def test_a_non_uuid_id_is_not_found_without_calling_upstream(ki, ki_router):
    with pytest.raises(NotFound):
        await ki.get_partij("../klantcontacten")
    assert not ki_router.calls


async def test_create_partij_posts_identificatoren_in_the_same_body(ki, ki_router):
    route = ki_router.post("partijen").respond(201, json=s.partij())
    await ki.create_partij(
        PartijCreate(
            soort_partij="persoon",
            partij_identificatie=PartijIdentificatieWrite(
                contactnaam=Contactnaam(voornaam="Jan", achternaam="Vries")
            ),
            partij_identificatoren=[PartijIdentificatorCreate(partij_identificator=BSN)],
        )
    )
    assert body_of(route) == {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "partijIdentificatie": {"contactnaam": {"voornaam": "Jan", "achternaam": "Vries"}},
        "partijIdentificatoren": [{"partijIdentificator": s.BSN_IDENTIFICATOR}],
        "digitaleAdressen": [],
    }


async def test_create_partij_with_a_taken_bsn_raises_duplicate(ki, ki_router):
    ki_router.post("partijen").respond(
        400,
        json={
            "code": "invalid",
            "invalidParams": [
                {
                    "name": "partijIdentificatoren.0.__all__",
                    "code": "invalid",
                    "reason": "`PartijIdentificator` moet uniek zijn, er bestaat er al een.",
                }
            ],
        },
    )
    with pytest.raises(DuplicatePartijIdentificator):
        await ki.create_partij(PartijCreate(soort_partij="persoon"))


async def test_create_partij_other_rejections_stay_plain(ki, ki_router):
    ki_router.post("partijen").respond(
        400, json={"invalidParams": [{"name": "soortPartij", "code": "invalid", "reason": "x"}]}
    )
    with pytest.raises(UpstreamRejected) as err:
        await ki.create_partij(PartijCreate(soort_partij="persoon"))
    assert not isinstance(err.value, DuplicatePartijIdentificator)


async def test_create_partij_identificator_duplicate_is_recognised(ki, ki_router):
    ki_router.post("partij-identificatoren").respond(
        400,
        json={
            "invalidParams": [{"name": "__all__", "code": "invalid", "reason": "moet uniek zijn"}]
        },
    )
    with pytest.raises(DuplicatePartijIdentificator):
        await ki.create_partij_identificator(
            PartijIdentificatorCreate(partij_identificator=BSN, identificeerde_partij=s.PARTIJ)
        )


async def test_create_partij_identificator_references_by_uuid_object(ki, ki_router):
    route = ki_router.post("partij-identificatoren").respond(
        201, json=s.partij()["partijIdentificatoren"][0]
    )
    created = await ki.create_partij_identificator(
        PartijIdentificatorCreate(partij_identificator=BSN, identificeerde_partij=s.PARTIJ)
    )
    assert created.partij_identificator.object_id == "999993653"
    assert body_of(route) == {
        "partijIdentificator": s.BSN_IDENTIFICATOR,
        "identificeerdePartij": {"uuid": s.PARTIJ},
    }


async def test_find_partij_identificatoren_uses_the_flat_filter_names(ki, ki_router):
    route = ki_router.get("partij-identificatoren").respond(200, json=page([]))
    await ki.find_partij_identificatoren(BSN)
    assert set(route.calls.last.request.url.params) == {
        "partijIdentificatorCodeRegister",
        "partijIdentificatorCodeObjecttype",
        "partijIdentificatorCodeSoortObjectId",
        "partijIdentificatorObjectId",
    }


async def test_patch_partij_sends_what_was_set_plus_the_required_pair(ki, ki_router):
    route = ki_router.patch(f"partijen/{s.PARTIJ}").respond(200, json=s.partij())
    current = loaded_partij()
    await ki.patch_partij(
        s.PARTIJ, PartijPatch.of(current, indicatie_geheimhouding=True, bezoekadres=None)
    )
    assert body_of(route) == {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "indicatieGeheimhouding": True,
        "bezoekadres": None,
    }


def test_partij_patch_always_names_soort_partij_and_indicatie_actief():
    with pytest.raises(ValueError, match="soortPartij"):
        PartijPatch(indicatie_actief=True)  # type: ignore[call-arg]


async def test_set_voorkeurs_digitaal_adres_patches_after_create(ki, ki_router):
    route = ki_router.patch(f"partijen/{s.PARTIJ}").respond(200, json=s.partij())
    partij = loaded_partij()
    await ki.set_voorkeurs_digitaal_adres(partij, s.ADRES)
    await ki.set_voorkeurs_digitaal_adres(partij, None)
    required = {"soortPartij": "persoon", "indicatieActief": True}
    assert body_of(route, 0) == {**required, "voorkeursDigitaalAdres": {"uuid": s.ADRES}}
    assert body_of(route, 1) == {**required, "voorkeursDigitaalAdres": None}


async def test_list_digitale_adressen_follows_three_pages(ki, ki_router):
    route = ki_router.get("digitaleadressen").mock(
        side_effect=[
            httpx.Response(
                200,
                json=page(
                    [s.digitaal_adres()],
                    next_url=f"{KI}/digitaleadressen?page=2&verstrektDoorPartij__uuid={s.PARTIJ}",
                ),
            ),
            httpx.Response(
                200,
                json=page(
                    [s.digitaal_adres()],
                    next_url=f"{KI}/digitaleadressen?page=3&verstrektDoorPartij__uuid={s.PARTIJ}",
                ),
            ),
            httpx.Response(
                200,
                json=page(
                    [s.digitaal_adres(soortDigitaalAdres="telefoonnummer", adres="0612345678")]
                ),
            ),
        ]
    )
    adressen = await ki.list_digitale_adressen(s.PARTIJ)
    assert [a.soort_digitaal_adres for a in adressen] == ["email", "email", "telefoonnummer"]
    assert dict(route.calls[0].request.url.params) == {"verstrektDoorPartij__uuid": s.PARTIJ}
    assert route.calls[2].request.url.params["page"] == "3"


async def test_find_digitale_adressen_by_adres(ki, ki_router):
    route = ki_router.get("digitaleadressen").respond(200, json=page([s.digitaal_adres()]))
    await ki.find_digitale_adressen("jan@example.nl", soort="email")
    assert dict(route.calls.last.request.url.params) == {
        "adres": "jan@example.nl",
        "soortDigitaalAdres": "email",
    }


async def test_find_digitale_adressen_containing_ignores_case_upstream(ki, ki_router):
    route = ki_router.get("digitaleadressen").respond(200, json=page([s.digitaal_adres()]))
    found = await ki.find_digitale_adressen_containing("Jan@Example.nl", soort="email")
    assert [a.adres for a in found] == ["jan@example.nl"]
    assert dict(route.calls.last.request.url.params) == {
        "adres__icontains": "Jan@Example.nl",
        "soortDigitaalAdres": "email",
    }


async def test_create_and_patch_digitaal_adres(ki, ki_router):
    post = ki_router.post("digitaleadressen").respond(201, json=s.digitaal_adres())
    patch = ki_router.patch(f"digitaleadressen/{s.ADRES}").respond(200, json=s.digitaal_adres())
    get = ki_router.get(f"digitaleadressen/{s.ADRES}").respond(200, json=s.digitaal_adres())
    await ki.create_digitaal_adres(
        DigitaalAdresCreate(
            adres="jan@example.nl", soort_digitaal_adres="email", verstrekt_door_partij=s.PARTIJ
        )
    )
    await ki.patch_digitaal_adres(s.ADRES, DigitaalAdresPatch(is_standaard_adres=True))
    assert (await ki.get_digitaal_adres(s.ADRES)).uuid == s.ADRES
    assert body_of(post) == {
        "adres": "jan@example.nl",
        "soortDigitaalAdres": "email",
        "verstrektDoorPartij": {"uuid": s.PARTIJ},
    }
    assert body_of(patch) == {"isStandaardAdres": True}
    assert get.called


async def test_a_digitaal_adres_of_a_betrokkene_is_created_with_a_null_verstrekt_door_partij(
    ki, ki_router
):
    post = ki_router.post("/digitaleadressen").respond(201, json=s.digitaal_adres())

    await ki.create_digitaal_adres(
        DigitaalAdresCreate(
            adres="0612345678",
            soort_digitaal_adres="telefoonnummer",
            verstrekt_door_betrokkene=s.BETROKKENE,
        )
    )

    # Open Klant answers 400 `verstrektDoorPartij` / `required` when the key is left out.
    assert body_of(post) == {
        "adres": "0612345678",
        "soortDigitaalAdres": "telefoonnummer",
        "verstrektDoorBetrokkene": {"uuid": s.BETROKKENE},
        "verstrektDoorPartij": None,
    }


async def test_probe_reads_the_api_version_header(ki, ki_router):
    route = ki_router.get("actoren").respond(200, json=page([]), headers={"API-version": "0.9.0"})
    assert await ki.probe() == "0.9.0"
    assert route.calls.last.request.url.params["pageSize"] == "1"
