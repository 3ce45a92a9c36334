"""The pure side of registering: input rules, the plan's shape, and the bodies its steps send."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bff.auth.identity import Medewerker
from bff.compose.klantcontact_registratie import (
    KlantcontactRegistratieInput,
    code_problems,
    compose_klantcontact_registratie,
    plan_input,
    registratie_problems,
)
from bff.compose.klantcontact_registratie_plan import (
    internetaak_create,
    maak_klantcontact,
    productaanvraag_data,
    productaanvraag_taak,
    productaanvraag_uuid,
    same_internetaak,
    step_graph,
)
from bff.compose.partij_registratie import compose_partij_registratie
from bff.compose.partij_registratie_plan import (
    NieuwDigitaalAdres,
    NieuwePartij,
    PartijSleutel,
    adres_key,
    adressen_plan,
    contactnaam_uit_brp,
    partij_create,
)
from bff.registration.model import new_registration
from bff.upstreams.brp import Persoon
from bff.upstreams.klantinteracties.models import Contactnaam, DigitaalAdres, InterneTaak

ANNA = Medewerker("mdw-anna", "Anna de Vries", "anna.devries@gemeente.example")
PARTIJ = "f38b2ffc-80a4-4f5a-91c9-bc701e7ea419"
ACTOR = "0aa1b2c3-0000-4000-8000-000000000001"
ZAAK = "3f0e8a52-3d9c-4c47-9b6a-0f5b2c1d4e6f"
KLANTCONTACT = "2c341d58-59e2-4c52-b980-f7de870ba17f"
NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def request(**parts: Any) -> KlantcontactRegistratieInput:
    body: dict[str, Any] = {
        "klantcontact": {"kanaal": "telefoon", "onderwerp": "Afvalpas"},
        "klant": {"partijId": PARTIJ},
    }
    body.update(parts)
    return KlantcontactRegistratieInput.model_validate_json(json.dumps(body))


def names(problems: list[Any]) -> list[str]:
    return [p.name for p in problems]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("telefoonnummer", "0612345678"), ("telefoonnummer", "+31612345678")),
        (("telefoonnummer", "0612345678"), ("telefoonnummer", "0031 6-1234 5678")),
        (("email", "Anna@Example.NL"), ("email", " anna@example.nl")),
        (("overig", "Postbus  12"), ("overig", "postbus 12")),
    ],
)
def test_addresses_compare_normalised(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert adres_key(*a) == adres_key(*b)


def test_the_same_text_of_another_soort_is_another_address() -> None:
    assert adres_key("email", "x@example.nl") != adres_key("overig", "x@example.nl")


def test_adressen_plan_reuses_what_the_partij_has_and_fills_in_what_is_made() -> None:
    present = [
        DigitaalAdres(uuid="u-1", adres="ANNA@example.nl", soort_digitaal_adres="email"),
        DigitaalAdres(uuid="u-2", adres="0201234567", soort_digitaal_adres="telefoonnummer"),
    ]
    wanted = [
        NieuwDigitaalAdres(soort="telefoonnummer", adres="0612345678"),
        NieuwDigitaalAdres(soort="email", adres="anna@example.nl"),
    ]
    plan = adressen_plan(wanted, present)
    assert plan.existing == [None, "u-1"]
    assert plan.missing == [0]
    assert plan.filled(["new-1"]) == ["new-1", "u-1"]


def test_a_known_partij_needs_no_partij_step() -> None:
    graph = step_graph(plan_input(request(), ANNA))
    assert graph == {
        "actor": (),
        "klantcontact": (),
        "actorklantcontact": ("klantcontact", "actor"),
    }


def test_a_bsn_registration_waits_for_the_partij_and_runs_the_rest_side_by_side() -> None:
    full = request(
        klant={"bsn": "999993653"},
        digitaleAdressen=[
            {"soortDigitaalAdres": "email", "adres": "a@example.nl", "gebruik": "algemeen"},
            {"soortDigitaalAdres": "email", "adres": "b@example.nl", "gebruik": "dit-verzoek"},
        ],
        interneTaak={"actor": ACTOR, "gevraagdeHandeling": "Terugbellen"},
        productaanvraag={"productcode": "P", "omschrijving": "O", "interneTaak": {"actor": ACTOR}},
    )
    graph = step_graph(plan_input(full, ANNA))
    assert graph == {
        "partij": (),
        "actor": (),
        "klantcontact": ("partij",),
        "actorklantcontact": ("klantcontact", "actor"),
        "digitale-adressen": ("partij",),
        "digitale-adressen-betrokkene": ("klantcontact",),
        "internetaak": ("klantcontact",),
        "productaanvraag": (),
        "bijlage": ("klantcontact", "productaanvraag"),
        "internetaak-productaanvraag": ("klantcontact", "productaanvraag"),
    }


def test_maak_klantcontact_sends_all_three_parts_with_our_referentienummer() -> None:
    data = plan_input(request(zaak=ZAAK), ANNA)
    body = maak_klantcontact(
        data, referentienummer="0000000042", partij=PARTIJ, plaatsgevonden_op=NOW
    )
    sent = body.body()
    assert sent["klantcontact"]["referentienummer"] == "0000000042"
    assert sent["klantcontact"]["plaatsgevondenOp"] == "2026-11-20T15:30:00Z"
    assert sent["klantcontact"]["taal"] == "nld"
    assert sent["betrokkene"] == {"wasPartij": {"uuid": PARTIJ}, "rol": "klant", "initiator": True}
    assert sent["onderwerpobject"]["onderwerpobjectidentificator"]["objectId"] == ZAAK


def test_an_unknown_caller_is_a_betrokkene_without_partij() -> None:
    data = plan_input(request(klant={"organisatienaam": "Buurtvereniging"}), ANNA)
    sent = maak_klantcontact(data, referentienummer="1", partij=None, plaatsgevonden_op=NOW).body()
    assert "wasPartij" not in sent["betrokkene"]
    assert sent["betrokkene"]["organisatienaam"] == "Buurtvereniging"
    assert "onderwerpobject" not in sent


def test_the_time_the_agent_gave_wins_over_the_time_received() -> None:
    given = request(
        klantcontact={
            "kanaal": "balie",
            "onderwerp": "X",
            "plaatsgevondenOp": "2026-11-19T09:00:00+01:00",
        }
    )
    sent = maak_klantcontact(
        plan_input(given, ANNA), referentienummer="1", partij=None, plaatsgevonden_op=NOW
    ).body()
    assert sent["klantcontact"]["plaatsgevondenOp"].startswith("2026-11-19T09:00:00")


def test_the_productaanvraag_object_has_one_uuid_per_registration() -> None:
    assert productaanvraag_uuid("reg-1") == productaanvraag_uuid("reg-1")
    assert productaanvraag_uuid("reg-1") != productaanvraag_uuid("reg-2")


def test_the_productaanvraag_taak_names_the_object_and_fits_upstream() -> None:
    pa = plan_input(
        request(
            klant={"bsn": "999993653"},
            productaanvraag={
                "productcode": "AFVALPAS",
                "omschrijving": "Nieuwe pas",
                "interneTaak": {"actor": ACTOR, "toelichting": "t" * 900},
            },
        ),
        ANNA,
    ).productaanvraag
    assert pa is not None
    taak = productaanvraag_taak(pa, "0b8f1d5e-7a44-4c1e-9d3a-2f6b8c9e1a77")
    assert taak.toelichting is not None
    assert taak.toelichting.endswith("object 0b8f1d5e-7a44-4c1e-9d3a-2f6b8c9e1a77")
    assert len(taak.toelichting) <= 1000
    assert productaanvraag_data(pa) == {
        "productcode": "AFVALPAS",
        "omschrijving": "Nieuwe pas",
        "aanvrager": {"bsn": "999993653"},
    }


def test_an_earlier_interne_taak_is_recognised_by_its_content() -> None:
    data = plan_input(request(interneTaak={"actor": ACTOR, "gevraagdeHandeling": "Bellen"}), ANNA)
    assert data.interne_taak is not None
    wanted = internetaak_create(data.interne_taak, KLANTCONTACT)
    existing = InterneTaak.model_validate(
        {
            "uuid": "t-1",
            "gevraagdeHandeling": "Bellen",
            "aanleidinggevendKlantcontact": {"uuid": KLANTCONTACT},
            "toegewezenAanActoren": [{"uuid": ACTOR}],
            "toelichting": "",
            "status": "te_verwerken",
            "toegewezenOp": "2026-11-20T15:30:00Z",
        }
    )
    assert same_internetaak(existing, wanted)
    other = existing.model_copy(update={"gevraagde_handeling": "Mailen"})
    assert not same_internetaak(other, wanted)


def test_a_brp_name_is_cut_to_what_klantinteracties_stores() -> None:
    persoon = Persoon.model_validate(
        {
            "naam": {
                "voornamen": "Jan",
                "voorvoegsel": "van der",
                "geslachtsnaam": "G" * 250,
                "voorletters": "J.",
            }
        }
    )
    naam = contactnaam_uit_brp(persoon)
    assert naam is not None
    assert (naam.voornaam, naam.voorvoegsel_achternaam, naam.voorletters) == (
        "Jan",
        "van der",
        "J.",
    )
    assert naam.achternaam == "G" * 200
    assert contactnaam_uit_brp(None) is None
    assert contactnaam_uit_brp(Persoon.model_validate({"naam": {}})) is None


def test_a_new_partij_carries_its_identificator_and_prefers_the_given_name() -> None:
    given = Contactnaam(achternaam="Gegeven")
    persoon = NieuwePartij(
        sleutel=PartijSleutel(soort="bsn", nummer="999993653"), contactnaam=given
    )
    sent = partij_create(persoon, Contactnaam(achternaam="Uit BRP")).body()
    assert sent["soortPartij"] == "persoon"
    assert sent["partijIdentificatie"]["contactnaam"] == {"achternaam": "Gegeven"}
    assert sent["partijIdentificatoren"] == [
        {
            "partijIdentificator": {
                "codeObjecttype": "natuurlijk_persoon",
                "codeSoortObjectId": "bsn",
                "objectId": "999993653",
                "codeRegister": "brp",
            }
        }
    ]
    organisatie = NieuwePartij(
        sleutel=PartijSleutel(soort="kvk_nummer", nummer="12345678"), naam="BV"
    )
    sent = partij_create(organisatie, None).body()
    assert (sent["soortPartij"], sent["partijIdentificatie"]) == ("organisatie", {"naam": "BV"})


def test_rules_across_fields() -> None:
    email = {"soortDigitaalAdres": "email", "adres": "a@example.nl"}
    assert names(
        registratie_problems(request(klant={"partijId": PARTIJ, "kvkNummer": "12345678"}))
    ) == ["klant.kvkNummer"]
    assert names(registratie_problems(request(klant={"contactnaam": {}}))) == ["klant"]
    unknown = request(
        klant={"contactnaam": {"achternaam": "X"}},
        digitaleAdressen=[{**email, "gebruik": "algemeen"}],
    )
    assert names(registratie_problems(unknown)) == ["digitaleAdressen.0.gebruik"]
    verzoek = request(digitaleAdressen=[{**email, "gebruik": "dit-verzoek", "voorkeur": True}])
    assert names(registratie_problems(verzoek)) == ["digitaleAdressen.0.voorkeur"]
    assert registratie_problems(request(digitaleAdressen=[{**email, "gebruik": "algemeen"}])) == []


class Tables:
    def is_valid_kanaal(self, code: str, on: date) -> bool:
        return code == "telefoon"

    def is_valid_taal(self, code: str, on: date) -> bool:
        return code == "nld"


def test_kanaal_and_taal_are_checked_against_the_reference_lists() -> None:
    today = date(2026, 11, 20)
    good = {"klantcontact": {"kanaal": "telefoon", "taal": "nld"}}
    assert code_problems(good, Tables(), today) == []
    assert code_problems({"klantcontact": {"kanaal": "telefoon"}}, Tables(), today) == []
    bad = {"klantcontact": {"kanaal": "fax", "taal": "nl"}}
    assert names(code_problems(bad, Tables(), today)) == [
        "klantcontact.kanaal",
        "klantcontact.taal",
    ]
    assert code_problems({"klantcontact": "nonsense"}, Tables(), today) == []


def _registration(results: dict[str, dict[str, Any]], payload: dict[str, Any]) -> Any:
    reg = new_registration(
        kind="klantcontact",
        owner="mdw-anna",
        payload=payload,
        referentienummer="0000000007",
        steps=[(name, ()) for name in results],
        now=NOW,
    )
    for step in reg.steps:
        step.status, step.result = "done", results[step.name]
    reg.status = "completed"
    return reg


def test_the_answer_names_every_created_id() -> None:
    reg = _registration(
        {
            "klantcontact": {"klantcontact": "kc", "betrokkene": "b"},
            "actorklantcontact": {"actorklantcontact": "akc"},
            "internetaak": {"internetaak": "t"},
            "digitale-adressen": {"digitaleAdressen": ["d"], "voorkeursDigitaalAdres": "d"},
        },
        {"partij": PARTIJ},
    )
    answer = compose_klantcontact_registratie(reg).model_dump(by_alias=True)
    assert answer["referentienummer"] == "0000000007"
    assert (answer["klantcontact"], answer["betrokkene"], answer["partij"]) == ("kc", "b", PARTIJ)
    assert (answer["interneTaak"], answer["actorklantcontact"]) == ("t", "akc")
    assert (answer["digitaleAdressen"], answer["voorkeursDigitaalAdres"]) == (["d"], "d")
    assert answer["links"]["registratie"] == f"/api/v1/registraties/{reg.id}"


def test_the_partij_answer_says_whether_it_was_created() -> None:
    reg = _registration({"partij": {"partij": PARTIJ, "nieuw": True}}, {"partij": {}})
    answer = compose_partij_registratie(reg)
    assert (answer.partij, answer.nieuw, answer.digitale_adressen) == (PARTIJ, True, [])
