"""Actoren by uuid, cached: interne taken name their actoren only by reference.

Open Klant has no `expand` on interne taken, and an interne taak's `toegewezenAanActoren`
are bare `{uuid, url}`. Actoren rarely change, so they are kept in a TTL cache; the
missing ones are fetched concurrently, and concurrent requests for the same actor share
one upstream call. Actoren seen inline elsewhere (a klantcontact's `hadBetrokkenActoren`)
are remembered too, so they never cost a call of their own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from cachetools import TTLCache

from bff.cache_stats import CacheStats
from bff.errors import NotFound, UpstreamFailure
from bff.upstreams.klantinteracties.models import Actor


class ActorSource(Protocol):
    async def get_actor(self, uuid: str) -> Actor: ...


@dataclass(frozen=True)
class ActorLookup:
    """The actoren found; `failure` is set when some could not be fetched (not: gone)."""

    found: dict[str, Actor]
    failure: UpstreamFailure | None = None


class ActorCache:
    """A TTL cache of actoren in front of `get_actor`, with shared in-flight fetches."""

    def __init__(self, source: ActorSource, *, ttl_s: float = 3600, maxsize: int = 4096) -> None:
        self._source = source
        self._cache: TTLCache[str, Actor] = TTLCache(maxsize=maxsize, ttl=ttl_s)
        self._inflight: dict[str, asyncio.Future[Actor]] = {}
        self.stats = CacheStats()

    def remember(self, actoren: Iterable[Actor]) -> None:
        """Keep actoren that arrived inline in another response (the last one of each
        uuid: a page repeats the same medewerker on many klantcontacten)."""
        for uuid, actor in {actor.uuid: actor for actor in actoren}.items():
            self._cache[uuid] = actor

    def cached(self, uuid: str) -> Actor | None:
        return self._cache.get(uuid)

    async def get_many(self, uuids: Iterable[str]) -> ActorLookup:
        """The actoren with these uuids; unknown ones are left out, failures reported."""
        wanted = list(dict.fromkeys(uuids))
        found = {u: a for u in wanted if (a := self._cache.get(u)) is not None}
        missing = [u for u in wanted if u not in found]
        self.stats.hits += len(found)
        self.stats.misses += len(missing)
        outcomes = await asyncio.gather(*(self._fetch(u) for u in missing), return_exceptions=True)
        failure: UpstreamFailure | None = None
        for uuid, outcome in zip(missing, outcomes, strict=True):
            if isinstance(outcome, Actor):
                found[uuid] = outcome
            elif isinstance(outcome, UpstreamFailure):
                failure = failure or outcome
            elif not isinstance(outcome, NotFound):
                raise outcome
        return ActorLookup(found=found, failure=failure)

    async def _fetch(self, uuid: str) -> Actor:
        future = self._inflight.get(uuid)
        if future is None:
            future = asyncio.ensure_future(self._source.get_actor(uuid))
            self._inflight[uuid] = future
            future.add_done_callback(lambda done: self._settled(uuid, done))
        # shield: one caller giving up must not cancel the call the others wait for
        actor = await asyncio.shield(future)
        self._cache[uuid] = actor
        return actor

    def _settled(self, uuid: str, done: asyncio.Future[Actor]) -> None:
        self._inflight.pop(uuid, None)
        if not done.cancelled():
            done.exception()  # retrieved: no "never retrieved" noise when every caller left
