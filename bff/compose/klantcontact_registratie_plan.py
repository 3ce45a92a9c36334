"""Registering a klantcontact, the plan side: the journal payload and what its steps send.

`KlantcontactPlanInput` is the journalled payload the steps read, also after a restart.
`step_graph` says which steps a registration needs and what each waits for (independent
steps run concurrently); the other helpers build the upstream bodies of the steps. No I/O.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from bff.auth.identity import Medewerker
from bff.compose.partij_registratie_plan import NieuwDigitaalAdres, NieuwePartij
from bff.upstreams.klantinteracties.models import (
    Bijlageidentificator,
    Contactnaam,
    InterneTaak,
    Klantcontact,
    Onderwerpobjectidentificator,
)
from bff.upstreams.klantinteracties.writes import (
    BijlageCreate,
    InterneTaakCreate,
    KlantcontactCreate,
    MaakBetrokkene,
    MaakKlantcontact,
    MaakOnderwerpobject,
)

PRODUCTAANVRAAG_NAMESPACE = uuid.UUID("5d1c3a4e-9b7f-4c2a-8e61-0f3b2d7a9c15")
PRODUCTAANVRAAG_OBJECTTYPE = "productaanvraag"
VERIFICATIE_METADATA = "verificatie"  # klantcontact metadata key: was the caller verified
BellerVerificatie = Literal["geverifieerd", "niet-geverifieerd"]
OBJECT_OBJECTTYPE = "object"  # a bijlage naming an object of another objecttype


# -- the journal payload -------------------------------------------------------------------


class MedewerkerRef(BaseModel):
    """The medewerker who registers: recorded as actor, also when resumed after a restart."""

    subject: str
    naam: str
    email: str | None = None

    def medewerker(self) -> Medewerker:
        return Medewerker(subject=self.subject, naam=self.naam, email=self.email)


class KlantcontactGegevens(BaseModel):
    kanaal: str
    onderwerp: str
    inhoud: str | None = None
    reactie: str | None = None
    taal: str
    vertrouwelijk: bool
    indicatie_contact_gelukt: bool | None = None
    verdere_actie_ondernomen: bool
    plaatsgevonden_op: datetime | None = None


class BetrokkeneGegevens(BaseModel):
    contactnaam: Contactnaam | None = None
    organisatienaam: str | None = None
    initiator: bool = True


class InterneTaakGegevens(BaseModel):
    actoren: list[str] = Field(min_length=1)
    gevraagde_handeling: str
    toelichting: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_actor_before(cls, data: Any) -> Any:
        """Payloads journalled before an interne taak had several actoren name one `actor`."""
        if isinstance(data, dict) and "actor" in data and "actoren" not in data:
            data = {**data, "actoren": [data["actor"]]}
            del data["actor"]
        return data


class ProductaanvraagGegevens(BaseModel):
    productcode: str
    omschrijving: str
    toelichting: str | None = None
    aanvrager_bsn: str | None = None
    interne_taak: InterneTaakGegevens | None = None


class KlantcontactPlanInput(BaseModel):
    """A known `partij` (uuid), or a `nieuwe_partij` found or created by BSN/KvK-nummer,
    or neither (an unknown caller)."""

    medewerker: MedewerkerRef
    klantcontact: KlantcontactGegevens
    partij: str | None = None
    nieuwe_partij: NieuwePartij | None = None
    betrokkene: BetrokkeneGegevens
    zaak: str | None = None
    adressen_partij: list[NieuwDigitaalAdres] = Field(default_factory=list)
    adressen_betrokkene: list[NieuwDigitaalAdres] = Field(default_factory=list)
    interne_taak: InterneTaakGegevens | None = None
    productaanvraag: ProductaanvraagGegevens | None = None
    verificatie: BellerVerificatie | None = None


# -- the plan and what its steps send --------------------------------------------------------


def step_graph(data: KlantcontactPlanInput) -> dict[str, tuple[str, ...]]:
    """Step name -> the steps it waits for. Independent steps run concurrently."""
    partij: tuple[str, ...] = ("partij",) if data.nieuwe_partij else ()
    graph: dict[str, tuple[str, ...]] = {"partij": ()} if data.nieuwe_partij else {}
    graph["actor"] = ()
    graph["klantcontact"] = partij
    graph["actorklantcontact"] = ("klantcontact", "actor")
    if data.adressen_partij:
        graph["digitale-adressen"] = partij
    if data.adressen_betrokkene:
        graph["digitale-adressen-betrokkene"] = ("klantcontact",)
    if data.interne_taak:
        graph["internetaak"] = ("klantcontact",)
    if data.productaanvraag:
        graph["productaanvraag"] = ()
        graph["bijlage"] = ("klantcontact", "productaanvraag")
        if data.productaanvraag.interne_taak:
            graph["internetaak-productaanvraag"] = ("klantcontact", "productaanvraag")
    return graph


def zaak_identificator(zaak: str) -> Onderwerpobjectidentificator:
    """How a klantcontact names the zaak it was about (an Open Zaak zaak by uuid)."""
    return Onderwerpobjectidentificator(
        object_id=zaak,
        code_objecttype="zaak",
        code_register="open-zaak",
        code_soort_object_id="uuid",
    )


def maak_klantcontact(
    data: KlantcontactPlanInput,
    *,
    referentienummer: str,
    partij: str | None,
    plaatsgevonden_op: datetime,
) -> MaakKlantcontact:
    """Klantcontact, betrokkene and (for a zaak) onderwerpobject: one upstream transaction."""
    kc = data.klantcontact
    b = data.betrokkene
    return MaakKlantcontact(
        klantcontact=KlantcontactCreate(
            **kc.model_dump(exclude={"plaatsgevonden_op"}),
            plaatsgevonden_op=kc.plaatsgevonden_op or plaatsgevonden_op,
            referentienummer=referentienummer,
            metadata={VERIFICATIE_METADATA: data.verificatie} if data.verificatie else None,
        ),
        betrokkene=MaakBetrokkene(
            was_partij=partij,
            rol="klant",
            initiator=b.initiator,
            contactnaam=b.contactnaam,
            organisatienaam=b.organisatienaam,
        ),
        onderwerpobject=MaakOnderwerpobject(
            onderwerpobjectidentificator=zaak_identificator(data.zaak)
        )
        if data.zaak
        else None,
    )


def internetaak_create(taak: InterneTaakGegevens, klantcontact: str) -> InterneTaakCreate:
    return InterneTaakCreate(
        aanleidinggevend_klantcontact=klantcontact,
        gevraagde_handeling=taak.gevraagde_handeling,
        toegewezen_aan_actoren=list(dict.fromkeys(taak.actoren)),
        toelichting=taak.toelichting,
    )


def same_klantcontact(
    found: Klantcontact, wanted: KlantcontactGegevens, plaatsgevonden_op: datetime
) -> bool:
    """An earlier attempt's klantcontact, not another one that carries the same
    referentienummer (minted twice, e.g. by a second journal). `inhoud` and `reactie` may
    have been changed since by a hand-over; kanaal, onderwerp, taal and the time not."""
    moment = found.plaatsgevonden_op
    return (
        found.kanaal == wanted.kanaal
        and found.onderwerp == wanted.onderwerp
        and found.taal == wanted.taal
        and moment is not None
        and abs((moment - plaatsgevonden_op).total_seconds()) < 1
    )


def same_internetaak(existing: InterneTaak, wanted: InterneTaakCreate) -> bool:
    """An earlier attempt's interne taak: same handeling, toelichting and actoren."""
    return (
        existing.gevraagde_handeling == wanted.gevraagde_handeling
        and (existing.toelichting or None) == (wanted.toelichting or None)
        and sorted(a.uuid for a in existing.toegewezen_aan_actoren)
        == sorted(wanted.toegewezen_aan_actoren)
    )


