"""compose_klantcontact: codes, confidentiality, betrokkenen, actoren, interne taken,
onderwerpobjecten with their zaak, bijlagen, and the joins over a page."""

from __future__ import annotations

from typing import Any

from bff.compose.actor import compose_actor
from bff.compose.base import Code
from bff.compose.klantcontact import (
    KlantcontactView,
    compose_klantcontact,
    expanded_partijen,
    inline_actoren,
    interne_taak_actor_uuids,
    onderwerp_zaak_uuids,
)
from bff.compose.zaak import compose_zaak
from bff.upstreams.klantinteracties.models import Actor, Klantcontact
from tests.compose import samples as s

ZAKEN = {s.ZAAK: compose_zaak(s.zaak())}


def view(kc: Klantcontact, *, may_read: bool = False, **kwargs: Any) -> KlantcontactView:
    return compose_klantcontact(
        kc,
        codes=s.CODES,
        actors_by_uuid=kwargs.pop("actors_by_uuid", {}),
        zaken_by_uuid=kwargs.pop("zaken_by_uuid", ZAKEN),
        may_read_vertrouwelijk=may_read,
        **kwargs,
    )


def test_kanaal_and_taal_are_codes_with_their_names() -> None:
    shown = view(s.klantcontact(expand=s.full_expand()))
    assert shown.kanaal == Code(code="telefoon", naam="Telefoon")
    assert shown.taal == Code(code="nld", naam="Nederlands")


def test_unknown_kanaal_is_shown_with_naam_null() -> None:
    shown = view(s.klantcontact(kanaal="postduif"))
    assert shown.kanaal == Code(code="postduif", naam=None)


def test_confidential_klantcontact_hides_inhoud_and_reactie_but_keeps_its_metadata() -> None:
    kc = s.klantcontact(vertrouwelijk=True, expand=s.full_expand())
    shown = view(kc, may_read=False)
    assert shown.inhoud is None
    assert shown.reactie is None
    assert shown.inhoud_verborgen is True
    assert shown.vertrouwelijk is True
    assert shown.onderwerp == "Parkeervergunning"
    assert shown.kanaal.naam == "Telefoon"
    assert shown.referentienummer == "9000000001"
    assert [b.naam for b in shown.betrokkenen] == ["Jan de Vries"]
    assert len(shown.interne_taken) == 1
    assert shown.interne_taken[0].toelichting is None  # free text about the contact
    assert shown.interne_taken[0].gevraagde_handeling


def test_who_may_read_a_confidential_klantcontact_sees_its_interne_taak_toelichting() -> None:
    kc = s.klantcontact(vertrouwelijk=True, expand=s.full_expand())
    assert view(kc, may_read=True).interne_taken[0].toelichting == "Graag voor vrijdag."


def test_confidential_klantcontact_is_shown_in_full_to_who_may_read_it() -> None:
    shown = view(s.klantcontact(vertrouwelijk=True), may_read=True)
    assert shown.inhoud == "Vraagt naar de doorlooptijd."
    assert shown.reactie == "Doorlooptijd genoemd."
    assert shown.inhoud_verborgen is False


def test_ordinary_klantcontact_is_shown_in_full_without_the_role() -> None:
    shown = view(s.klantcontact(), may_read=False)
    assert shown.inhoud == "Vraagt naar de doorlooptijd."
    assert shown.inhoud_verborgen is False


def test_json_is_camel_case() -> None:
    body = view(s.klantcontact(expand=s.full_expand())).model_dump(mode="json", by_alias=True)
    assert {"inhoudVerborgen", "plaatsgevondenOp", "interneTaken", "indicatieContactGelukt"} <= set(
        body
    )
    assert {"toegewezenAanActoren", "gevraagdeHandeling"} <= set(body["interneTaken"][0])
    assert body["actoren"][0]["soortActor"] == {"code": "medewerker", "naam": "Medewerker"}
    assert body["betrokkenen"][0]["partijId"] == s.PARTIJ


def test_betrokkene_has_rol_initiator_partij_and_its_contactnaam() -> None:
    (betrokkene,) = view(s.klantcontact(expand=s.full_expand())).betrokkenen
    assert betrokkene.rol == Code(code="klant", naam="Klant")
    assert betrokkene.initiator is True
    assert betrokkene.partij_id == s.PARTIJ
    assert betrokkene.naam == "Jan de Vries"


