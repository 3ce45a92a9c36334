"""The actoren index: search by parts of the naam, first load, background refresh, failures."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import pytest

from bff.actor_cache import ActorCache
from bff.actoren_index import ActorenIndex, search_actoren
from bff.errors import UpstreamUnavailable
from bff.settings import ActorenSettings
from bff.upstreams.klantinteracties.models import Actor, SoortActor


def actor(naam: str, soort: SoortActor = "medewerker") -> Actor:
    return Actor(uuid=str(uuid.uuid4()), naam=naam, soort_actor=soort, indicatie_actief=True)


ACTOREN = [
    actor("Dirk Visser"),
    actor("Anna de Vries"),
    actor("Vergunningen", "organisatorische_eenheid"),
    actor("Team vergunningen en handhaving", "organisatorische_eenheid"),
    actor("Esra Yılmaz"),
    actor("Zoë Çelik"),
]


def names(found: list[Actor]) -> list[str]:
    return [a.naam for a in found]


def test_search_matches_parts_of_the_naam_ignoring_case():
    assert names(search_actoren(ACTOREN, "VRIES", limit=10)) == ["Anna de Vries"]
    assert names(search_actoren(ACTOREN, "de vr", limit=10)) == ["Anna de Vries"]


def test_search_needs_every_word_and_ranks_the_naam_start_first():
    found = search_actoren(ACTOREN, "vergunning", limit=10)
    assert names(found) == ["Vergunningen", "Team vergunningen en handhaving"]
    assert names(search_actoren(ACTOREN, "vergunningen team", limit=10)) == [
        "Team vergunningen en handhaving"
    ]


def test_search_ignores_accents():
    assert names(search_actoren(ACTOREN, "zoe celik", limit=10)) == ["Zoë Çelik"]


def test_search_filters_on_soort_actor_and_respects_the_limit():
    assert names(search_actoren(ACTOREN, "e", soort_actor="organisatorische_eenheid", limit=1)) == [
        "Team vergunningen en handhaving"
    ]
    assert len(search_actoren(ACTOREN, "e", limit=3)) == 3


def test_blank_query_finds_nothing():
    assert search_actoren(ACTOREN, "   ", limit=10) == []


class FakeSource:
    """Serves `actoren`; fails while `failing`; signals every load on `loaded`."""

    def __init__(self, actoren: list[Actor]) -> None:
        self.actoren = list(actoren)
        self.calls = 0
        self.failing = False
        self.loaded = asyncio.Event()
        self.gate: asyncio.Event | None = None

    async def list_actoren(
        self, *, indicatie_actief: bool | None = None, page_size: int | None = None
    ) -> list[Actor]:
        assert indicatie_actief is True
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        self.loaded.set()
        if self.failing:
            raise UpstreamUnavailable("klantinteracties", "down", reason="timeout")
        return list(self.actoren)

    async def get_actor(self, uuid: str) -> Actor:
        raise AssertionError("the index must not fetch one by one")


class ManualSleep:
    """Background sleeps that end only when the test says so."""

    def __init__(self) -> None:
        self.waiting: asyncio.Queue[asyncio.Future[None]] = asyncio.Queue()

    async def __call__(self, seconds: float) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self.waiting.put(done)
        await done

    async def wake(self) -> None:
        (await asyncio.wait_for(self.waiting.get(), 5)).set_result(None)


async def until(condition: Callable[[], bool]) -> None:
    """Let the background work run until `condition` holds (a hang guard, not a timing test)."""

    async def poll() -> None:
        while not condition():  # noqa: ASYNC110  # the index's own tasks signal nothing
            await asyncio.sleep(0)

    await asyncio.wait_for(poll(), 5)


async def test_concurrent_first_requests_share_one_load():
    source = FakeSource(ACTOREN)
    source.gate = asyncio.Event()
    index = ActorenIndex(source, ActorenSettings(), sleep=ManualSleep())
    searches = [asyncio.ensure_future(index.search("vries")) for _ in range(5)]
    await asyncio.sleep(0)
    source.gate.set()
    results = await asyncio.gather(*searches)
    assert source.calls == 1
    assert all(names(r) == ["Anna de Vries"] for r in results)
    await index.aclose()


async def test_a_failed_first_load_fails_the_request_and_the_next_one_retries():
    source = FakeSource(ACTOREN)
    source.failing = True
    index = ActorenIndex(source, ActorenSettings(), sleep=ManualSleep())
    with pytest.raises(UpstreamUnavailable):
        await index.search("vries")
    source.failing = False
    assert names(await index.search("vries")) == ["Anna de Vries"]
    assert source.calls == 2
    await index.aclose()


async def test_background_refresh_picks_up_new_actoren_and_keeps_the_copy_on_failure():
    source = FakeSource(ACTOREN)
    sleep = ManualSleep()
    index = ActorenIndex(source, ActorenSettings(refresh_interval_s=60), sleep=sleep)
    assert await index.search("bakker") == []
    source.actoren.append(actor("Chantal Bakker"))
    source.loaded.clear()
    await sleep.wake()  # the refresh interval passes
    await until(lambda: index.loads == 2)
    assert names(await index.search("bakker")) == ["Chantal Bakker"]

    source.failing = True
    source.loaded.clear()
    await sleep.wake()
    await asyncio.wait_for(source.loaded.wait(), 5)
    await until(lambda: index.refreshing is False)
    assert names(await index.search("bakker")) == ["Chantal Bakker"]  # last good copy
    assert source.calls == 3
    await index.aclose()


async def test_every_load_warms_the_by_uuid_actor_cache():
    source = FakeSource(ACTOREN)
    cache = ActorCache(source)
    index = ActorenIndex(source, ActorenSettings(), sleep=ManualSleep())
    index.feed(cache)
    await index.snapshot()
    lookup = await cache.get_many([a.uuid for a in ACTOREN])
    assert set(lookup.found) == {a.uuid for a in ACTOREN}
    await index.aclose()
