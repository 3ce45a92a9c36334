"""Klantinteracties API 0.9.0 (Open Klant 2.18): the request bodies the BFF sends.

Separate from the read models: what we may write is narrower than what we read, and
the quirks of writing live here. References are given as uuid strings and sent as
`{"uuid": ...}` objects (a URL string is refused upstream). Create bodies leave out
fields that are None (except keys Open Klant requires, such as a digitaal adres's
`verstrektDoorPartij`); patch bodies send exactly the fields that were set (so a None
that was set explicitly clears the field upstream).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, model_validator
from pydantic.alias_generators import to_camel

from bff.upstreams.klantinteracties.models import (
    ActorIdentificatie,
    Actoridentificator,
    Adres,
    Bijlageidentificator,
    Contactnaam,
    InterneTaakStatus,
    Onderwerpobjectidentificator,
    Partij,
    PartijIdentificatorGroepType,
    Rol,
    SoortActor,
    SoortDigitaalAdres,
    SoortPartij,
)


def _uuid(value: str) -> str:
    return str(uuid.UUID(value))


def _ref(value: str) -> dict[str, str]:
    return {"uuid": value}


RefUuid = Annotated[str, AfterValidator(_uuid), PlainSerializer(_ref, return_type=dict)]
"""A reference by uuid: validated as a uuid, written as `{"uuid": ...}`."""


class WriteModel(BaseModel):
    """A create body: camelCase, unknown fields refused, None fields left out."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True
    )

    def body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class PatchModel(WriteModel):
    """A PATCH body: only the fields that were set, explicit None included."""

    def body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


# -- partijen ------------------------------------------------------------------------


class PartijIdentificatorCreate(WriteModel):
    partij_identificator: PartijIdentificatorGroepType
    identificeerde_partij: RefUuid | None = None  # left out when nested in a partij
    sub_identificator_van: RefUuid | None = None  # a vestiging: the kvk_nummer identificator
    andere_partij_identificator: str | None = None


class PartijIdentificatieWrite(WriteModel):
    contactnaam: Contactnaam | None = None  # persoon, contactpersoon
    naam: str | None = Field(default=None, max_length=200)  # organisatie
    werkte_voor_partij: RefUuid | None = None  # contactpersoon


class PartijCreate(WriteModel):
    """A new partij, its identificatoren in the same (atomic) POST.

    No `voorkeursDigitaalAdres`: Open Klant accepts it on create only for an address in
    the same body; create the address, then `set_voorkeurs_digitaal_adres`.
    """

    soort_partij: SoortPartij
    indicatie_actief: bool = True
    indicatie_geheimhouding: bool | None = None
    voorkeurstaal: str | None = Field(default=None, max_length=3)
    interne_notitie: str | None = Field(default=None, max_length=1000)
    partij_identificatie: PartijIdentificatieWrite | None = None
    partij_identificatoren: list[PartijIdentificatorCreate] = []
    digitale_adressen: list[RefUuid] = []
    bezoekadres: Adres | None = None
    correspondentieadres: Adres | None = None


class PartijPatch(PatchModel):
    """Changes to a partij; build it with `PartijPatch.of(partij, ...)`.

    The spec's `PatchedPartij` is the polymorphic create schema: `soortPartij` picks the
    variant (without it Open Klant ignores `partijIdentificatie`) and `indicatieActief` is
    required, so both are always sent, with the partij's current values unless changed.
    `partij_identificatoren` replaces the whole list (`[]` deletes the BSN).
    """

    soort_partij: SoortPartij
    indicatie_actief: bool
    indicatie_geheimhouding: bool | None = None
    voorkeurstaal: str | None = Field(default=None, max_length=3)
    interne_notitie: str | None = Field(default=None, max_length=1000)
    partij_identificatie: PartijIdentificatieWrite | None = None
    partij_identificatoren: list[PartijIdentificatorCreate] | None = None
    voorkeurs_digitaal_adres: RefUuid | None = None
    bezoekadres: Adres | None = None
    correspondentieadres: Adres | None = None

    @classmethod
    def of(cls, partij: Partij, **changes: Any) -> PartijPatch:
        """A patch of `partij` changing only `changes` (plus the two required fields)."""
        base = {"soort_partij": partij.soort_partij, "indicatie_actief": partij.indicatie_actief}
        return cls(**{**base, **changes})


# -- digitale adressen ------------------------------------------------------------------


class DigitaalAdresCreate(WriteModel):
    adres: str = Field(max_length=80)
    soort_digitaal_adres: SoortDigitaalAdres
    verstrekt_door_partij: RefUuid | None = None
    verstrekt_door_betrokkene: RefUuid | None = None
    is_standaard_adres: bool | None = None  # true clears it on the partij's other addresses
    omschrijving: str | None = Field(default=None, max_length=40)
    referentie: str | None = Field(default=None, max_length=50)

    def body(self) -> dict[str, Any]:
        """Always with the `verstrektDoorPartij` key, `null` for an address of a betrokkene
        only: Open Klant refuses a create without it (`required`), though the spec does not
        mark it required."""
        return {"verstrektDoorPartij": None, **super().body()}


class DigitaalAdresPatch(PatchModel):
    adres: str | None = Field(default=None, max_length=80)
    soort_digitaal_adres: SoortDigitaalAdres | None = None
    verstrekt_door_partij: RefUuid | None = None
    is_standaard_adres: bool | None = None
    omschrijving: str | None = Field(default=None, max_length=40)
    referentie: str | None = Field(default=None, max_length=50)


