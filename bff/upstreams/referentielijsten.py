"""Referentielijsten API 0.2.0: the items of a reference table (kanalen, talen, landen).

No authentication. `GET /items?tabel__code=<TABEL>`, all pages followed. Validity
windows are returned as given; choosing the valid items is `bff.codes`' job.
"""

from __future__ import annotations

from datetime import datetime

import httpx

from bff.upstreams.base import Page, UpstreamClient, WireModel


class Item(WireModel):
    code: str
    naam: str
    begindatum_geldigheid: datetime | None = None
    einddatum_geldigheid: datetime | None = None


class ReferentielijstenClient(UpstreamClient):
    """Referentielijsten, unauthenticated; `probe_tabel` is the tabel the probe reads."""

    name = "referentielijsten"

    def __init__(
        self, http: httpx.AsyncClient, *, timeout_s: float, probe_tabel: str = "KANAAL"
    ) -> None:
        super().__init__(http, timeout_s=timeout_s)
        self.probe_tabel = probe_tabel

    async def list_items(self, tabel_code: str, *, page_size: int | None = None) -> list[Item]:
        """Every item of the tabel, valid or not (an unknown tabel gives an empty list).

        `page_size` (the API allows up to 500) fetches a whole tabel in fewer calls.
        """
        return await self.list_all(
            "items", Item, params={"tabel__code": tabel_code}, page_size=page_size
        )

    async def probe(self) -> str | None:
        response = await self.request(
            "GET", "items", params={"tabel__code": self.probe_tabel, "pageSize": 1}
        )
        self.parse(response, Page)
        version: str | None = response.headers.get("API-version")
        return version
