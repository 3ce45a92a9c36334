"""Klantinteracties API 0.9.0 (Open Klant 2.18): actoren, actorklantcontacten, interne taken.

Actoridentificator values are not unique upstream: a get-or-create of the logged-in
medewerker must be serialised by the caller. Interne taken have no `expand`: fetch
their actoren by uuid.
"""

from __future__ import annotations

from bff.upstreams.klantinteracties.common import KlantinteractiesBase, PageOf
from bff.upstreams.klantinteracties.models import (
    Actor,
    Actoridentificator,
    ActorKlantcontact,
    InterneTaak,
    InterneTaakStatus,
    SoortActor,
)
from bff.upstreams.klantinteracties.writes import ActorCreate, InterneTaakCreate, InterneTaakPatch


class ActorenMixin(KlantinteractiesBase):
    # -- actoren -----------------------------------------------------------------------

    async def find_actoren(self, identificator: Actoridentificator) -> list[Actor]:
        """Actoren matching every given field of the identificator (objectId required)."""
        if not identificator.object_id:
            raise ValueError("an actoridentificator search needs object_id")
        fields = {
            "actoridentificatorObjectId": identificator.object_id,
            "actoridentificatorCodeObjecttype": identificator.code_objecttype,
            "actoridentificatorCodeRegister": identificator.code_register,
            "actoridentificatorCodeSoortObjectId": identificator.code_soort_object_id,
        }
        params = {k: v for k, v in fields.items() if v is not None}
        return await self.list_all("actoren", Actor, params=params)

    async def get_actor(self, uuid: str) -> Actor:
        return await self.get_model(
            f"actoren/{self.check_id(uuid, 'actor')}",
            Actor,
            template="actoren/{uuid}",
            not_found_detail="This actor does not exist (any more) in Klantinteracties.",
        )

    async def list_actoren(
        self,
        *,
        naam: str | None = None,
        soort_actor: SoortActor | None = None,
        indicatie_actief: bool | None = None,
        page_size: int | None = None,
    ) -> list[Actor]:
        """Every actor matching the filters, all pages followed (`page_size` up to 500)."""
        params: dict[str, str] = {}
        if naam is not None:
            params["naam"] = naam
        if soort_actor is not None:
            params["soortActor"] = soort_actor
        if indicatie_actief is not None:
            params["indicatieActief"] = "true" if indicatie_actief else "false"
        return await self.list_all("actoren", Actor, params=params, page_size=page_size)

    async def create_actor(self, actor: ActorCreate) -> Actor:
        return await self.send_model("POST", "actoren", Actor, json=actor.body())

    # -- actorklantcontacten ----------------------------------------------------------

    async def create_actorklantcontact(
        self, *, actor_uuid: str, klantcontact_uuid: str
    ) -> ActorKlantcontact:
        body = {
            "actor": {"uuid": self.check_id(actor_uuid, "actor")},
            "klantcontact": {"uuid": self.check_id(klantcontact_uuid, "klantcontact")},
        }
        return await self.send_model("POST", "actorklantcontacten", ActorKlantcontact, json=body)

    async def list_actorklantcontacten(
        self, *, klantcontact_uuid: str | None = None, actor_uuid: str | None = None
    ) -> list[ActorKlantcontact]:
        params: dict[str, str] = {}
        if klantcontact_uuid is not None:
            params["klantcontact__uuid"] = self.check_id(klantcontact_uuid, "klantcontact")
        if actor_uuid is not None:
            params["actor__uuid"] = self.check_id(actor_uuid, "actor")
        if not params:
            raise ValueError("give klantcontact_uuid and/or actor_uuid")
        return await self.list_all("actorklantcontacten", ActorKlantcontact, params=params)

    # -- interne taken ---------------------------------------------------------------

    async def internetaken_page(
        self,
        *,
        toegewezen_aan_actor_uuid: str | None = None,
        aanleidinggevend_klantcontact_uuid: str | None = None,
        status: InterneTaakStatus | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> PageOf[InterneTaak]:
        """One page of interne taken; `toegewezen_aan_actor_uuid` matches any assigned actor."""
        params: dict[str, str] = {}
        if toegewezen_aan_actor_uuid is not None:
            params["toegewezenAanActor__uuid"] = self.check_id(toegewezen_aan_actor_uuid, "actor")
        if aanleidinggevend_klantcontact_uuid is not None:
            params["aanleidinggevendKlantcontact__uuid"] = self.check_id(
                aanleidinggevend_klantcontact_uuid, "klantcontact"
            )
        if status is not None:
            params["status"] = status
        return await self.page_of(
            "internetaken", InterneTaak, params=params, page=page, page_size=page_size
        )

    async def get_internetaak(self, uuid: str) -> InterneTaak:
        return await self.get_model(
            f"internetaken/{self.check_id(uuid, 'interne taak')}",
            InterneTaak,
            template="internetaken/{uuid}",
            not_found_detail="This interne taak does not exist (any more) in Klantinteracties.",
        )

    async def create_internetaak(self, taak: InterneTaakCreate) -> InterneTaak:
        return await self.send_model("POST", "internetaken", InterneTaak, json=taak.body())

    async def patch_internetaak(self, uuid: str, patch: InterneTaakPatch) -> InterneTaak:
        return await self.send_model(
            "PATCH",
            f"internetaken/{self.check_id(uuid, 'interne taak')}",
            InterneTaak,
            json=patch.body(),
            template="internetaken/{uuid}",
        )