def _one_betrokkene(**fields: Any) -> Klantcontact:
    partij = fields.pop("partij", None)
    body = s.betrokkene_body(partij=partij, **fields)
    return s.klantcontact(expand={"hadBetrokkenen": [body]})


def test_betrokkene_volledige_naam_goes_before_contactnaam() -> None:
    (b,) = view(_one_betrokkene(volledigeNaam="J. de Vries-Bakker")).betrokkenen
    assert b.naam == "J. de Vries-Bakker"


def test_betrokkene_without_voornaam_is_named_with_voorletters() -> None:
    naam = {"voorletters": "J.P.", "voornaam": "", "voorvoegselAchternaam": "", "achternaam": "Ek"}
    (b,) = view(_one_betrokkene(contactnaam=naam)).betrokkenen
    assert b.naam == "J.P. Ek"


def test_betrokkene_of_an_organisatie_is_named_by_organisatienaam() -> None:
    (b,) = view(
        _one_betrokkene(contactnaam=None, organisatienaam="Bakkerij De Korenaar")
    ).betrokkenen
    assert b.naam == "Bakkerij De Korenaar"


def test_betrokkene_without_names_takes_the_expanded_partij_name() -> None:
    partij = s.partij_body(
        partijIdentificatie={"contactnaam": {"voornaam": "Eva", "achternaam": "Smit"}}
    )
    (b,) = view(_one_betrokkene(contactnaam=None, partij=partij)).betrokkenen
    assert b.naam == "Eva Smit"


def test_partij_expanded_once_in_a_page_names_betrokkenen_of_every_klantcontact() -> None:
    # Open Klant inlines a partij repeated under several betrokkenen only the first time.
    partij = s.partij_body(partijIdentificatie={"naam": "Stichting Zomerfestival"})
    first = s.klantcontact(
        "22222222-2222-4222-8222-000000000001",
        expand={"hadBetrokkenen": [s.betrokkene_body(contactnaam=None, partij=partij)]},
    )
    second = s.klantcontact(
        "22222222-2222-4222-8222-000000000002",
        expand={
            "hadBetrokkenen": [
                s.betrokkene_body("33333333-3333-4333-8333-000000000002", contactnaam=None)
            ]
        },
    )
    partijen = expanded_partijen([first, second])
    assert set(partijen) == {s.PARTIJ}
    shown = view(second, partijen_by_uuid=partijen)
    assert [b.naam for b in shown.betrokkenen] == ["Stichting Zomerfestival"]


def test_actoren_come_inline_with_the_fields_of_their_soort() -> None:
    kc = s.klantcontact(
        hadBetrokkenActoren=[
            s.actor_body(s.MEDEWERKER, "medewerker"),
            s.actor_body(s.AFDELING, "organisatorische_eenheid"),
            s.actor_body(s.SYSTEEM, "geautomatiseerde_actor"),
        ]
    )
    medewerker, afdeling, systeem = view(kc).actoren
    assert medewerker.soort_actor == Code(code="medewerker", naam="Medewerker")
    assert (medewerker.functie, medewerker.emailadres, medewerker.telefoonnummer) == (
        "KCC-medewerker",
        "anna@gemeente.example",
        "0201234501",
    )
    assert medewerker.omschrijving is None
    assert afdeling.omschrijving == "Team vergunningen"
    assert afdeling.telefoonnummer == "0201234600"
    assert afdeling.functie is None
    assert (systeem.functie, systeem.omschrijving) == ("Formulierenserver", "Contactformulier")
    assert systeem.emailadres is None
    assert systeem.telefoonnummer is None


def test_actor_fields_of_another_soort_are_not_shown() -> None:
    raw = s.actor_body(s.SYSTEEM, "geautomatiseerde_actor")
    raw["actorIdentificatie"]["telefoonnummer"] = "0201234599"
    shown = compose_actor(Actor.model_validate(raw), s.CODES)
    assert shown.telefoonnummer is None


