"""Klantinteracties API 0.9.0 (Open Klant 2.18): partijen, identificatoren, digitale adressen."""

from __future__ import annotations

from collections.abc import Iterable

from bff.errors import UpstreamRejected
from bff.upstreams.klantinteracties.common import (
    PARTIJ_EXPAND,
    KlantinteractiesBase,
    duplicate_from,
    identificator_filters,
    is_duplicate_identificator,
    with_expand,
)
from bff.upstreams.klantinteracties.models import (
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    PartijIdentificatorGroepType,
    SoortDigitaalAdres,
)
from bff.upstreams.klantinteracties.writes import (
    DigitaalAdresCreate,
    DigitaalAdresPatch,
    PartijCreate,
    PartijIdentificatorCreate,
    PartijPatch,
)


class PartijenMixin(KlantinteractiesBase):
    # -- partijen ----------------------------------------------------------------------

    async def find_partij(
        self, identificator: PartijIdentificatorGroepType, *, expand: Iterable[str] = ()
    ) -> Partij | None:
        """The partij with this identificator (unique upstream), or None."""
        params = with_expand(
            identificator_filters("partijIdentificator__", identificator), expand, PARTIJ_EXPAND
        )
        found = await self.list_all("partijen", Partij, params=params, limit=1)
        return found[0] if found else None

    async def get_partij(self, uuid: str, *, expand: Iterable[str] = ()) -> Partij:
        return await self.get_model(
            f"partijen/{self.check_id(uuid, 'partij')}",
            Partij,
            params=with_expand({}, expand, PARTIJ_EXPAND),
            template="partijen/{uuid}",
            not_found_detail="This partij does not exist (any more) in Klantinteracties.",
        )

    async def create_partij(self, partij: PartijCreate) -> Partij:
        """Create a partij with its identificatoren in one atomic POST.

        Raises `DuplicatePartijIdentificator` when an identificator already exists: look
        the partij up again. (A race may also surface as a 500 `UpstreamError`.)
        """
        try:
            return await self.send_model("POST", "partijen", Partij, json=partij.body())
        except UpstreamRejected as exc:
            if is_duplicate_identificator(exc):
                raise duplicate_from(exc) from exc
            raise

    async def patch_partij(self, uuid: str, patch: PartijPatch) -> Partij:
        return await self.send_model(
            "PATCH",
            f"partijen/{self.check_id(uuid, 'partij')}",
            Partij,
            json=patch.body(),
            template="partijen/{uuid}",
        )

    async def set_voorkeurs_digitaal_adres(
        self, partij: Partij, digitaal_adres_uuid: str | None
    ) -> Partij:
        """PATCH the preferred address (one of the partij's own); None clears it.

        Open Klant accepts it on create only for an address in the same body, so a new
        partij gets its addresses first and this PATCH after.
        """
        patch = PartijPatch.of(partij, voorkeurs_digitaal_adres=digitaal_adres_uuid)
        return await self.patch_partij(partij.uuid, patch)

    # -- partij-identificatoren -------------------------------------------------------

    async def find_partij_identificatoren(
        self, identificator: PartijIdentificatorGroepType
    ) -> list[PartijIdentificator]:
        params = {
            "partijIdentificatorCodeRegister": identificator.code_register,
            "partijIdentificatorCodeObjecttype": identificator.code_objecttype,
            "partijIdentificatorCodeSoortObjectId": identificator.code_soort_object_id,
            "partijIdentificatorObjectId": identificator.object_id,
        }
        return await self.list_all("partij-identificatoren", PartijIdentificator, params=params)

    async def create_partij_identificator(
        self, identificator: PartijIdentificatorCreate
    ) -> PartijIdentificator:
        """Add an identificator to a partij; `DuplicatePartijIdentificator` when it exists."""
        try:
            return await self.send_model(
                "POST", "partij-identificatoren", PartijIdentificator, json=identificator.body()
            )
        except UpstreamRejected as exc:
            if is_duplicate_identificator(exc):
                raise duplicate_from(exc) from exc
            raise

    # -- digitale adressen -----------------------------------------------------------

    async def list_digitale_adressen(self, partij_uuid: str) -> list[DigitaalAdres]:
        """All digitale adressen a partij provided (`verstrektDoorPartij`)."""
        params = {"verstrektDoorPartij__uuid": self.check_id(partij_uuid, "partij")}
        return await self.list_all("digitaleadressen", DigitaalAdres, params=params)

    async def find_digitale_adressen(
        self, adres: str, *, soort: SoortDigitaalAdres | None = None
    ) -> list[DigitaalAdres]:
        """Digitale adressen with exactly this `adres` (no uniqueness upstream)."""
        params: dict[str, str] = {"adres": adres}
        if soort is not None:
            params["soortDigitaalAdres"] = soort
        return await self.list_all("digitaleadressen", DigitaalAdres, params=params)

    async def find_digitale_adressen_containing(
        self, text: str, *, soort: SoortDigitaalAdres | None = None
    ) -> list[DigitaalAdres]:
        """Digitale adressen whose `adres` contains `text`, ignoring case (`adres__icontains`).

        Open Klant stores `adres` as given and `adres` filters case-sensitively, so an
        e-mail address typed in another case is found this way; the caller keeps exact ones.
        """
        params: dict[str, str] = {"adres__icontains": text}
        if soort is not None:
            params["soortDigitaalAdres"] = soort
        return await self.list_all("digitaleadressen", DigitaalAdres, params=params)

    async def get_digitaal_adres(self, uuid: str) -> DigitaalAdres:
        return await self.get_model(
            f"digitaleadressen/{self.check_id(uuid, 'digitaal adres')}",
            DigitaalAdres,
            template="digitaleadressen/{uuid}",
        )

    async def create_digitaal_adres(self, adres: DigitaalAdresCreate) -> DigitaalAdres:
        return await self.send_model("POST", "digitaleadressen", DigitaalAdres, json=adres.body())

    async def patch_digitaal_adres(self, uuid: str, patch: DigitaalAdresPatch) -> DigitaalAdres:
        return await self.send_model(
            "PATCH",
            f"digitaleadressen/{self.check_id(uuid, 'digitaal adres')}",
            DigitaalAdres,
            json=patch.body(),
            template="digitaleadressen/{uuid}",
        )
