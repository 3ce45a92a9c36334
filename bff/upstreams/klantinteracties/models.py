"""Klantinteracties API 0.9.0 (Open Klant 2.18): the wire models the BFF reads.

Only the fields the BFF uses are modelled; everything the spec does not guarantee is
optional, and optional text that Open Klant sends as "" is read as None. References
arrive as `{uuid, url}` objects (`Ref`). Expanded relations (`?expand=...`) arrive
under `_expand` and are parsed into the typed `expand` field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from bff.upstreams.base import WireModel


def _blank_is_none(value: object) -> object:
    return None if value == "" else value


Text = Annotated[str | None, BeforeValidator(_blank_is_none)]
"""Optional text: Open Klant (Django) sends "" for unset text; read as None."""

SoortPartij = Literal["persoon", "organisatie", "contactpersoon"]
SoortDigitaalAdres = Literal["email", "telefoonnummer", "overig"]
SoortActor = Literal["medewerker", "geautomatiseerde_actor", "organisatorische_eenheid"]
Rol = Literal["klant", "vertegenwoordiger"]
InterneTaakStatus = Literal["te_verwerken", "verwerkt"]


class Ref(WireModel):
    """A reference to another resource, as Open Klant returns it (its `url` is not read)."""

    uuid: str


class PartijIdentificatorGroepType(WireModel):
    """The four identifying fields of a partij-identificator (all required by the spec).

    The constructors give the combinations Open Klant allows for a BSN, a KvK-nummer and
    a vestigingsnummer; the partijen filters need all four fields.
    """

    code_objecttype: str
    code_soort_object_id: str
    object_id: str
    code_register: str

    @classmethod
    def bsn(cls, nummer: str) -> PartijIdentificatorGroepType:
        return cls(
            code_register="brp",
            code_objecttype="natuurlijk_persoon",
            code_soort_object_id="bsn",
            object_id=nummer,
        )

    @classmethod
    def kvk_nummer(cls, nummer: str) -> PartijIdentificatorGroepType:
        return cls(
            code_register="hr",
            code_objecttype="niet_natuurlijk_persoon",
            code_soort_object_id="kvk_nummer",
            object_id=nummer,
        )

    @classmethod
    def vestigingsnummer(cls, nummer: str) -> PartijIdentificatorGroepType:
        return cls(
            code_register="hr",
            code_objecttype="vestiging",
            code_soort_object_id="vestigingsnummer",
            object_id=nummer,
        )


class PartijIdentificator(WireModel):
    uuid: str
    identificeerde_partij: Ref | None = None
    partij_identificator: PartijIdentificatorGroepType
    sub_identificator_van: Ref | None = None
    andere_partij_identificator: Text = None


class Identificator(WireModel):
    """Free-text identification of an object in another register (actor, onderwerpobject...)."""

    object_id: Text = None
    code_objecttype: Text = None
    code_register: Text = None
    code_soort_object_id: Text = None


class Actoridentificator(Identificator):
    pass


class Onderwerpobjectidentificator(Identificator):
    pass


class Bijlageidentificator(Identificator):
    pass


class Contactnaam(WireModel):
    voorletters: Text = None
    voornaam: Text = None
    voorvoegsel_achternaam: Text = None
    achternaam: Text = None


class PartijIdentificatie(WireModel):
    """`partijIdentificatie` of a persoon, organisatie or contactpersoon, folded into one."""

    contactnaam: Contactnaam | None = None
    volledige_naam: Text = None
    naam: Text = None  # organisatie
    werkte_voor_partij: Ref | None = None  # contactpersoon


class Adres(WireModel):
    """`bezoekadres` / `correspondentieadres` of a partij or betrokkene."""

    nummeraanduiding_id: Text = None
    straatnaam: Text = None
    huisnummer: int | None = None
    huisnummertoevoeging: Text = None
    postcode: Text = None
    stad: Text = None
    adresregel1: Text = None
    adresregel2: Text = None
    adresregel3: Text = None
    land: Text = None


class DigitaalAdres(WireModel):
    uuid: str
    verstrekt_door_betrokkene: Ref | None = None
    verstrekt_door_partij: Ref | None = None
    adres: str
    soort_digitaal_adres: SoortDigitaalAdres
    is_standaard_adres: bool | None = None
    omschrijving: Text = None
    referentie: Text = None


class Partij(WireModel):
    uuid: str
    nummer: Text = None
    interne_notitie: Text = None
    soort_partij: SoortPartij
    indicatie_actief: bool
    indicatie_geheimhouding: bool | None = None
    voorkeurstaal: Text = None
    digitale_adressen: tuple[Ref, ...] | None = None
    voorkeurs_digitaal_adres: Ref | None = None
    partij_identificatoren: tuple[PartijIdentificator, ...] | None = None
    partij_identificatie: PartijIdentificatie | None = None
    bezoekadres: Adres | None = None
    correspondentieadres: Adres | None = None
    betrokkenen: tuple[Ref, ...] = ()
    expand: PartijExpand | None = Field(default=None, alias="_expand")


class Betrokkene(WireModel):
    uuid: str
    was_partij: Ref | None = None
    digitale_adressen: tuple[Ref, ...] = ()
    contactnaam: Contactnaam | None = None
    volledige_naam: Text = None
    rol: Rol
    organisatienaam: Text = None
    bezoekadres: Adres | None = None
    correspondentieadres: Adres | None = None
    initiator: bool
    expand: BetrokkeneExpand | None = Field(default=None, alias="_expand")


class ActorIdentificatie(WireModel):
    """`actorIdentificatie` of a medewerker, organisatorische eenheid or geautomatiseerde actor."""

    functie: Text = None
    emailadres: Text = None
    telefoonnummer: Text = None
    omschrijving: Text = None


class Actor(WireModel):
    uuid: str
    naam: str
    soort_actor: SoortActor
    indicatie_actief: bool | None = None
    actoridentificator: Actoridentificator | None = None
    actor_identificatie: ActorIdentificatie | None = None


class ActorKlantcontact(WireModel):
    uuid: str
    actor: Ref
    klantcontact: Ref


class InterneTaak(WireModel):
    uuid: str
    nummer: Text = None
    referentienummer: Text = None
    gevraagde_handeling: str
    aanleidinggevend_klantcontact: Ref
    toegewezen_aan_actoren: tuple[Ref, ...] = ()
    toelichting: Text = None
    status: InterneTaakStatus
    toegewezen_op: datetime
    afgehandeld_op: datetime | None = None


class Onderwerpobject(WireModel):
    uuid: str
    onderwerpobjectidentificator: Onderwerpobjectidentificator | None = None


class Bijlage(WireModel):
    uuid: str
    bijlageidentificator: Bijlageidentificator | None = None


class Klantcontact(WireModel):
    uuid: str
    nummer: Text = None
    referentienummer: Text = None
    kanaal: str
    onderwerp: str
    inhoud: Text = None
    reactie: Text = None
    indicatie_contact_gelukt: bool | None = None
    verdere_actie_ondernomen: bool | None = None
    taal: str
    vertrouwelijk: bool
    plaatsgevonden_op: datetime | None = None
    metadata: dict[str, str] | None = None
    had_betrokkenen: tuple[Ref, ...] = ()
    had_betrokken_actoren: tuple[Actor, ...] = ()
    ging_over_onderwerpobjecten: tuple[Ref, ...] = ()
    expand: KlantcontactExpand | None = Field(default=None, alias="_expand")


# -- expansions (present only for what `?expand=` asked) ------------------------------


class PartijExpand(WireModel):
    digitale_adressen: tuple[DigitaalAdres, ...] | None = None
    betrokkenen: tuple[Betrokkene, ...] | None = None


class BetrokkeneExpand(WireModel):
    was_partij: Partij | None = None
    had_klantcontact: Klantcontact | None = None
    digitale_adressen: tuple[DigitaalAdres, ...] | None = None


class KlantcontactExpand(WireModel):
    had_betrokkenen: tuple[Betrokkene, ...] | None = None
    leidde_tot_interne_taken: tuple[InterneTaak, ...] | None = None
    ging_over_onderwerpobjecten: tuple[Onderwerpobject, ...] | None = None
    omvatte_bijlagen: tuple[Bijlage, ...] | None = None


class MaakKlantcontactResult(WireModel):
    """The answer of `POST /maak-klantcontact`: what was created in one transaction."""

    klantcontact: Klantcontact
    betrokkene: Betrokkene | None = None
    onderwerpobject: Onderwerpobject | None = None


for _model in (Partij, Betrokkene, Klantcontact, MaakKlantcontactResult):
    _model.model_rebuild()
