"""The actor cache: one call per actor however many ask, inline actoren remembered,
gone actoren left out, a failing Klantinteracties reported rather than raised."""

from __future__ import annotations

import asyncio

from bff.actor_cache import ActorCache
from bff.errors import NotFound, UpstreamUnavailable
from bff.upstreams.klantinteracties.models import Actor
from tests.compose import samples as s

GONE = "55555555-5555-4555-8555-000000000000"


class FakeActoren:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.down = False
        self.gate = asyncio.Event()
        self.gate.set()

    async def get_actor(self, uuid: str) -> Actor:
        self.calls.append(uuid)
        await self.gate.wait()
        if self.down:
            raise UpstreamUnavailable("klantinteracties", "down", reason="timeout")
        if uuid == GONE:
            raise NotFound("gone")
        return s.actor(uuid, "organisatorische_eenheid")


async def test_missing_actoren_are_fetched_once_and_then_served_from_the_cache() -> None:
    source = FakeActoren()
    cache = ActorCache(source)
    first = await cache.get_many([s.AFDELING, s.SYSTEEM, s.AFDELING])
    second = await cache.get_many([s.AFDELING, s.SYSTEEM])
    assert set(first.found) == set(second.found) == {s.AFDELING, s.SYSTEEM}
    assert sorted(source.calls) == sorted([s.AFDELING, s.SYSTEEM])
    assert first.failure is None


async def test_concurrent_lookups_of_one_actor_share_one_call() -> None:
    source = FakeActoren()
    source.gate.clear()
    cache = ActorCache(source)
    lookups = [asyncio.ensure_future(cache.get_many([s.AFDELING])) for _ in range(4)]
    for _ in range(5):
        await asyncio.sleep(0)
    source.gate.set()
    found = await asyncio.gather(*lookups)
    assert source.calls == [s.AFDELING]
    assert all(s.AFDELING in f.found for f in found)


async def test_actoren_seen_inline_cost_no_call() -> None:
    source = FakeActoren()
    cache = ActorCache(source)
    cache.remember([s.actor(s.MEDEWERKER)])
    lookup = await cache.get_many([s.MEDEWERKER])
    assert source.calls == []
    assert lookup.found[s.MEDEWERKER].naam == "Anna"


async def test_an_actor_gone_upstream_is_left_out_without_a_failure() -> None:
    lookup = await ActorCache(FakeActoren()).get_many([GONE, s.AFDELING])
    assert set(lookup.found) == {s.AFDELING}
    assert lookup.failure is None


async def test_a_failing_klantinteracties_is_reported_with_what_was_cached() -> None:
    source = FakeActoren()
    cache = ActorCache(source)
    cache.remember([s.actor(s.MEDEWERKER)])
    source.down = True
    lookup = await cache.get_many([s.MEDEWERKER, s.AFDELING])
    assert set(lookup.found) == {s.MEDEWERKER}
    assert lookup.failure is not None
    assert lookup.failure.reason == "timeout"
    source.down = False
    assert s.AFDELING in (await cache.get_many([s.AFDELING])).found  # a failure is not cached
