"""Catalogi API 1.3.1 (Open Zaak 1.30): zaaktypen and statustypen by URL, cached.

Zaken refer to their zaaktype and statustype by URL. Those rarely change, so each is
kept in a TTL cache owned by the client instance; concurrent requests for the same
URL share one upstream call. URLs outside the configured Catalogi address are refused.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Any, TypeVar

import httpx
from cachetools import TTLCache

from bff.cache_stats import CacheStats
from bff.errors import NotFound
from bff.upstreams.base import Page, UpstreamClient, WireModel

M = TypeVar("M", bound=WireModel)


class ZaakType(WireModel):
    url: str
    identificatie: str | None = None
    omschrijving: str
    omschrijving_generiek: str | None = None
    vertrouwelijkheidaanduiding: str | None = None
    indicatie_intern_of_extern: str | None = None
    onderwerp: str | None = None
    doorlooptijd: str | None = None  # ISO 8601 duration, e.g. "P30D"
    servicenorm: str | None = None
    statustypen: tuple[str, ...] = ()
    begin_geldigheid: date | None = None
    einde_geldigheid: date | None = None
    concept: bool | None = None


class StatusType(WireModel):
    url: str
    omschrijving: str
    omschrijving_generiek: str | None = None
    statustekst: str | None = None
    zaaktype: str
    volgnummer: int
    is_eindstatus: bool | None = None
    informeren: bool | None = None


class CatalogiClient(UpstreamClient):
    """Open Zaak's Catalogi API over a ZGW JWT, with a per-instance TTL cache."""

    name = "catalogi"

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        timeout_s: float,
        cache_ttl_s: float = 3600,
        cache_size: int = 1024,
    ) -> None:
        super().__init__(http, timeout_s=timeout_s)
        self._zaaktypen: TTLCache[str, ZaakType] = TTLCache(maxsize=cache_size, ttl=cache_ttl_s)
        self._statustypen: TTLCache[str, StatusType] = TTLCache(maxsize=cache_size, ttl=cache_ttl_s)
        self._inflight: dict[str, asyncio.Future[Any]] = {}
        self.cache_stats = {"zaaktype": CacheStats(), "statustype": CacheStats()}

    async def get_zaaktype(self, url: str) -> ZaakType:
        return await self._cached(url, "zaaktypen", ZaakType, self._zaaktypen, "zaaktype")

    async def get_statustype(self, url: str) -> StatusType:
        return await self._cached(url, "statustypen", StatusType, self._statustypen, "statustype")

    def _path(self, url: str, collection: str) -> str:
        rel = self.relative(url)  # refuses foreign hosts
        tail = rel.removeprefix(f"{collection}/").strip("/")
        try:
            return f"{collection}/{uuid.UUID(tail)}"
        except ValueError:
            raise NotFound(f"{url!r} is not a {collection} URL of the Catalogi API.") from None

    async def _cached(
        self, url: str, collection: str, model: type[M], cache: TTLCache[str, M], kind: str
    ) -> M:
        path = self._path(url, collection)
        hit = cache.get(path)
        self.cache_stats[kind].record(hit=hit is not None)
        if hit is not None:
            return hit
        future = self._inflight.get(path)
        if future is None:
            future = asyncio.ensure_future(
                self.get_model(path, model, template=f"{collection}/{{uuid}}")
            )
            self._inflight[path] = future
            future.add_done_callback(lambda done: self._settled(path, done))
        # shield: one caller giving up must not cancel the call the others wait for
        found = await asyncio.shield(future)
        if not isinstance(found, model):  # pragma: no cover  # a path maps to one collection
            raise TypeError(f"cached {type(found).__name__} for a {model.__name__}")
        cache[path] = found
        return found

    def _settled(self, path: str, done: asyncio.Future[Any]) -> None:
        self._inflight.pop(path, None)
        if not done.cancelled():
            done.exception()  # retrieved: no "never retrieved" noise when every caller left

    async def probe(self) -> str | None:
        response = await self.request("GET", "zaaktypen")
        self.parse(response, Page)
        version: str | None = response.headers.get("API-version")
        return version
