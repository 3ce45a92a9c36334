"""The actoren index: every active actor of Klantinteracties in memory, found by naam or uuid.

Open Klant filters actoren only on the exact `naam`, so picking a colleague or an
afdeling ("verg" -> Vergunningen) needs the list in memory. The index loads every active
actor on first use (the first request waits for it; concurrent first requests share one
load), then reloads it every `actoren.refresh_interval_s` in the background. A failed
reload is logged and the last good copy stays in use; a failed *first* load fails the
request that needed it, and the next request tries again.

Lookups by uuid are the job of `bff.actor_cache.ActorCache`; every load hands the
actoren to it (`remember`), so resolving the actoren of interne taken costs no call
for an actor the index already holds. Matching (`search_actoren`) is a pure function:
every word of the query must occur in the naam, ignoring case and accents.
"""

from __future__ import annotations

import asyncio
import contextlib
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from bff.actor_cache import ActorCache
from bff.logs import get_logger
from bff.settings import ActorenSettings
from bff.upstreams.klantinteracties.models import Actor, SoortActor

log = get_logger("bff.actoren_index")

LOAD_PAGE_SIZE = 500  # the largest page Open Klant serves


class ActorSource(Protocol):
    """What the index needs of the Klantinteracties client."""

    async def list_actoren(
        self, *, indicatie_actief: bool | None = None, page_size: int | None = None
    ) -> list[Actor]: ...


def normalise(text: str) -> str:
    """Casefolded, accents removed: `Çelik` and `celik` compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_actoren(
    actoren: Iterable[Actor], naam: str, *, soort_actor: SoortActor | None = None, limit: int
) -> list[Actor]:
    """Actoren whose naam contains every word of `naam`; best matches first, at most `limit`.

    Order: exact naam, naam starting with the query, a word of the naam starting with the
    first query word, any other match; then alphabetically.
    """
    query = normalise(naam).strip()
    words = query.split()
    if not words:
        return []
    ranked: list[tuple[int, str, str, Actor]] = []
    for actor in actoren:
        if soort_actor is not None and actor.soort_actor != soort_actor:
            continue
        target = normalise(actor.naam)
        if not all(word in target for word in words):
            continue
        if target == query:
            rank = 0
        elif target.startswith(query):
            rank = 1
        elif any(part.startswith(words[0]) for part in target.split()):
            rank = 2
        else:
            rank = 3
        ranked.append((rank, target, actor.uuid, actor))
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked[:limit]]


@dataclass(frozen=True)
class ActorenSnapshot:
    """The active actoren at one moment."""

    actoren: tuple[Actor, ...]
    by_uuid: Mapping[str, Actor]
    loaded_at: datetime

    @classmethod
    def of(cls, actoren: Iterable[Actor]) -> ActorenSnapshot:
        items = tuple(actoren)
        return cls(items, {a.uuid: a for a in items}, datetime.now(UTC))


class ActorenIndex:
    """All active actoren, loaded on first use and refreshed in the background."""

    def __init__(
        self,
        source: ActorSource,
        settings: ActorenSettings,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._source = source
        self.settings = settings
        self._sleep = sleep
        self._snapshot: ActorenSnapshot | None = None
        self._loading: asyncio.Task[ActorenSnapshot] | None = None
        self._refresher: asyncio.Task[None] | None = None
        self._cache: ActorCache | None = None
        self.loads = 0  # successful loads, for the health of the index and for tests

    def feed(self, cache: ActorCache) -> None:
        """Hand every loaded actor to `cache` (the by-uuid cache), now and after each load."""
        self._cache = cache
        if self._snapshot is not None:
            cache.remember(self._snapshot.actoren)

    # -- reading -----------------------------------------------------------------------

    async def snapshot(self) -> ActorenSnapshot:
        """The current copy; the first call waits for the initial load (and may raise)."""
        if self._snapshot is not None:
            return self._snapshot
        return await self.refresh()

    async def search(
        self, naam: str, *, soort_actor: SoortActor | None = None, limit: int | None = None
    ) -> list[Actor]:
        snapshot = await self.snapshot()
        return search_actoren(
            snapshot.actoren,
            naam,
            soort_actor=soort_actor,
            limit=limit or self.settings.max_results,
        )

    # -- loading -----------------------------------------------------------------------

    @property
    def refreshing(self) -> bool:
        return self._loading is not None

    async def refresh(self) -> ActorenSnapshot:
        """Load every active actor now (concurrent callers share one load); raises on failure."""
        if self._loading is None:
            task = asyncio.ensure_future(self._load())
            self._loading = task
            task.add_done_callback(self._loaded)
        # shield: one caller giving up must not cancel the load the others wait for
        return await asyncio.shield(self._loading)

    async def aclose(self) -> None:
        tasks = [t for t in (self._refresher, self._loading) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _load(self) -> ActorenSnapshot:
        actoren = await self._source.list_actoren(indicatie_actief=True, page_size=LOAD_PAGE_SIZE)
        return ActorenSnapshot.of(actoren)

    def _loaded(self, task: asyncio.Task[ActorenSnapshot]) -> None:
        self._loading = None
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.warning(
                "actoren_refresh_failed",
                error=type(error).__name__,
                kept_copy=self._snapshot is not None,
            )
            return
        self._snapshot = task.result()
        self.loads += 1
        if self._cache is not None:
            self._cache.remember(self._snapshot.actoren)
        log.info("actoren_loaded", actoren=len(self._snapshot.actoren))
        if self._refresher is None:
            self._refresher = asyncio.ensure_future(self._keep_fresh())

    async def _keep_fresh(self) -> None:
        while True:
            await self._sleep(self.settings.refresh_interval_s)
            with contextlib.suppress(Exception):  # logged by `_loaded`; the loop must go on
                await self.refresh()
