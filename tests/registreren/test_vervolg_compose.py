"""The follow-up's pure parts: its checks, its step graph, and payloads journalled earlier."""

from __future__ import annotations

from bff.compose.klantcontact_registratie_plan import InterneTaakGegevens, internetaak_create
from bff.compose.klantcontact_vervolg import (
    InterneTaakInput,
    VervolgInput,
    VervolgPlanInput,
    vervolg_problems,
    vervolg_step_graph,
)

A = "6a1f7c57-8f0e-4a43-9d6b-0d8f0b1e2a01"
B = "6a1f7c57-8f0e-4a43-9d6b-0d8f0b1e2a02"
KC = "6a1f7c57-8f0e-4a43-9d6b-0d8f0b1e2a03"


def test_a_payload_journalled_with_one_actor_still_assigns_that_actor() -> None:
    taak = InterneTaakGegevens.model_validate({"actor": A, "gevraagde_handeling": "x"})
    assert taak.actoren == [A]
    assert internetaak_create(taak, KC).toegewezen_aan_actoren == [A]


def test_the_deprecated_actor_and_actoren_together_assign_each_actor_once() -> None:
    taak = InterneTaakInput.model_validate(
        {"actor": A, "actoren": [B, A], "gevraagdeHandeling": "Terugbellen"}
    )
    assert taak.gegevens().actoren == [A, B]


def test_contact_details_for_this_request_cannot_be_preferred() -> None:
    body = VervolgInput.model_validate(
        {"digitaleAdressen": [{"soortDigitaalAdres": "email", "adres": "a@b.nl", "voorkeur": True}]}
    )
    assert [p.name for p in vervolg_problems(body)] == ["digitaleAdressen.0.voorkeur"]


def test_the_productaanvraag_steps_wait_for_the_object_and_the_rest_run_side_by_side() -> None:
    data = VervolgPlanInput.model_validate(
        {
            "klantcontact": KC,
            "interne_taak": None,
            "zaak": A,
            "productaanvraag": {
                "productcode": "AFVALPAS",
                "omschrijving": "x",
                "interne_taak": {"actoren": [B], "gevraagde_handeling": "Zaak maken"},
            },
            "bijlage": {"uuid": B, "code_objecttype": "object"},
        }
    )
    assert vervolg_step_graph(data) == {
        "onderwerpobject": (),
        "bijlage-object": (),
        "productaanvraag": (),
        "bijlage": ("productaanvraag",),
        "internetaak-productaanvraag": ("productaanvraag",),
    }
