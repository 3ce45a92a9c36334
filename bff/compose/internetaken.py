"""Interne taken as the medewerker or afdeling they are assigned to sees them, and their changes.

Pure. A list item carries everything a worker needs to act without a second request:
the gevraagde handeling, toelichting, status with its label, the assigned actoren and a
summary of the klantcontact that caused it (onderwerp, klant's name, kanaal, date,
referentienummer and nummer, vertrouwelijk, and the contact details the klant gave for
this request: the number to call back on) plus the `etag` to send as If-Match when changing it.

Changes (`InterneTaakChange`, the PATCH body) are checked against the current version by
`plan_change`: `verwerkt` only from `te_verwerken`, reopening (`te_verwerken`) only from
`verwerkt`, reassigning (the list replaces the current one) only while the result is
`te_verwerken`. `afgehandeldOp` is Klantinteracties' to set and clear, never the client's.

An interne taak from a vertrouwelijk klantcontact belongs to its assignees: only a
medewerker it is assigned to and holders of the role for confidential contacts
(`Reader.may_read_vertrouwelijk`) see its toelichting and its `etag`, and only they may
change it (`may_handle`). Everyone else sees it listed with `toelichtingVerborgen`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator, model_validator

from bff.codes import CodeTables
from bff.compose.actor import ActorView, actor_by_uuid
from bff.compose.adres import DigitaalAdresView
from bff.compose.base import Code, InModel, OutModel
from bff.compose.betrokkene import (
    betrokkene_digitale_adressen,
    betrokkene_geheimhouding,
    betrokkene_naam,
)
from bff.compose.paging import Paging, next_cursor
from bff.errors import InvalidInput, InvalidParam
from bff.etag import internetaak_etag
from bff.upstreams.klantinteracties.models import (
    Actor,
    Betrokkene,
    InterneTaak,
    InterneTaakStatus,
    Klantcontact,
)
from bff.upstreams.klantinteracties.writes import InterneTaakPatch

MAX_ASSIGNEES = 20
READ_ONLY = {
    "afgehandeldOp": "Klantinteracties sets afgehandeldOp when the status becomes verwerkt "
    "and clears it on reopening; change the status instead.",
    "toegewezenOp": "Klantinteracties sets toegewezenOp when the interne taak is created.",
}


@dataclass(frozen=True)
class Reader:
    """Who is looking: the role for confidential contacts, and their own actor (if known)."""

    may_read_vertrouwelijk: bool
    actor: str | None = None


def may_handle(taak: InterneTaak, klantcontact: Klantcontact | None, reader: Reader) -> bool:
    """May `reader` see the toelichting of `taak` and change it? See the module docstring."""
    if reader.may_read_vertrouwelijk or klantcontact is None or not klantcontact.vertrouwelijk:
        return True
    return reader.actor is not None and any(
        ref.uuid == reader.actor for ref in taak.toegewezen_aan_actoren
    )


def _actor_id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError("An actor is given by its id (a uuid).") from None


ActorId = Annotated[str, AfterValidator(_actor_id)]


class InterneTaakChange(InModel):
    """A change to an interne taak: a new status and/or the actoren it is assigned to."""

    status: InterneTaakStatus | None = Field(
        default=None, description="`verwerkt` to finish it, `te_verwerken` to reopen it."
    )
    toegewezen_aan_actoren: list[ActorId] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_ASSIGNEES,
        description="Actor ids (medewerkers, afdelingen); replaces the current list.",
    )

    @field_validator("status", "toegewezen_aan_actoren")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("Leave the field out instead of sending null.")
        return value

    @model_validator(mode="after")
    def _something(self) -> InterneTaakChange:
        if not self.model_fields_set:
            raise ValueError("Send status and/or toegewezenAanActoren.")
        return self

    def assignees(self) -> list[str]:
        """The requested actoren, each once, in the order given."""
        return list(dict.fromkeys(self.toegewezen_aan_actoren or ()))


def explain_read_only(exc: InvalidInput) -> InvalidInput:
    """Say why `afgehandeldOp` (and `toegewezenOp`) may not be sent, instead of "Unknown field"."""
    params = [
        InvalidParam(p.name, READ_ONLY[p.name], "read-only") if p.name in READ_ONLY else p
        for p in exc.params
    ]
    return InvalidInput(params)


def plan_change(current: InterneTaak, change: InterneTaakChange) -> InterneTaakPatch:
    """The upstream PATCH for `change`, or 422 naming each field whose transition is invalid."""
    params: list[InvalidParam] = []
    target = change.status or current.status
    if change.status is not None and change.status == current.status:
        reason = (
            "This interne taak is already verwerkt."
            if current.status == "verwerkt"
            else "This interne taak is still te_verwerken; only a verwerkt one can be reopened."
        )
        params.append(InvalidParam("status", reason, "invalid-transition"))
    if change.toegewezen_aan_actoren is not None and target == "verwerkt":
        reason = (
            "A verwerkt interne taak cannot be reassigned; reopen it "
            "(status te_verwerken) in the same request."
        )
        params.append(InvalidParam("toegewezenAanActoren", reason, "invalid-transition"))
    if params:
        raise InvalidInput(params)
    patch: dict[str, object] = {}
    if change.status is not None:
        patch["status"] = change.status
    if change.toegewezen_aan_actoren is not None:
        patch["toegewezen_aan_actoren"] = change.assignees()
    return InterneTaakPatch.model_validate(patch)


def check_assignees(requested: Sequence[str], found: Mapping[str, Actor]) -> None:
    """422 naming every requested actor that does not exist or is no longer active."""
    params: list[InvalidParam] = []
    for index, actor_id in enumerate(requested):
        name = f"toegewezenAanActoren.{index}"
        actor = found.get(actor_id)
        if actor is None:
            params.append(InvalidParam(name, "There is no actor with this id.", "unknown-actor"))
        elif actor.indicatie_actief is False:
            params.append(InvalidParam(name, "This actor is no longer active.", "inactive-actor"))
    if params:
        raise InvalidInput(params)


# -- views -------------------------------------------------------------------------------


class KlantcontactSummary(OutModel):
    """The klantcontact an interne taak came from, enough to act on it."""

    uuid: str
    nummer: str | None = None
    referentienummer: str | None = None
    onderwerp: str
    klantnaam: str | None = Field(default=None, description="Null when the caller is unknown.")
    geheimhouding: bool = Field(
        default=False, description="The klant's partij has indicatieGeheimhouding."
    )
    kanaal: Code
    plaatsgevonden_op: datetime | None = None
    vertrouwelijk: bool
    digitale_adressen: list[DigitaalAdresView] = Field(
        default_factory=list,
        description="Contact details the klant gave for this request only (to call back on).",
    )


class InterneTaakDetail(OutModel):
    """An interne taak with its actoren and the klantcontact that caused it."""

    uuid: str
    nummer: str | None = None
    etag: str | None = Field(
        description="Send as If-Match to change this interne taak; null when you may not "
        "(a taak from a vertrouwelijk klantcontact assigned to someone else)."
    )
    gevraagde_handeling: str
    toelichting: str | None = None
    toelichting_verborgen: bool = Field(
        default=False,
        description="The toelichting is withheld: the klantcontact is vertrouwelijk and the "
        "taak is not assigned to you.",
    )
    status: Code
    toegewezen_op: datetime
    afgehandeld_op: datetime | None = None
    toegewezen_aan_actoren: list[ActorView]
    klantcontact: KlantcontactSummary | None = Field(
        default=None, description="Null when the klantcontact no longer exists."
    )


INTERNE_TAKEN_CURSOR = "it1"


class InterneTakenPage(OutModel):
    """One page of interne taken, newest first, in the list envelope (see `compose.paging`)."""

    items: list[InterneTaakDetail]
    count: int | None = Field(description="All matching interne taken; null past the end.")
    page_size: int
    next_cursor: str | None = None


def klant_of(kc: Klantcontact) -> Betrokkene | None:
    """The betrokkene in the rol of klant (the initiator first), from `hadBetrokkenen` expanded."""
    betrokkenen = (kc.expand.had_betrokkenen if kc.expand else None) or ()
    klanten = [b for b in betrokkenen if b.rol == "klant"]
    klanten.sort(key=lambda b: not b.initiator)
    return klanten[0] if klanten else None


def compose_summary(kc: Klantcontact, codes: CodeTables) -> KlantcontactSummary:
    klant = klant_of(kc)
    return KlantcontactSummary(
        uuid=kc.uuid,
        nummer=kc.nummer,
        referentienummer=kc.referentienummer,
        onderwerp=kc.onderwerp,
        klantnaam=betrokkene_naam(klant, {}) if klant else None,
        geheimhouding=betrokkene_geheimhouding(klant, {}) if klant else False,
        kanaal=codes.kanaal(kc.kanaal),
        plaatsgevonden_op=kc.plaatsgevonden_op,
        vertrouwelijk=kc.vertrouwelijk,
        digitale_adressen=betrokkene_digitale_adressen(klant, codes) if klant else [],
    )


def compose_internetaak(
    taak: InterneTaak,
    *,
    codes: CodeTables,
    actors_by_uuid: Mapping[str, Actor],
    klantcontact: Klantcontact | None,
    reader: Reader,
) -> InterneTaakDetail:
    allowed = may_handle(taak, klantcontact, reader)
    return InterneTaakDetail(
        uuid=taak.uuid,
        nummer=taak.nummer,
        etag=internetaak_etag(taak) if allowed else None,
        gevraagde_handeling=taak.gevraagde_handeling,
        toelichting=taak.toelichting if allowed else None,
        toelichting_verborgen=not allowed,
        status=codes.internetaak_status(taak.status),
        toegewezen_op=taak.toegewezen_op,
        afgehandeld_op=taak.afgehandeld_op,
        toegewezen_aan_actoren=[
            actor_by_uuid(ref.uuid, actors_by_uuid, codes) for ref in taak.toegewezen_aan_actoren
        ],
        klantcontact=compose_summary(klantcontact, codes) if klantcontact else None,
    )


def compose_page(
    taken: Sequence[InterneTaak],
    *,
    codes: CodeTables,
    actors_by_uuid: Mapping[str, Actor],
    klantcontacten: Mapping[str, Klantcontact],
    reader: Reader,
    paging: Paging,
    count: int | None,
    has_next: bool,
) -> InterneTakenPage:
    return InterneTakenPage(
        items=[
            compose_internetaak(
                taak,
                codes=codes,
                actors_by_uuid=actors_by_uuid,
                klantcontact=klantcontacten.get(taak.aanleidinggevend_klantcontact.uuid),
                reader=reader,
            )
            for taak in taken
        ],
        count=count,
        page_size=paging.page_size,
        next_cursor=next_cursor(INTERNE_TAKEN_CURSOR, paging, has_next=has_next),
    )
