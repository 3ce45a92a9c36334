"""A klantcontact as the frontend shows it, with its betrokkenen, actoren, interne taken,
onderwerpobjecten and bijlagen: `compose_klantcontact`, shared by the klantbeeld and the
hand-over.

Pure. The klantcontact comes from Open Klant with `expand=hadBetrokkenen,
hadBetrokkenen.wasPartij,hadBetrokkenen.digitaleAdressen,leiddeTotInterneTaken,
gingOverOnderwerpobjecten,omvatteBijlagen` (`KLANTCONTACT_VIEW_EXPAND`; Open Klant 2.18
answers all six, see the conformance corpus); its actoren arrive inline
(`hadBetrokkenActoren`). What it only refers to is passed in, joined by uuid:

- `actors_by_uuid`: the actoren interne taken are assigned to (Open Klant has no expand
  there); one missing is shown by uuid only.
- `zaken_by_uuid`: the zaken onderwerpobjecten point at (identificator `zaak`/`uuid`);
  another onderwerpobject shows its identificator only.
- `partijen_by_uuid`: partijen of betrokkenen, to name a betrokkene without a name of its
  own. Open Klant expands an object repeated under several parents only once per
  response, so collect them over the whole page first (`expanded_partijen`).

Confidential klantcontacten (`vertrouwelijk`) keep their metadata, but `inhoud`,
`reactie` and the toelichting of their interne taken are null and `inhoudVerborgen` is
true unless `may_read_vertrouwelijk`. (The interne-taken worklist shows the toelichting
to the taak's assignees: it is addressed to them.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from pydantic import Field

from bff.codes import CodeTables
from bff.compose.actor import ActorView, ActorViews, actor_by_uuid
from bff.compose.base import Code, OutModel
from bff.compose.betrokkene import BetrokkeneView, compose_betrokkene
from bff.compose.identificator import IdentificatorView, compose_identificator
from bff.compose.zaak import ZaakView
from bff.upstreams.klantinteracties.models import (
    Actor,
    Bijlage,
    Identificator,
    InterneTaak,
    Klantcontact,
    KlantcontactExpand,
    Onderwerpobject,
    Partij,
)

KLANTCONTACT_VIEW_EXPAND = (
    "hadBetrokkenen",
    "hadBetrokkenen.wasPartij",
    "hadBetrokkenen.digitaleAdressen",
    "leiddeTotInterneTaken",
    "gingOverOnderwerpobjecten",
    "omvatteBijlagen",
)


class InterneTaakView(OutModel):
    uuid: str
    nummer: str | None = None
    klantcontact: str = Field(description="The uuid of the klantcontact it came from.")
    gevraagde_handeling: str
    toelichting: str | None = None
    status: Code
    toegewezen_aan_actoren: list[ActorView]
    toegewezen_op: datetime
    afgehandeld_op: datetime | None = None


class OnderwerpobjectView(OutModel):
    """`zaak` when the onderwerpobject is a zaak the caller could resolve."""

    uuid: str
    identificator: IdentificatorView | None = None
    zaak: ZaakView | None = None


class BijlageView(OutModel):
    uuid: str
    identificator: IdentificatorView | None = None


class KlantcontactView(OutModel):
    uuid: str
    nummer: str | None = Field(
        default=None, description="Open Klant's own number (older klantcontacten have one)."
    )
    referentienummer: str | None = None
    kanaal: Code
    taal: Code
    onderwerp: str
    inhoud: str | None = None
    reactie: str | None = None
    plaatsgevonden_op: datetime | None = None
    indicatie_contact_gelukt: bool | None = None
    verdere_actie_ondernomen: bool | None = None
    vertrouwelijk: bool
    inhoud_verborgen: bool = False
    betrokkenen: list[BetrokkeneView]
    actoren: list[ActorView]
    interne_taken: list[InterneTaakView]
    onderwerpobjecten: list[OnderwerpobjectView]
    bijlagen: list[BijlageView]


# -- joins over a page of klantcontacten ------------------------------------------


def _parts(kc: Klantcontact) -> KlantcontactExpand:
    """What `expand` inlined; nothing when the klantcontact was read without it."""
    return kc.expand or KlantcontactExpand()


def expanded_partijen(klantcontacten: Iterable[Klantcontact]) -> dict[str, Partij]:
    """Every partij expanded under any betrokkene of these klantcontacten, by uuid."""
    found: dict[str, Partij] = {}
    for kc in klantcontacten:
        for betrokkene in _parts(kc).had_betrokkenen or ():
            if betrokkene.expand and betrokkene.expand.was_partij:
                found[betrokkene.expand.was_partij.uuid] = betrokkene.expand.was_partij
    return found


def interne_taak_actor_uuids(klantcontacten: Iterable[Klantcontact]) -> list[str]:
    """The actoren the interne taken of these klantcontacten are assigned to (to fetch)."""
    uuids: dict[str, None] = {}
    for kc in klantcontacten:
        for taak in _parts(kc).leidde_tot_interne_taken or ():
            uuids.update(dict.fromkeys(ref.uuid for ref in taak.toegewezen_aan_actoren))
    return list(uuids)


def inline_actoren(klantcontacten: Iterable[Klantcontact]) -> list[Actor]:
    """The actoren that came inline (`hadBetrokkenActoren`): worth remembering."""
    return [actor for kc in klantcontacten for actor in kc.had_betrokken_actoren]


def zaak_uuid(identificator: Identificator | None) -> str | None:
    """The zaak uuid an onderwerpobject identificator points at, if it is a zaak."""
    if identificator is None or (identificator.code_objecttype or "").lower() != "zaak":
        return None
    value = identificator.object_id
    soort = (identificator.code_soort_object_id or "").lower()
    if not value or soort not in ("uuid", "url"):
        return None
    return value.rstrip("/").rsplit("/", 1)[-1].lower()


def onderwerp_zaak_uuids(klantcontacten: Iterable[Klantcontact]) -> list[str]:
    """The zaken the onderwerpobjecten of these klantcontacten point at (to fetch)."""
    uuids: dict[str, None] = {}
    for kc in klantcontacten:
        for obj in _parts(kc).ging_over_onderwerpobjecten or ():
            if (found := zaak_uuid(obj.onderwerpobjectidentificator)) is not None:
                uuids[found] = None
    return list(uuids)


# -- compose ------------------------------------------------------------------------


def compose_interne_taak(
    taak: InterneTaak,
    *,
    codes: CodeTables,
    actors_by_uuid: Mapping[str, Actor],
    hide_toelichting: bool = False,
    actor_views: ActorViews | None = None,
) -> InterneTaakView:
    """`hide_toelichting`: the taak belongs to a confidential klantcontact the reader may
    not read; its toelichting is free text about that contact. `actor_views`: the page's
    actor views, shared by the taken of one page."""
    actor = actor_views.by_uuid if actor_views is not None else None
    return InterneTaakView(
        uuid=taak.uuid,
        nummer=taak.nummer,
        klantcontact=taak.aanleidinggevend_klantcontact.uuid,
        gevraagde_handeling=taak.gevraagde_handeling,
        toelichting=None if hide_toelichting else taak.toelichting,
        status=codes.internetaak_status(taak.status),
        toegewezen_aan_actoren=[
            actor(ref.uuid) if actor else actor_by_uuid(ref.uuid, actors_by_uuid, codes)
            for ref in taak.toegewezen_aan_actoren
        ],
        toegewezen_op=taak.toegewezen_op,
        afgehandeld_op=taak.afgehandeld_op,
    )


def _onderwerpobject(
    obj: Onderwerpobject, zaken_by_uuid: Mapping[str, ZaakView], codes: CodeTables
) -> OnderwerpobjectView:
    uuid = zaak_uuid(obj.onderwerpobjectidentificator)
    return OnderwerpobjectView(
        uuid=obj.uuid,
        identificator=compose_identificator(obj.onderwerpobjectidentificator, codes),
        zaak=zaken_by_uuid.get(uuid) if uuid else None,
    )


def _bijlage(bijlage: Bijlage, codes: CodeTables) -> BijlageView:
    return BijlageView(
        uuid=bijlage.uuid, identificator=compose_identificator(bijlage.bijlageidentificator, codes)
    )


def compose_klantcontact(
    kc: Klantcontact,
    *,
    codes: CodeTables,
    actors_by_uuid: Mapping[str, Actor],
    zaken_by_uuid: Mapping[str, ZaakView],
    may_read_vertrouwelijk: bool,
    partijen_by_uuid: Mapping[str, Partij] | None = None,
    actor_views: ActorViews | None = None,
) -> KlantcontactView:
    """The klantcontact with everything hanging off it; see the module docstring.

    Composing a page, pass one `ActorViews` for all its klantcontacten."""
    expanded = _parts(kc)
    hidden = kc.vertrouwelijk and not may_read_vertrouwelijk
    actors = actor_views or ActorViews(codes, actors_by_uuid)
    objecten = expanded.ging_over_onderwerpobjecten or ()
    zaken = {k.lower(): v for k, v in zaken_by_uuid.items()} if objecten else {}
    return KlantcontactView(
        uuid=kc.uuid,
        nummer=kc.nummer,
        referentienummer=kc.referentienummer,
        kanaal=codes.kanaal(kc.kanaal),
        taal=codes.taal(kc.taal),
        onderwerp=kc.onderwerp,
        inhoud=None if hidden else kc.inhoud,
        reactie=None if hidden else kc.reactie,
        plaatsgevonden_op=kc.plaatsgevonden_op,
        indicatie_contact_gelukt=kc.indicatie_contact_gelukt,
        verdere_actie_ondernomen=kc.verdere_actie_ondernomen,
        vertrouwelijk=kc.vertrouwelijk,
        inhoud_verborgen=hidden,
        betrokkenen=[
            compose_betrokkene(b, codes, partijen_by_uuid or {})
            for b in expanded.had_betrokkenen or ()
        ],
        actoren=[actors.of(a) for a in kc.had_betrokken_actoren],
        interne_taken=[
            compose_interne_taak(
                t,
                codes=codes,
                actors_by_uuid=actors_by_uuid,
                hide_toelichting=hidden,
                actor_views=actors,
            )
            for t in expanded.leidde_tot_interne_taken or ()
        ],
        onderwerpobjecten=[_onderwerpobject(o, zaken, codes) for o in objecten],
        bijlagen=[_bijlage(b, codes) for b in expanded.omvatte_bijlagen or ()],
    )