def test_interne_taak_has_status_label_and_resolved_actoren() -> None:
    actoren = {s.AFDELING: s.actor(s.AFDELING, "organisatorische_eenheid")}
    (taak,) = view(s.klantcontact(expand=s.full_expand()), actors_by_uuid=actoren).interne_taken
    assert taak.status == Code(code="te_verwerken", naam="Te verwerken")
    assert taak.gevraagde_handeling == "Klant terugbellen"
    assert taak.toelichting == "Graag voor vrijdag."
    afdeling, onbekend = taak.toegewezen_aan_actoren
    assert afdeling.naam == "Vergunningen"
    assert afdeling.soort_actor == Code(
        code="organisatorische_eenheid", naam="Organisatorische eenheid"
    )
    assert onbekend.uuid == s.MEDEWERKER  # not resolved: shown by uuid only
    assert onbekend.naam is None
    assert onbekend.soort_actor is None


def test_onderwerpobject_of_a_zaak_is_joined_with_the_zaak() -> None:
    (obj,) = view(s.klantcontact(expand=s.full_expand())).onderwerpobjecten
    assert obj.zaak is not None
    assert obj.zaak.identificatie == "ZAAK-2026-0000001"
    assert obj.zaak.omschrijving == "Parkeervergunning Kerkstraat"
    assert obj.zaak.zaaktype == "Parkeervergunning aanvragen"
    assert obj.zaak.status == "In behandeling"


def test_onderwerpobject_of_an_unknown_zaak_shows_only_its_identificator() -> None:
    (obj,) = view(s.klantcontact(expand=s.full_expand()), zaken_by_uuid={}).onderwerpobjecten
    assert obj.zaak is None
    assert obj.identificator is not None
    assert obj.identificator.object_id == s.ZAAK


def test_onderwerpobject_that_is_no_zaak_shows_its_identificator() -> None:
    other = s.onderwerp_body(codeObjecttype="productaanvraag", objectId=s.ZAAK)
    kc = s.klantcontact(expand={"gingOverOnderwerpobjecten": [other]})
    (obj,) = view(kc).onderwerpobjecten
    assert obj.zaak is None
    assert obj.identificator is not None
    assert obj.identificator.code_objecttype == Code(code="productaanvraag", naam="Productaanvraag")


def test_bijlage_shows_its_identificator() -> None:
    (bijlage,) = view(s.klantcontact(expand=s.full_expand())).bijlagen
    assert bijlage.uuid == s.BIJLAGE
    assert bijlage.identificator is not None
    assert bijlage.identificator.code_objecttype == Code(
        code="productaanvraag", naam="Productaanvraag"
    )


def test_klantcontact_read_without_expand_has_no_parts_but_its_actoren() -> None:
    shown = view(s.klantcontact())
    assert shown.betrokkenen == []
    assert shown.interne_taken == []
    assert shown.onderwerpobjecten == []
    assert shown.bijlagen == []
    assert [a.uuid for a in shown.actoren] == [s.MEDEWERKER]


def test_what_a_page_refers_to_is_listed_once_to_fetch() -> None:
    kcs = [
        s.klantcontact("22222222-2222-4222-8222-000000000001", expand=s.full_expand()),
        s.klantcontact("22222222-2222-4222-8222-000000000002", expand=s.full_expand()),
    ]
    assert interne_taak_actor_uuids(kcs) == [s.AFDELING, s.MEDEWERKER]
    assert onderwerp_zaak_uuids(kcs) == [s.ZAAK]
    assert [a.uuid for a in inline_actoren(kcs)] == [s.MEDEWERKER, s.MEDEWERKER]


def test_a_betrokkene_whose_partij_has_geheimhouding_is_flagged() -> None:
    from bff.compose.betrokkene import betrokkene_geheimhouding
    from bff.upstreams.klantinteracties.models import Betrokkene, Partij

    partij = Partij.model_validate(
        {
            "uuid": "p1",
            "soortPartij": "persoon",
            "indicatieActief": True,
            "indicatieGeheimhouding": True,
        }
    )
    betrokkene = Betrokkene.model_validate(
        {
            "uuid": "b1",
            "hadKlantcontact": {"uuid": "k1"},
            "wasPartij": {"uuid": "p1"},
            "rol": "klant",
            "initiator": True,
        }
    )
    assert betrokkene_geheimhouding(betrokkene, {"p1": partij})
    assert not betrokkene_geheimhouding(betrokkene, {})