# -- klantcontacten ------------------------------------------------------------------


def _check_gelukt(gelukt: bool | None, verdere_actie: bool | None) -> None:
    if gelukt is True and verdere_actie is True:
        raise ValueError(
            "verdere_actie_ondernomen cannot be true when indicatie_contact_gelukt is true"
        )


class KlantcontactCreate(WriteModel):
    kanaal: str = Field(max_length=50)
    onderwerp: str = Field(max_length=200)
    taal: str = Field(max_length=3)
    vertrouwelijk: bool
    inhoud: str | None = Field(default=None, max_length=1000)
    reactie: str | None = Field(default=None, max_length=4000)
    indicatie_contact_gelukt: bool | None = None
    verdere_actie_ondernomen: bool | None = None
    plaatsgevonden_op: datetime | None = None
    referentienummer: str | None = Field(default=None, max_length=10, pattern=r"^[0-9]+$")
    metadata: dict[str, str] | None = None

    @model_validator(mode="after")
    def _gelukt(self) -> KlantcontactCreate:
        _check_gelukt(self.indicatie_contact_gelukt, self.verdere_actie_ondernomen)
        return self


class KlantcontactPatch(PatchModel):
    kanaal: str | None = Field(default=None, max_length=50)
    onderwerp: str | None = Field(default=None, max_length=200)
    taal: str | None = Field(default=None, max_length=3)
    vertrouwelijk: bool | None = None
    inhoud: str | None = Field(default=None, max_length=1000)
    reactie: str | None = Field(default=None, max_length=4000)
    indicatie_contact_gelukt: bool | None = None
    verdere_actie_ondernomen: bool | None = None
    plaatsgevonden_op: datetime | None = None
    metadata: dict[str, str] | None = None

    @model_validator(mode="after")
    def _gelukt(self) -> KlantcontactPatch:
        _check_gelukt(self.indicatie_contact_gelukt, self.verdere_actie_ondernomen)
        return self


class _BetrokkeneFields(WriteModel):
    was_partij: RefUuid | None = None  # None: an unknown caller
    rol: Rol = "klant"
    initiator: bool = True
    contactnaam: Contactnaam | None = None
    organisatienaam: str | None = Field(default=None, max_length=200)
    bezoekadres: Adres | None = None
    correspondentieadres: Adres | None = None


class BetrokkeneCreate(_BetrokkeneFields):
    had_klantcontact: RefUuid


class MaakBetrokkene(_BetrokkeneFields):
    """The betrokkene inside `maak-klantcontact` (its klantcontact is the one created)."""


class MaakOnderwerpobject(WriteModel):
    """The onderwerpobject inside `maak-klantcontact` (its klantcontact is the one created)."""

    onderwerpobjectidentificator: Onderwerpobjectidentificator
    was_klantcontact: RefUuid | None = None


class MaakKlantcontact(WriteModel):
    """`POST /maak-klantcontact`: klantcontact, betrokkene and onderwerpobject atomically."""

    klantcontact: KlantcontactCreate
    betrokkene: MaakBetrokkene | None = None
    onderwerpobject: MaakOnderwerpobject | None = None


class OnderwerpobjectCreate(WriteModel):
    klantcontact: RefUuid
    onderwerpobjectidentificator: Onderwerpobjectidentificator
    was_klantcontact: RefUuid | None = None


class BijlageCreate(WriteModel):
    was_bijlage_van_klantcontact: RefUuid
    bijlageidentificator: Bijlageidentificator


# -- actoren and interne taken -------------------------------------------------------


class ActorCreate(WriteModel):
    """A new actor. A medewerker's `actor_identificatie` needs `functie` and `telefoonnummer`."""

    naam: str = Field(max_length=200)
    soort_actor: SoortActor
    indicatie_actief: bool = True
    actoridentificator: Actoridentificator | None = None
    actor_identificatie: ActorIdentificatie | None = None

    @model_validator(mode="after")
    def _medewerker(self) -> ActorCreate:
        ident = self.actor_identificatie
        if (
            self.soort_actor == "medewerker"
            and ident is not None
            and not (ident.functie and ident.telefoonnummer)
        ):
            raise ValueError("a medewerker's actor_identificatie needs functie and telefoonnummer")
        return self


class InterneTaakCreate(WriteModel):
    aanleidinggevend_klantcontact: RefUuid
    gevraagde_handeling: str = Field(max_length=200)
    toegewezen_aan_actoren: list[RefUuid] = Field(min_length=1)
    toelichting: str | None = Field(default=None, max_length=1000)
    status: InterneTaakStatus = "te_verwerken"


class InterneTaakPatch(PatchModel):
    """Changes to an interne taak. `toegewezen_aan_actoren` replaces the whole list.

    Open Klant sets `afgehandeldOp` when status becomes `verwerkt` and clears it when
    it goes back; an `afgehandeld_op` with status `te_verwerken` is refused.
    """

    gevraagde_handeling: str | None = Field(default=None, max_length=200)
    toegewezen_aan_actoren: list[RefUuid] | None = Field(default=None, min_length=1)
    toelichting: str | None = Field(default=None, max_length=1000)
    status: InterneTaakStatus | None = None
    afgehandeld_op: datetime | None = None

    @model_validator(mode="after")
    def _afgehandeld(self) -> InterneTaakPatch:
        if self.afgehandeld_op is not None and self.status == "te_verwerken":
            raise ValueError("afgehandeld_op cannot be set with status te_verwerken")
        return self
