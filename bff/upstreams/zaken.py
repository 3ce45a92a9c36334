"""Zaken API 1.5.1 (Open Zaak 1.30): the zaken of a person or organisation, a zaak, a status.

Open Zaak answers 412 without `Accept-Crs` on zaken, so every non-DELETE request
carries `Accept-Crs: EPSG:4326`, and every write `Content-Crs` too. The zaken of a
person are searched with `POST /zaken/_zoek` so the BSN travels in the body, never in
a URL; its `next` links are followed by POSTing the same body again. Zaaktype and
statustype are resolved through the Catalogi client (cached), or in the same call with
Open Zaak's `expand` (`ZAAK_EXPAND`: zaaktype, status, status.statustype), parsed into
`Zaak.expand`.

The zaken of an organisation are searched by KvK-nummer in the same `_zoek` body. Those
of a vestiging go by `GET /zaken?rol__betrokkeneIdentificatie__vestiging__vestigingsNummer`:
that filter is proven on the list, and `_zoek` ignores a key it does not know and would
answer every zaak; the list refuses one (400), and takes `expand` comma-separated.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import Field

from bff.errors import NotFound
from bff.upstreams.base import (
    Page,
    PageOutOfRange,
    UpstreamClient,
    WireModel,
    crs_headers,
    next_page_query,
    page_type,
)
from bff.upstreams.catalogi import StatusType, ZaakType

BSN_PATTERN = re.compile(r"^[0-9]{9}$")
KVK_PATTERN = re.compile(r"^[0-9]{8}$")
VESTIGINGSNUMMER_PATTERN = re.compile(r"^[0-9]{12}$")
ROL = "rol__betrokkeneIdentificatie"
ZAAK_EXPAND = ("zaaktype", "status", "status.statustype")


class Zaak(WireModel):
    url: str
    uuid: str
    identificatie: str | None = None
    bronorganisatie: str | None = None
    omschrijving: str | None = None
    toelichting: str | None = None
    zaaktype: str
    registratiedatum: date | None = None
    startdatum: date
    einddatum: date | None = None
    einddatum_gepland: date | None = None
    uiterlijke_einddatum_afdoening: date | None = None
    vertrouwelijkheidaanduiding: str | None = None
    status: str | None = None  # URL of the current status, on this API
    resultaat: str | None = None
    expand: ZaakExpand | None = Field(default=None, alias="_expand")


class Status(WireModel):
    url: str
    uuid: str | None = None
    zaak: str
    statustype: str  # URL, on the Catalogi API
    datum_status_gezet: datetime
    statustoelichting: str | None = None
    indicatie_laatst_gezette_status: bool | None = None
    expand: StatusExpand | None = Field(default=None, alias="_expand")


class StatusExpand(WireModel):
    statustype: StatusType | None = None


class ZaakExpand(WireModel):
    """What `expand` inlined; a name not asked for is absent (None)."""

    zaaktype: ZaakType | None = None
    status: Status | None = None


for _model in (Zaak, Status):
    _model.model_rebuild()


class ZakenClient(UpstreamClient):
    """Open Zaak's Zaken API over a ZGW JWT."""

    name = "zaken"

    def headers_for(self, method: str) -> Mapping[str, str]:
        return crs_headers(method)

    def resource_path(self, ref: str, collection: str) -> str:
        """`<collection>/<uuid>` for a uuid or for this API's URL of that resource."""
        rel = self.relative(ref) if ref.startswith(("http://", "https://")) else ref
        tail = rel.removeprefix(f"{collection}/")
        try:
            return f"{collection}/{uuid.UUID(tail.strip('/'))}"
        except ValueError:
            raise NotFound(f"There is no {collection} entry {ref!r} in Zaken.") from None

    async def zaken_of_persoon(
        self,
        bsn: str,
        *,
        page_size: int = 100,
        limit: int | None = None,
        expand: Sequence[str] = (),
    ) -> list[Zaak]:
        """Every zaak with a rol for this natuurlijk persoon, all pages followed.

        `expand` (names from `ZAAK_EXPAND`) travels in the body, as the `_zoek` schema allows.
        """
        if not BSN_PATTERN.match(bsn):
            raise ValueError("a BSN is 9 digits")
        body = {f"{ROL}__natuurlijkPersoon__inpBsn": bsn}
        return await self._zoek(body, page_size=page_size, limit=limit, expand=expand)

    async def zaken_of_organisatie(
        self,
        kvk_nummer: str,
        *,
        vestigingsnummer: str | None = None,
        page_size: int = 100,
        limit: int | None = None,
        expand: Sequence[str] = (),
    ) -> list[Zaak]:
        """Every zaak with a rol for this organisatie, or for its vestiging when one is given.

        By KvK-nummer: the niet-natuurlijk-persoon rollen, through `_zoek`. By
        vestigingsnummer: the vestiging rollen, through the list (see the module docstring).
        """
        if not KVK_PATTERN.match(kvk_nummer):
            raise ValueError("a KvK-nummer is 8 digits")
        if vestigingsnummer is None:
            body = {f"{ROL}__nietNatuurlijkPersoon__kvkNummer": kvk_nummer}
            return await self._zoek(body, page_size=page_size, limit=limit, expand=expand)
        if not VESTIGINGSNUMMER_PATTERN.match(vestigingsnummer):
            raise ValueError("a vestigingsnummer is 12 digits")
        _check_expand(expand)
        query: dict[str, Any] = {f"{ROL}__vestiging__vestigingsNummer": vestigingsnummer}
        if expand:
            query["expand"] = ",".join(expand)
        return await self._all_pages("GET", "zaken", {"pageSize": page_size, **query}, limit=limit)

    async def _zoek(
        self,
        body: dict[str, Any],
        *,
        page_size: int,
        limit: int | None,
        expand: Sequence[str],
    ) -> list[Zaak]:
        _check_expand(expand)
        if expand:
            body = {**body, "expand": list(expand)}  # a comma-separated string is a 500
        return await self._all_pages(
            "POST", "zaken/_zoek", {"pageSize": page_size}, json=body, limit=limit
        )

    async def _all_pages(
        self,
        method: str,
        path: str,
        first: dict[str, Any],
        *,
        json: dict[str, Any] | None = None,
        limit: int | None,
    ) -> list[Zaak]:
        """Follow `next` links (their query, on our base URL); a POST sends the body again."""
        zaken: list[Zaak] = []
        params: dict[str, Any] | None = first
        asked: list[dict[str, Any]] = []
        while params is not None and params not in asked:  # a `next` loop ends the list
            asked.append(params)
            try:
                page = await self.send_model(
                    method, path, page_type(Zaak), json=json, params=params, template=path
                )
            except PageOutOfRange:
                break
            for zaak in page.results:
                zaken.append(zaak)
                if limit is not None and len(zaken) >= limit:
                    return zaken
            params = next_page_query(page.next)
        return zaken

    async def get_zaak(self, ref: str) -> Zaak:
        """A zaak by uuid or by its URL on this API."""
        return await self.get_model(
            self.resource_path(ref, "zaken"),
            Zaak,
            template="zaken/{uuid}",
            not_found_detail="This zaak does not exist (any more) in Zaken.",
        )

    async def get_status(self, ref: str) -> Status:
        """A status by uuid or by its URL (as in `Zaak.status`)."""
        return await self.get_model(
            self.resource_path(ref, "statussen"), Status, template="statussen/{uuid}"
        )

    async def probe(self) -> str | None:
        response = await self.request("GET", "zaken", params={"pageSize": 1})
        self.parse(response, Page)
        version: str | None = response.headers.get("API-version")
        return version


def _check_expand(expand: Sequence[str]) -> None:
    if any(name not in ZAAK_EXPAND for name in expand):
        raise ValueError(f"expand: only {', '.join(ZAAK_EXPAND)}")