def productaanvraag_uuid(registration_id: str) -> str:
    """The object's uuid, fixed per registration, so a retry finds what an attempt made."""
    return str(uuid.uuid5(PRODUCTAANVRAAG_NAMESPACE, registration_id))


def productaanvraag_data(pa: ProductaanvraagGegevens) -> dict[str, Any]:
    data: dict[str, Any] = {"productcode": pa.productcode, "omschrijving": pa.omschrijving}
    if pa.toelichting:
        data["toelichting"] = pa.toelichting
    if pa.aanvrager_bsn:
        data["aanvrager"] = {"bsn": pa.aanvrager_bsn}
    return data


def productaanvraag_taak(pa: ProductaanvraagGegevens, object_uuid: str) -> InterneTaakGegevens:
    """The colleague's interne taak, naming the productaanvraag object to make the zaak from."""
    if pa.interne_taak is None:
        raise ValueError("this productaanvraag asks for no interne taak")
    reference = f"Productaanvraag {pa.productcode}: object {object_uuid}"
    toelichting = (
        f"{pa.interne_taak.toelichting}\n\n{reference}"
        if pa.interne_taak.toelichting
        else reference
    )
    return pa.interne_taak.model_copy(update={"toelichting": toelichting})


def bijlage_create(
    klantcontact: str, object_uuid: str, code_objecttype: str = PRODUCTAANVRAAG_OBJECTTYPE
) -> BijlageCreate:
    """A bijlage naming an object in the Objects API (a productaanvraag or another object)."""
    return BijlageCreate(
        was_bijlage_van_klantcontact=klantcontact,
        bijlageidentificator=Bijlageidentificator(
            object_id=object_uuid,
            code_objecttype=code_objecttype,
            code_register="objecten",
            code_soort_object_id="uuid",
        ),
    )
