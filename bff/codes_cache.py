"""The cache of the reference tables (`bff.codes`): TTL, background refresh, last good copy.

`Codes` loads the KANAAL, TAAL and LAND tables of Referentielijsten (one call each, pages
of 500), keeps them for `referentielijsten.cache_ttl_s`, and refreshes them in the
background when 80% of that has passed. When Referentielijsten fails it serves the last
good copy, marked `stale`, and retries after `retry_s`; before any load succeeded it
serves the bundled lists (`bff/data/`: talen and landen; no kanalen). `await
codes.tables()` does no I/O once warm and never raises; `snapshot()` never waits.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from bff.codes import Bundled, CodeTables, entries_from_items, load_bundled
from bff.errors import BffError
from bff.logs import get_logger
from bff.upstreams.referentielijsten import Item

log = get_logger("bff.codes_cache")

PAGE_SIZE = 500  # a whole tabel in one call where the API allows it
REFRESH_AT = 0.8  # refresh when this share of the TTL has passed


class ItemSource(Protocol):
    """What `Codes` needs of the Referentielijsten client."""

    async def list_items(self, tabel_code: str, *, page_size: int | None = None) -> list[Item]: ...


@dataclass
class _State:
    tables: CodeTables | None = None
    loaded_at: float | None = None  # monotonic
    loading: asyncio.Task[CodeTables] | None = None
    background: set[asyncio.Task[Any]] = field(default_factory=set)


class Codes:
    """The reference tables of one running BFF, cached with a TTL and refreshed ahead."""

    def __init__(
        self,
        source: ItemSource,
        *,
        kanaal_tabel: str = "KANAAL",
        taal_tabel: str = "TAAL",
        land_tabel: str = "LAND",
        ttl_s: float = 3600,
        retry_s: float = 30,
        bundled: Bundled | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._source = source
        self._tabellen = (kanaal_tabel, taal_tabel, land_tabel)
        self.ttl_s = ttl_s
        self.retry_s = min(retry_s, ttl_s)
        self._bundled = bundled or load_bundled()
        self._clock = clock
        self._sleep = sleep
        self._state = _State()
        self._fallback = CodeTables.build(self._bundled, stale=True)

    def snapshot(self) -> CodeTables:
        """What is there now, without I/O: the last good tables, else the bundled lists."""
        return self._state.tables or self._fallback

    async def tables(self) -> CodeTables:
        """The tables; loads them only when none were ever loaded, never raises."""
        state = self._state
        if state.tables is not None:
            if self._expired():  # answer now with the old copy, refresh behind it
                if state.loading is None:
                    self._spawn(self._refresh_quietly())
                state.tables = replace(state.tables, stale=True)
            return state.tables
        try:
            return await self.refresh()
        except BffError:
            return self.snapshot()

    async def refresh(self) -> CodeTables:
        """Load all tables now (one load at a time is shared); raises when it fails."""
        if self._state.loading is None:
            task = asyncio.ensure_future(self._load())
            self._state.loading = task
            task.add_done_callback(self._loaded)
        # shield: one caller giving up must not cancel the load the others wait for
        return await asyncio.shield(self._state.loading)

    def start(self) -> None:
        """Load now and keep refreshing before expiry, in the background."""
        self._spawn(self._keep_fresh())

    async def aclose(self) -> None:
        tasks = list(self._state.background)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # -- internals -----------------------------------------------------------------

    def _expired(self) -> bool:
        loaded = self._state.loaded_at
        return loaded is None or self._clock() - loaded >= self.ttl_s

    async def _load(self) -> CodeTables:
        kanaal, taal, land = self._tabellen
        loaded = await asyncio.gather(
            *(self._source.list_items(t, page_size=PAGE_SIZE) for t in (kanaal, taal, land))
        )
        kanalen, talen, landen = (entries_from_items(items) for items in loaded)
        return CodeTables.build(
            self._bundled,
            kanalen=kanalen,
            talen=talen,
            landen=landen,
            as_of=datetime.now(UTC),
        )

    def _loaded(self, task: asyncio.Task[CodeTables]) -> None:
        state = self._state
        state.loading = None
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            state.tables, state.loaded_at = task.result(), self._clock()
            log.info("codes_loaded", kanalen=len(state.tables.kanalen))
            return
        log.warning("codes_refresh_failed", error=type(error).__name__, cached=bool(state.tables))
        if state.tables is not None:
            state.tables = replace(state.tables, stale=True)

    async def _refresh_quietly(self) -> bool:
        try:
            await self.refresh()
        except Exception:  # logged by `_loaded`; the background loop must survive any failure
            return False
        return True

    async def _keep_fresh(self) -> None:
        while True:
            ok = await self._refresh_quietly()
            await self._sleep(self.ttl_s * REFRESH_AT if ok else self.retry_s)

    def _spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._state.background.add(task)
        task.add_done_callback(self._state.background.discard)
