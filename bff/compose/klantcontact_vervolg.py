"""Follow-up on a klantcontact: what may be added to a call, at registration or afterwards.

The parts a call may lead to are the same whether the agent enters them at the end of the
call (`POST /api/v1/klantcontacten`) or later (`POST /api/v1/klantcontacten/{id}/vervolg`):
an interne taak assigned to one or more actoren, the zaak it was about (onderwerpobject),
a productaanvraag (an Objects API object, with a bijlage and optionally an interne taak)
or an existing object as bijlage, and contact details for this request (digitale adressen
of the klantcontact's betrokkene). This module has their input models, the follow-up
request and its journal payload (`VervolgPlanInput`), its step graph and its answer.
No I/O: the references (klantcontact, actoren, zaak, object) are checked by the endpoint.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from bff.compose.base import InModel, OutModel
from bff.compose.klantcontact_registratie_plan import (
    OBJECT_OBJECTTYPE,
    PRODUCTAANVRAAG_OBJECTTYPE,
    InterneTaakGegevens,
    ProductaanvraagGegevens,
)
from bff.compose.partij_registratie import (
    DigitaalAdresInput,
    RegistratieLinks,
    adressen_problems,
    registratie_links,
)
from bff.compose.partij_registratie_plan import NieuwDigitaalAdres
from bff.errors import InvalidParam
from bff.registration.model import Registration, RegistrationStatus
from bff.settings import ObjectenUpstreamSettings
from bff.upstreams.objecten import Object

PRODUCTAANVRAAG_HANDELING = "Zaak aanmaken voor de productaanvraag"
MAX_ACTOREN = 10
MAX_ADRESSEN = 10


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError("Not a valid id (a uuid).") from None


Uuid = Annotated[str, AfterValidator(_uuid)]


# -- the parts, as the frontend sends them ----------------------------------------------------


class ToegewezenInput(InModel):
    """Who an interne taak is assigned to: one or more actoren (medewerkers, afdelingen)."""

    actoren: list[Uuid] = Field(
        default_factory=list,
        max_length=MAX_ACTOREN,
        description="The medewerkers and/or afdelingen (actor ids) to do it; at least one.",
    )
    actor: Uuid | None = Field(
        default=None,
        description="Deprecated: one actor id; use `actoren`.",
        json_schema_extra={"deprecated": True},
    )

    def alle_actoren(self) -> list[str]:
        """Every assigned actor once, `actor` first (when given)."""
        return list(dict.fromkeys([*([self.actor] if self.actor else []), *self.actoren]))

    def gegevens(self) -> InterneTaakGegevens:
        """The journalled interne taak (subclasses add `gevraagdeHandeling`, `toelichting`)."""
        fields = self.model_dump(include={"gevraagde_handeling", "toelichting"})
        return InterneTaakGegevens(actoren=self.alle_actoren(), **fields)


class InterneTaakInput(ToegewezenInput):
    gevraagde_handeling: str = Field(min_length=1, max_length=200)
    toelichting: str | None = Field(default=None, max_length=1000)


class ProductaanvraagTaakInput(ToegewezenInput):
    """Who creates the zaak from the productaanvraag."""

    gevraagde_handeling: str = Field(
        default=PRODUCTAANVRAAG_HANDELING, min_length=1, max_length=200
    )
    toelichting: str | None = Field(
        default=None, max_length=900, description="The BFF appends the productaanvraag's id."
    )


def actoren_problems(taak: ToegewezenInput | None, field: str) -> list[InvalidParam]:
    """An interne taak is assigned to at least one actor."""
    if taak is None or taak.alle_actoren():
        return []
    return [InvalidParam(f"{field}.actoren", "Assign it to at least one actor.", "missing")]


class ProductaanvraagInput(InModel):
    productcode: str = Field(min_length=1, max_length=50)
    omschrijving: str = Field(min_length=1, max_length=200)
    toelichting: str | None = Field(default=None, max_length=1000)
    interne_taak: ProductaanvraagTaakInput | None = None

    def gegevens(self, aanvrager_bsn: str | None) -> ProductaanvraagGegevens:
        return ProductaanvraagGegevens(
            productcode=self.productcode,
            omschrijving=self.omschrijving,
            toelichting=self.toelichting,
            aanvrager_bsn=aanvrager_bsn,
            interne_taak=self.interne_taak.gegevens() if self.interne_taak else None,
        )


class BijlageInput(InModel):
    """An object that already exists in the Objects API, attached to the klantcontact."""

    object: Uuid = Field(description="The object's uuid in the Objects API.")


class VervolgInput(InModel):
    """`POST /api/v1/klantcontacten/{id}/vervolg`: one or more parts to add to a klantcontact."""

    interne_taak: InterneTaakInput | None = None
    zaak: Uuid | None = Field(default=None, description="Link the zaak it was about (zaak uuid).")
    productaanvraag: ProductaanvraagInput | None = None
    bijlage: BijlageInput | None = None
    digitale_adressen: list[DigitaalAdresInput] = Field(
        default_factory=list,
        max_length=MAX_ADRESSEN,
        description="Contact details for this request only (of the klantcontact's betrokkene).",
    )


def vervolg_problems(body: VervolgInput) -> list[InvalidParam]:
    """At least one part; the rules a single field cannot check."""
    problems: list[InvalidParam] = []
    if not (
        body.interne_taak
        or body.zaak
        or body.productaanvraag
        or body.bijlage
        or body.digitale_adressen
    ):
        problems.append(
            InvalidParam(
                "body",
                "Add at least one of interneTaak, zaak, productaanvraag, bijlage, "
                "digitaleAdressen.",
                "missing",
            )
        )
    problems += actoren_problems(body.interne_taak, "interneTaak")
    if body.productaanvraag is not None:
        problems += actoren_problems(
            body.productaanvraag.interne_taak, "productaanvraag.interneTaak"
        )
    for index, adres in enumerate(body.digitale_adressen):
        if adres.voorkeur:
            problems.append(
                InvalidParam(
                    f"digitaleAdressen.{index}.voorkeur",
                    "Contact details for this request cannot be a preferred address.",
                )
            )
    return problems + adressen_problems(body.digitale_adressen, "digitaleAdressen")


# -- the journal payload and its steps ----------------------------------------------------------


class BijlageObject(BaseModel):
    uuid: str
    code_objecttype: str | None = None  # None: not checked yet (the Objects API was down)


UNKNOWN_OBJECT = "There is no object with this id."


def bijlage_code(found: Object, settings: ObjectenUpstreamSettings) -> str:
    """How a bijlage names the object: `productaanvraag` for one of that objecttype."""
    productaanvraag = str(settings.productaanvraag_objecttype_url)
    return PRODUCTAANVRAAG_OBJECTTYPE if found.type == productaanvraag else OBJECT_OBJECTTYPE


def toegewezen_actoren(taken: list[tuple[str, ToegewezenInput | None]]) -> list[tuple[str, str]]:
    """(field, actor uuid) of every actor the interne taken (field, taak) are assigned to."""
    named: list[tuple[str, str]] = []
    for field, taak in taken:
        if taak is None:
            continue
        if taak.actor:
            named.append((f"{field}.actor", taak.actor))
        named += [(f"{field}.actoren.{i}", uuid) for i, uuid in enumerate(taak.actoren)]
    return named


class VervolgPlanInput(BaseModel):
    """A follow-up as journalled: the klantcontact (and its betrokkene) it adds to."""

    klantcontact: str
    betrokkene: str | None = None
    interne_taak: InterneTaakGegevens | None = None
    zaak: str | None = None
    productaanvraag: ProductaanvraagGegevens | None = None
    bijlage: BijlageObject | None = None
    adressen_betrokkene: list[NieuwDigitaalAdres] = Field(default_factory=list)


def vervolg_step_graph(data: VervolgPlanInput) -> dict[str, tuple[str, ...]]:
    """Step name -> the steps it waits for; the step names are those of a registration."""
    graph: dict[str, tuple[str, ...]] = {}
    if data.interne_taak:
        graph["internetaak"] = ()
    if data.zaak:
        graph["onderwerpobject"] = ()
    if data.adressen_betrokkene:
        graph["digitale-adressen-betrokkene"] = ()
    if data.bijlage:
        graph["bijlage-object"] = ()
    if data.productaanvraag:
        graph["productaanvraag"] = ()
        graph["bijlage"] = ("productaanvraag",)
        if data.productaanvraag.interne_taak:
            graph["internetaak-productaanvraag"] = ("productaanvraag",)
    return graph


# -- the answer ---------------------------------------------------------------------------------


class KlantcontactVervolg(OutModel):
    """What a follow-up made so far: every id, None while its step is not done."""

    registratie_id: str
    status: RegistrationStatus
    klantcontact: str
    interne_taak: str | None = None
    onderwerpobject: str | None = None
    digitale_adressen_betrokkene: list[str] = Field(
        default_factory=list, description="For this request only: of the betrokkene."
    )
    productaanvraag: str | None = Field(default=None, description="The object's uuid.")
    bijlage: str | None = Field(default=None, description="The productaanvraag's bijlage.")
    productaanvraag_interne_taak: str | None = None
    bijlage_object: str | None = Field(
        default=None, description="The bijlage naming the existing object."
    )
    links: RegistratieLinks


def compose_klantcontact_vervolg(reg: Registration) -> KlantcontactVervolg:
    done = reg.results()

    def made(step: str, key: str) -> Any:
        return done.get(step, {}).get(key)

    return KlantcontactVervolg(
        registratie_id=reg.id,
        status=reg.status,
        klantcontact=str(reg.payload["klantcontact"]),
        interne_taak=made("internetaak", "internetaak"),
        onderwerpobject=made("onderwerpobject", "onderwerpobject"),
        digitale_adressen_betrokkene=made("digitale-adressen-betrokkene", "digitaleAdressen") or [],
        productaanvraag=made("productaanvraag", "object"),
        bijlage=made("bijlage", "bijlage"),
        productaanvraag_interne_taak=made("internetaak-productaanvraag", "internetaak"),
        bijlage_object=made("bijlage-object", "bijlage"),
        links=registratie_links(reg),
    )
