"""Klantcontacten, betrokkenen, onderwerpobjecten, bijlagen and /maak-klantcontact (sandbox)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from bff.sandbox.klantinteracties import KlantinteractiesStore
from tests.sandbox.conftest import BSN, KiBuilder, invalid_params

ZAAK = "4b4d8e21-7f4a-4f0c-9a5f-2f2b1d1f0e11"
ZAAK_OBJECT = {
    "objectId": ZAAK,
    "codeObjecttype": "zaak",
    "codeRegister": "open-zaak",
    "codeSoortObjectId": "uuid",
}
KLANTCONTACT = {"kanaal": "telefoon", "onderwerp": "Afval", "taal": "nld", "vertrouwelijk": False}


async def test_klantcontact_with_contact_gelukt_and_verdere_actie_is_rejected(
    ki: httpx.AsyncClient,
) -> None:
    body = {**KLANTCONTACT, "indicatieContactGelukt": True, "verdereActieOndernomen": True}

    response = await ki.post("/klantcontacten", json=body)

    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["code"] == "no-further-action-when-contact-succesful"


async def test_patch_that_makes_a_succeeded_contact_need_further_action_is_rejected(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact(indicatieContactGelukt=True)

    response = await ki.patch(
        f"/klantcontacten/{klantcontact['uuid']}", json={"verdereActieOndernomen": True}
    )

    assert response.json()["invalidParams"][0]["code"] == "no-further-action-when-contact-succesful"


async def test_klantcontact_text_limits(ki: httpx.AsyncClient) -> None:
    body = {**KLANTCONTACT, "inhoud": "i" * 1001, "reactie": "r" * 4001, "kanaal": ""}

    response = await ki.post("/klantcontacten", json=body)

    assert invalid_params(response) == {
        "inhoud": "max_length",
        "reactie": "max_length",
        "kanaal": "blank",
    }


async def test_klantcontact_accepts_two_letter_taal(make: KiBuilder) -> None:
    klantcontact = await make.klantcontact(taal="nl")

    assert klantcontact["taal"] == "nl"


@pytest.mark.parametrize(("nummer", "code"), [("12a", "invalid"), ("12345678901", "max_length")])
async def test_referentienummer_is_at_most_ten_digits(
    ki: httpx.AsyncClient, nummer: str, code: str
) -> None:
    response = await ki.post("/klantcontacten", json={**KLANTCONTACT, "referentienummer": nummer})

    assert invalid_params(response) == {"referentienummer": code}


async def test_referentienummer_is_unique(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    await make.klantcontact(referentienummer="7000000001")

    response = await ki.post(
        "/klantcontacten", json={**KLANTCONTACT, "referentienummer": "7000000001"}
    )

    assert invalid_params(response) == {"referentienummer": "unique"}


async def test_plaatsgevonden_op_defaults_to_now(make: KiBuilder) -> None:
    before = datetime.now(UTC)

    klantcontact = await make.klantcontact()

    moment = datetime.fromisoformat(klantcontact["plaatsgevondenOp"])
    assert before - timedelta(seconds=1) <= moment <= datetime.now(UTC)
    assert klantcontact["nummer"] is None


async def test_metadata_values_become_strings_of_at_most_255(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact(metadata={"bron": "kcc", "poging": 2})

    too_long = await ki.post("/klantcontacten", json={**KLANTCONTACT, "metadata": {"x": "y" * 256}})

    assert klantcontact["metadata"] == {"bron": "kcc", "poging": "2"}
    assert invalid_params(too_long) == {"metadata.x": "max_length"}


async def test_klantcontact_shows_its_actors_inline_and_its_relations_as_references(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact()
    actor = await make.actor()
    await make.post(
        "/actorklantcontacten",
        {"actor": {"uuid": actor["uuid"]}, "klantcontact": {"uuid": klantcontact["uuid"]}},
    )
    betrokkene = await make.betrokkene(klantcontact["uuid"], None)
    taak = await make.internetaak(klantcontact["uuid"], [actor["uuid"]])
    onderwerp = await make.post(
        "/onderwerpobjecten", {"klantcontact": {"uuid": klantcontact["uuid"]}}
    )
    bijlage = await make.post(
        "/bijlagen", {"wasBijlageVanKlantcontact": {"uuid": klantcontact["uuid"]}}
    )

    shown = (await ki.get(f"/klantcontacten/{klantcontact['uuid']}")).json()

    assert shown["hadBetrokkenActoren"] == [actor]
    assert [b["uuid"] for b in shown["hadBetrokkenen"]] == [betrokkene["uuid"]]
    assert [t["uuid"] for t in shown["leiddeTotInterneTaken"]] == [taak["uuid"]]
    assert [o["uuid"] for o in shown["gingOverOnderwerpobjecten"]] == [onderwerp["uuid"]]
    assert [b["url"] for b in shown["omvatteBijlagen"]] == [bijlage["url"]]


async def test_klantcontacten_are_listed_newest_plaatsgevonden_op_first(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    old = await make.klantcontact(plaatsgevondenOp="2024-01-01T09:00:00Z")
    new = await make.klantcontact(plaatsgevondenOp="2024-06-01T09:00:00+02:00")
    middle = await make.klantcontact(plaatsgevondenOp="2024-03-01T09:00:00Z")

    listed = (await ki.get("/klantcontacten")).json()["results"]

    assert [k["uuid"] for k in listed] == [new["uuid"], middle["uuid"], old["uuid"]]
    assert new["plaatsgevondenOp"] == "2024-06-01T07:00:00Z"


async def test_maak_klantcontact_writes_all_three(
    ki: httpx.AsyncClient, make: KiBuilder, ki_store: KlantinteractiesStore
) -> None:
    partij = await make.partij()
    body = {
        "klantcontact": KLANTCONTACT,
        "betrokkene": {"wasPartij": {"uuid": partij["uuid"]}, "rol": "klant", "initiator": True},
        "onderwerpobject": {"onderwerpobjectidentificator": ZAAK_OBJECT},
    }

    response = await ki.post("/maak-klantcontact", json=body)

    made = response.json()
    assert response.status_code == 201
    assert set(made) == {"klantcontact", "betrokkene", "onderwerpobject"}
    assert made["betrokkene"]["hadKlantcontact"]["uuid"] == made["klantcontact"]["uuid"]
    assert made["onderwerpobject"]["klantcontact"]["uuid"] == made["klantcontact"]["uuid"]
    assert made["klantcontact"]["hadBetrokkenen"][0]["uuid"] == made["betrokkene"]["uuid"]
    assert (
        len(ki_store.klantcontacten)
        == len(ki_store.betrokkenen)
        == len(ki_store.onderwerpobjecten)
        == 1
    )


async def test_maak_klantcontact_without_betrokkene_returns_null(ki: httpx.AsyncClient) -> None:
    response = await ki.post("/maak-klantcontact", json={"klantcontact": KLANTCONTACT})

    assert response.json()["betrokkene"] is None
    assert response.json()["onderwerpobject"] is None


async def test_maak_klantcontact_with_a_bad_part_writes_nothing(
    ki: httpx.AsyncClient, ki_store: KlantinteractiesStore
) -> None:
    body = {
        "klantcontact": {**KLANTCONTACT, "kanaal": "k" * 51},
        "betrokkene": {"rol": "buurman", "initiator": True},
        "onderwerpobject": {"onderwerpobjectidentificator": {"objectId": "o" * 201}},
    }

    response = await ki.post("/maak-klantcontact", json=body)

    assert invalid_params(response) == {
        "klantcontact.kanaal": "max_length",
        "betrokkene.rol": "invalid_choice",
        "onderwerpobject.onderwerpobjectidentificator.objectId": "max_length",
    }
    assert ki_store.klantcontacten == {}
    assert ki_store.betrokkenen == {}


async def test_maak_klantcontact_requires_the_klantcontact(ki: httpx.AsyncClient) -> None:
    response = await ki.post(
        "/maak-klantcontact", json={"betrokkene": {"rol": "klant", "initiator": True}}
    )

    assert invalid_params(response) == {"klantcontact": "required"}


async def test_betrokkene_of_an_unknown_caller_has_no_partij(make: KiBuilder) -> None:
    klantcontact = await make.klantcontact()

    betrokkene = await make.betrokkene(
        klantcontact["uuid"],
        None,
        contactnaam={"voornaam": "Piet", "achternaam": "Bakker"},
        organisatienaam="Bakkerij Bakker",
        rol="vertegenwoordiger",
    )

    assert betrokkene["wasPartij"] is None
    assert betrokkene["volledigeNaam"] == "Piet Bakker"
    assert betrokkene["organisatienaam"] == "Bakkerij Bakker"
    assert betrokkene["contactnaam"]["voorletters"] == ""


async def test_betrokkene_required_fields(ki: httpx.AsyncClient) -> None:
    response = await ki.post("/betrokkenen", json={"rol": "klant"})

    assert invalid_params(response) == {"hadKlantcontact": "required", "initiator": "required"}


async def test_betrokkene_lists_the_digitale_adressen_it_gave(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact()
    betrokkene = await make.betrokkene(klantcontact["uuid"], None)
    adres = await make.adres(verstrektDoorBetrokkene={"uuid": betrokkene["uuid"]})

    shown = (
        await ki.get(f"/betrokkenen/{betrokkene['uuid']}", params={"expand": "digitaleAdressen"})
    ).json()

    assert shown["digitaleAdressen"][0]["uuid"] == adres["uuid"]
    assert shown["_expand"]["digitaleAdressen"][0]["adres"] == "jan@example.nl"


async def test_klantcontacten_filters(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    partij = await make.partij(BSN)
    wanted = await make.klantcontact(referentienummer="42")
    other = await make.klantcontact()
    await make.betrokkene(wanted["uuid"], partij["uuid"])
    await make.betrokkene(other["uuid"], None)
    await make.post(
        "/onderwerpobjecten",
        {"klantcontact": {"uuid": wanted["uuid"]}, "onderwerpobjectidentificator": ZAAK_OBJECT},
    )
    queries: list[dict[str, Any]] = [
        {"hadBetrokkene__wasPartij__uuid": partij["uuid"]},
        {
            "hadBetrokkene__wasPartij__partijIdentificator__codeRegister": "brp",
            "hadBetrokkene__wasPartij__partijIdentificator__codeObjecttype": "natuurlijk_persoon",
            "hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId": "bsn",
            "hadBetrokkene__wasPartij__partijIdentificator__objectId": BSN,
        },
        {"referentienummer": "42"},
        {"onderwerpobject__onderwerpobjectidentificatorObjectId": ZAAK},
    ]

    for params in queries:
        found = (await ki.get("/klantcontacten", params=params)).json()
        assert [k["uuid"] for k in found["results"]] == [wanted["uuid"]], params


async def test_filter_with_malformed_uuid_is_rejected(ki: httpx.AsyncClient) -> None:
    response = await ki.get("/klantcontacten", params={"hadBetrokkene__wasPartij__uuid": "nope"})

    assert invalid_params(response) == {"hadBetrokkene__wasPartij__uuid": "invalid"}


async def test_betrokkenen_onderwerpobjecten_and_bijlagen_filter_on_their_klantcontact(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    partij = await make.partij()
    wanted, other = await make.klantcontact(), await make.klantcontact()
    for klantcontact in (wanted, other):
        await make.betrokkene(
            klantcontact["uuid"], partij["uuid"] if klantcontact is wanted else None
        )
        await make.post("/onderwerpobjecten", {"klantcontact": {"uuid": klantcontact["uuid"]}})
        await make.post("/bijlagen", {"wasBijlageVanKlantcontact": {"uuid": klantcontact["uuid"]}})

    by_partij = (await ki.get("/betrokkenen", params={"wasPartij__uuid": partij["uuid"]})).json()
    by_contact = (
        await ki.get("/betrokkenen", params={"hadKlantcontact__uuid": wanted["uuid"]})
    ).json()
    onderwerpen = (
        await ki.get("/onderwerpobjecten", params={"klantcontact__uuid": wanted["uuid"]})
    ).json()
    bijlagen = (await ki.get("/bijlagen", params={"klantcontact__uuid": wanted["uuid"]})).json()
    no_such_filter = await ki.get(
        "/bijlagen", params={"wasBijlageVanKlantcontact__uuid": wanted["uuid"]}
    )

    assert by_partij["count"] == by_contact["count"] == 1
    assert [o["klantcontact"]["uuid"] for o in onderwerpen["results"]] == [wanted["uuid"]]
    assert [b["wasBijlageVanKlantcontact"]["uuid"] for b in bijlagen["results"]] == [wanted["uuid"]]
    assert invalid_params(no_such_filter) == {"nonFieldErrors": "unknown-parameters"}


async def test_expand_needs_the_parent_listed_too(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    partij = await make.partij()
    klantcontact = await make.klantcontact()
    await make.betrokkene(klantcontact["uuid"], partij["uuid"])
    path = f"/klantcontacten/{klantcontact['uuid']}"

    child_only = (await ki.get(path, params={"expand": "hadBetrokkenen.wasPartij"})).json()
    both = (await ki.get(path, params={"expand": "hadBetrokkenen,hadBetrokkenen.wasPartij"})).json()

    assert "_expand" not in child_only  # nothing expanded: a detail has no `_expand` at all
    assert both["_expand"]["hadBetrokkenen"][0]["_expand"]["wasPartij"]["uuid"] == partij["uuid"]


async def test_expand_of_all_klantcontact_relations_in_a_list(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact()
    actor = await make.actor()
    betrokkene = await make.betrokkene(klantcontact["uuid"], None)
    await make.adres(verstrektDoorBetrokkene={"uuid": betrokkene["uuid"]})
    await make.internetaak(klantcontact["uuid"], [actor["uuid"]])
    await make.post("/onderwerpobjecten", {"klantcontact": {"uuid": klantcontact["uuid"]}})
    await make.post("/bijlagen", {"wasBijlageVanKlantcontact": {"uuid": klantcontact["uuid"]}})
    names = (
        "hadBetrokkenen,hadBetrokkenen.digitaleAdressen,"
        "leiddeTotInterneTaken,gingOverOnderwerpobjecten,omvatteBijlagen"
    )

    [shown] = (await ki.get("/klantcontacten", params={"expand": names})).json()["results"]

    expand = shown["_expand"]
    assert (
        expand["hadBetrokkenen"][0]["_expand"]["digitaleAdressen"][0]["adres"] == "jan@example.nl"
    )
    assert expand["leiddeTotInterneTaken"][0]["gevraagdeHandeling"] == "Terugbellen"
    assert expand["gingOverOnderwerpobjecten"][0]["klantcontact"]["uuid"] == klantcontact["uuid"]
    assert len(expand["omvatteBijlagen"]) == 1


async def test_an_object_is_expanded_only_once_per_response(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    partij = await make.partij()
    first, second = await make.klantcontact(), await make.klantcontact()
    await make.betrokkene(first["uuid"], partij["uuid"])
    await make.betrokkene(second["uuid"], partij["uuid"])

    listed = (
        await ki.get(
            "/klantcontacten", params={"expand": "hadBetrokkenen,hadBetrokkenen.wasPartij"}
        )
    ).json()

    expanded = [b["_expand"] for k in listed["results"] for b in k["_expand"]["hadBetrokkenen"]]
    # The second time the partij comes up it is not expanded again: Open Klant shows null.
    assert [e["wasPartij"] and e["wasPartij"]["uuid"] for e in expanded] == [partij["uuid"], None]


async def test_an_unknown_callers_betrokkene_expands_to_a_null_partij_not_an_error(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    """As Open Klant 2.18.0 answered (observed): 200 on the detail and the list, the
    unknown caller's `_expand.wasPartij` is null, and it being the first empty relation of
    that betrokkene, its empty `digitaleAdressen` is left out."""
    partij = await make.partij()
    made = await ki.post(
        "/maak-klantcontact",
        json={
            "klantcontact": KLANTCONTACT,
            "betrokkene": {
                "rol": "klant",
                "initiator": True,
                "wasPartij": {"uuid": partij["uuid"]},
            },
        },
    )
    klantcontact = made.json()["klantcontact"]
    unknown = await make.betrokkene(klantcontact["uuid"], None, rol="vertegenwoordiger")
    expand = {"expand": "hadBetrokkenen,hadBetrokkenen.wasPartij,hadBetrokkenen.digitaleAdressen"}

    detail = await ki.get(f"/klantcontacten/{klantcontact['uuid']}", params=expand)
    listed = await ki.get("/klantcontacten", params=expand)

    assert (detail.status_code, listed.status_code) == (200, 200)
    shown = {b["uuid"]: b["_expand"] for b in detail.json()["_expand"]["hadBetrokkenen"]}
    assert shown[unknown["uuid"]] == {"wasPartij": None}
    known = next(expanded for uuid, expanded in shown.items() if uuid != unknown["uuid"])
    assert (known["wasPartij"]["uuid"], known["digitaleAdressen"]) == (partij["uuid"], [])
    [item] = listed.json()["results"]
    assert item["_expand"] == detail.json()["_expand"]


async def test_list_items_always_carry_expand(ki: httpx.AsyncClient, make: KiBuilder) -> None:
    klantcontact = await make.klantcontact()

    listed = (await ki.get("/klantcontacten")).json()["results"]
    detail = (await ki.get(f"/klantcontacten/{klantcontact['uuid']}")).json()
    await make.actor()
    actoren = (await ki.get("/actoren")).json()["results"]

    assert listed[0]["_expand"] == {}
    assert "_expand" not in detail
    assert "_expand" not in actoren[0]  # actoren cannot expand at all


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        ("hadBetrokkenen", {"hadBetrokkenen": []}),
        ("leiddeTotInterneTaken,hadBetrokkenen", {"hadBetrokkenen": []}),
        ("omvatteBijlagen,hadBetrokkenen", {"omvatteBijlagen": []}),
        (
            "hadBetrokkenen,hadBetrokkenen.wasPartij,leiddeTotInterneTaken,"
            "gingOverOnderwerpobjecten,omvatteBijlagen,hadBetrokkenen.digitaleAdressen",
            {"gingOverOnderwerpobjecten": []},
        ),
    ],
)
async def test_of_several_empty_relations_only_the_first_field_is_shown(
    ki: httpx.AsyncClient, make: KiBuilder, names: str, shown: dict[str, object]
) -> None:
    klantcontact = await make.klantcontact()

    detail = await ki.get(f"/klantcontacten/{klantcontact['uuid']}", params={"expand": names})

    assert detail.json()["_expand"] == shown


async def test_an_empty_relation_is_shown_beside_filled_ones(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact()
    actor = await make.actor()
    await make.internetaak(klantcontact["uuid"], [actor["uuid"]])
    names = "hadBetrokkenen,leiddeTotInterneTaken"

    expand = (
        await ki.get(f"/klantcontacten/{klantcontact['uuid']}", params={"expand": names})
    ).json()["_expand"]

    assert sorted(expand) == ["hadBetrokkenen", "leiddeTotInterneTaken"]
    assert expand["hadBetrokkenen"] == []


async def test_expand_only_applies_to_get(ki: httpx.AsyncClient) -> None:
    response = await ki.post(
        "/klantcontacten", params={"expand": "hadBetrokkenen"}, json=KLANTCONTACT
    )

    assert response.status_code == 201
    assert "_expand" not in response.json()


async def test_delete_klantcontact_cascades_to_everything_made_for_it(
    ki: httpx.AsyncClient, make: KiBuilder, ki_store: KlantinteractiesStore
) -> None:
    partij = await make.partij()
    actor = await make.actor()
    klantcontact = await make.klantcontact()
    betrokkene = await make.betrokkene(klantcontact["uuid"], partij["uuid"])
    await make.adres(verstrektDoorBetrokkene={"uuid": betrokkene["uuid"]})
    await make.post(
        "/actorklantcontacten",
        {"actor": {"uuid": actor["uuid"]}, "klantcontact": {"uuid": klantcontact["uuid"]}},
    )
    await make.internetaak(klantcontact["uuid"], [actor["uuid"]])
    await make.post("/onderwerpobjecten", {"klantcontact": {"uuid": klantcontact["uuid"]}})
    await make.post("/bijlagen", {"wasBijlageVanKlantcontact": {"uuid": klantcontact["uuid"]}})

    response = await ki.delete(f"/klantcontacten/{klantcontact['uuid']}")

    assert response.status_code == 204
    for table in (
        "klantcontacten",
        "betrokkenen",
        "onderwerpobjecten",
        "bijlagen",
        "actorklantcontacten",
        "internetaken",
        "digitaleadressen",
    ):
        assert ki_store.table(table) == {}, table
    assert list(ki_store.partijen) == [partij["uuid"]]
    assert list(ki_store.actoren) == [actor["uuid"]]


async def test_a_digitaal_adres_expands_down_to_the_interne_taken_of_its_klantcontact(
    ki: httpx.AsyncClient, make: KiBuilder
) -> None:
    klantcontact = await make.klantcontact()
    betrokkene = await make.betrokkene(klantcontact["uuid"], None)
    taak = await make.internetaak(klantcontact["uuid"], [(await make.actor())["uuid"]])
    adres = await make.adres(verstrektDoorBetrokkene={"uuid": betrokkene["uuid"]})
    names = (
        "verstrektDoorBetrokkene,verstrektDoorBetrokkene.hadKlantcontact,"
        "verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken"
    )

    shown = (await ki.get(f"/digitaleadressen/{adres['uuid']}", params={"expand": names})).json()

    by_betrokkene = shown["_expand"]["verstrektDoorBetrokkene"]
    contact = by_betrokkene["_expand"]["hadKlantcontact"]
    assert contact["uuid"] == klantcontact["uuid"]
    assert [t["uuid"] for t in contact["_expand"]["leiddeTotInterneTaken"]] == [taak["uuid"]]
