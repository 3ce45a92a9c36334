"""Klantinteracties API 0.9.0 (Open Klant 2.18): klantcontacten and what hangs off them.

Klantcontacten (newest first), `maak-klantcontact`, betrokkenen, onderwerpobjecten and
bijlagen. DELETE of a klantcontact cascades to everything hanging off it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from bff.errors import NotFound
from bff.upstreams.klantinteracties.common import (
    BETROKKENE_EXPAND,
    KLANTCONTACT_EXPAND,
    KlantinteractiesBase,
    PageOf,
    identificator_filters,
    with_expand,
)
from bff.upstreams.klantinteracties.models import (
    Betrokkene,
    Bijlage,
    Klantcontact,
    MaakKlantcontactResult,
    Onderwerpobject,
    PartijIdentificatorGroepType,
)
from bff.upstreams.klantinteracties.writes import (
    BetrokkeneCreate,
    BijlageCreate,
    KlantcontactPatch,
    MaakKlantcontact,
    OnderwerpobjectCreate,
)


class KlantcontactenMixin(KlantinteractiesBase):
    # -- klantcontacten ----------------------------------------------------------------

    async def klantcontacten_page(
        self,
        *,
        partij_uuid: str | None = None,
        partij_identificator: PartijIdentificatorGroepType | None = None,
        onderwerp_object_id: str | None = None,
        page: int = 1,
        page_size: int = 20,
        expand: Iterable[str] = (),
    ) -> PageOf[Klantcontact]:
        """One page of the klantcontacten of a partij (by its uuid or its identificator) or
        about an object such as a zaak (an onderwerpobject naming its id)."""
        given = [x for x in (partij_uuid, partij_identificator, onderwerp_object_id) if x]
        if len(given) != 1:
            raise ValueError("give exactly one of partij_uuid, partij_identificator, object id")
        if partij_uuid is not None:
            filters = {"hadBetrokkene__wasPartij__uuid": self.check_id(partij_uuid, "partij")}
        elif partij_identificator is not None:
            filters = identificator_filters(
                "hadBetrokkene__wasPartij__partijIdentificator__", partij_identificator
            )
        else:
            filters = {"onderwerpobject__onderwerpobjectidentificatorObjectId": str(given[0])}
        params = with_expand(filters, expand, KLANTCONTACT_EXPAND)
        return await self.page_of(
            "klantcontacten", Klantcontact, params=params, page=page, page_size=page_size
        )

    async def get_klantcontact(self, uuid: str, *, expand: Iterable[str] = ()) -> Klantcontact:
        return await self.get_model(
            f"klantcontacten/{self.check_id(uuid, 'klantcontact')}",
            Klantcontact,
            params=with_expand({}, expand, KLANTCONTACT_EXPAND),
            template="klantcontacten/{uuid}",
            not_found_detail="This klantcontact does not exist (any more) in Klantinteracties.",
        )

    async def find_klantcontact(
        self,
        referentienummer: str,
        *,
        by: Literal["referentienummer", "nummer"] = "referentienummer",
        expand: Iterable[str] = (),
    ) -> Klantcontact | None:
        """The klantcontact with this (unique) referentienummer, or with this (deprecated,
        older) upstream `nummer` when `by="nummer"`; None when there is none."""
        params = with_expand({by: referentienummer}, expand, KLANTCONTACT_EXPAND)
        found = await self.list_all("klantcontacten", Klantcontact, params=params, limit=1)
        return found[0] if found else None

    async def patch_klantcontact(self, uuid: str, patch: KlantcontactPatch) -> Klantcontact:
        return await self.send_model(
            "PATCH",
            f"klantcontacten/{self.check_id(uuid, 'klantcontact')}",
            Klantcontact,
            json=patch.body(),
            template="klantcontacten/{uuid}",
        )

    async def delete_klantcontact(self, uuid: str) -> bool:
        """Delete a klantcontact and (upstream cascade) its betrokkenen, onderwerpobjecten,
        bijlagen, actorklantcontacten and internetaken. False when it was already gone."""
        try:
            await self.request(
                "DELETE",
                f"klantcontacten/{self.check_id(uuid, 'klantcontact')}",
                template="klantcontacten/{uuid}",
            )
        except NotFound:
            return False
        return True

    async def maak_klantcontact(self, body: MaakKlantcontact) -> MaakKlantcontactResult:
        """Klantcontact, betrokkene and onderwerpobject in one upstream transaction."""
        return await self.send_model(
            "POST", "maak-klantcontact", MaakKlantcontactResult, json=body.body()
        )

    # -- betrokkenen -----------------------------------------------------------------

    async def create_betrokkene(self, betrokkene: BetrokkeneCreate) -> Betrokkene:
        return await self.send_model("POST", "betrokkenen", Betrokkene, json=betrokkene.body())

    async def get_betrokkene(self, uuid: str, *, expand: Iterable[str] = ()) -> Betrokkene:
        return await self.get_model(
            f"betrokkenen/{self.check_id(uuid, 'betrokkene')}",
            Betrokkene,
            params=with_expand({}, expand, BETROKKENE_EXPAND),
            template="betrokkenen/{uuid}",
        )

    async def list_betrokkenen(
        self,
        *,
        partij_uuid: str | None = None,
        klantcontact_uuid: str | None = None,
        expand: Iterable[str] = (),
    ) -> list[Betrokkene]:
        """Betrokkenen of a partij and/or a klantcontact (at least one filter)."""
        filters: dict[str, str] = {}
        if partij_uuid is not None:
            filters["wasPartij__uuid"] = self.check_id(partij_uuid, "partij")
        if klantcontact_uuid is not None:
            filters["hadKlantcontact__uuid"] = self.check_id(klantcontact_uuid, "klantcontact")
        if not filters:
            raise ValueError("give partij_uuid and/or klantcontact_uuid")
        params = with_expand(filters, expand, BETROKKENE_EXPAND)
        return await self.list_all("betrokkenen", Betrokkene, params=params)

    # -- onderwerpobjecten and bijlagen ----------------------------------------------

    async def create_onderwerpobject(
        self, onderwerpobject: OnderwerpobjectCreate
    ) -> Onderwerpobject:
        return await self.send_model(
            "POST", "onderwerpobjecten", Onderwerpobject, json=onderwerpobject.body()
        )

    async def list_onderwerpobjecten(self, klantcontact_uuid: str) -> list[Onderwerpobject]:
        params = {"klantcontact__uuid": self.check_id(klantcontact_uuid, "klantcontact")}
        return await self.list_all("onderwerpobjecten", Onderwerpobject, params=params)

    async def create_bijlage(self, bijlage: BijlageCreate) -> Bijlage:
        return await self.send_model("POST", "bijlagen", Bijlage, json=bijlage.body())

    async def list_bijlagen(self, klantcontact_uuid: str) -> list[Bijlage]:
        params = {"klantcontact__uuid": self.check_id(klantcontact_uuid, "klantcontact")}
        return await self.list_all("bijlagen", Bijlage, params=params)
