"""The `Codes` service: one load for many readers, TTL, background refresh, last good copy."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from bff.codes import load_bundled
from bff.codes_cache import Codes
from bff.errors import UpstreamUnavailable
from bff.upstreams.referentielijsten import Item
from tests.helpers.harness import start_bff

BUNDLED = load_bundled()


def _item(code: str, naam: str) -> Item:
    return Item(code=code, naam=naam, begindatum_geldigheid=datetime(2020, 1, 1, tzinfo=UTC))


class FakeReferentielijsten:
    """Items per tabel; `failing` makes every call fail as an unreachable service would."""

    def __init__(self) -> None:
        self.tabellen: dict[str, list[Item]] = {"KANAAL": [_item("telefoon", "Telefoon")]}
        self.calls: list[tuple[str, int | None]] = []
        self.failing = False
        self.gate: asyncio.Event | None = None

    async def list_items(self, tabel_code: str, *, page_size: int | None = None) -> list[Item]:
        self.calls.append((tabel_code, page_size))
        if self.gate is not None:
            await self.gate.wait()
        if self.failing:
            raise UpstreamUnavailable("referentielijsten", "down", reason="unreachable")
        return list(self.tabellen.get(tabel_code, []))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Sleeps:
    """A sleep the test releases by hand; records the delays asked for."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.release = asyncio.Event()
        self.asked = asyncio.Event()

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        self.asked.set()
        await self.release.wait()
        self.release.clear()


async def settle() -> None:
    """Let background tasks over in-memory fakes run to completion (event-loop turns, no time)."""
    for _ in range(20):
        await asyncio.sleep(0)


def _codes(source: FakeReferentielijsten, clock: Clock, **kwargs: object) -> Codes:
    return Codes(source, ttl_s=100, retry_s=10, bundled=BUNDLED, clock=clock, **kwargs)  # type: ignore[arg-type]


async def test_warm_tables_cost_no_upstream_call() -> None:
    source, clock = FakeReferentielijsten(), Clock()
    codes = _codes(source, clock)

    first = await codes.tables()
    second = await codes.tables()

    assert first is second
    assert sorted(t for t, _ in source.calls) == ["KANAAL", "LAND", "TAAL"]
    assert {size for _, size in source.calls} == {500}
    assert first.kanaal("telefoon").naam == "Telefoon"
    assert not first.stale


async def test_concurrent_first_readers_share_one_load() -> None:
    source, clock = FakeReferentielijsten(), Clock()
    source.gate = asyncio.Event()
    codes = _codes(source, clock)

    readers = [asyncio.ensure_future(codes.tables()) for _ in range(5)]
    await asyncio.sleep(0)
    source.gate.set()
    found = await asyncio.gather(*readers)

    assert len(source.calls) == 3
    assert all(t is found[0] for t in found)


async def test_empty_taal_and_land_tables_fall_back_to_the_bundled_lists() -> None:
    codes = _codes(FakeReferentielijsten(), Clock())
    tables = await codes.tables()
    assert tables.taal("nld").naam == "Nederlands"
    assert tables.land("NL").naam == "Nederland"


async def test_first_load_failing_serves_the_bundled_lists_marked_stale() -> None:
    source, clock = FakeReferentielijsten(), Clock()
    source.failing = True
    codes = _codes(source, clock)

    tables = await codes.tables()

    assert tables.stale
    assert tables.as_of is None
    assert tables.kanaal("telefoon").naam is None  # kanalen exist only upstream
    assert tables.taal("nld").naam == "Nederlands"
    # nothing to check a kanaal against: it passes, so registrations are not blocked
    assert tables.is_valid_kanaal("telefoon", date(2026, 11, 22))
    assert tables.is_valid_taal("nld", date(2026, 11, 22))
    assert not tables.is_valid_taal("xx", date(2026, 11, 22))


async def test_expired_tables_are_served_stale_at_once_and_refreshed_behind() -> None:
    source, clock = FakeReferentielijsten(), Clock()
    codes = _codes(source, clock)
    await codes.tables()
    source.tabellen["KANAAL"] = [_item("telefoon", "Telefonisch")]
    clock.now += 100

    served = await codes.tables()
    assert served.stale
    assert served.kanaal("telefoon").naam == "Telefoon"
    await settle()  # the background refresh, against an in-memory fake
    refreshed = await codes.tables()

    assert not refreshed.stale
    assert refreshed.kanaal("telefoon").naam == "Telefonisch"
    await codes.aclose()


async def test_failed_refresh_keeps_the_last_good_copy_and_says_so() -> None:
    source, clock = FakeReferentielijsten(), Clock()
    codes = _codes(source, clock)
    good = await codes.tables()
    source.failing = True
    clock.now += 150

    served = await codes.tables()
    await settle()
    again = await codes.tables()

    assert served.stale
    assert again.stale
    assert again.kanaal("telefoon").naam == "Telefoon"
    assert again.as_of == good.as_of
    await codes.aclose()


async def test_background_loop_refreshes_before_expiry_and_retries_sooner_after_a_failure() -> None:
    source, clock = FakeReferentielijsten(), Clock()
    sleeps = Sleeps()
    codes = _codes(source, clock, sleep=sleeps)

    codes.start()
    await sleeps.asked.wait()
    assert sleeps.delays == [80]  # 80% of the TTL
    assert len(source.calls) == 3

    sleeps.asked.clear()
    source.failing = True
    sleeps.release.set()
    await sleeps.asked.wait()
    assert sleeps.delays == [80, 10]  # a failed refresh is retried after retry_s
    assert (await codes.tables()).stale
    assert (await codes.tables()).kanaal("telefoon").naam == "Telefoon"

    sleeps.asked.clear()
    source.failing = False
    sleeps.release.set()
    await sleeps.asked.wait()
    assert sleeps.delays == [80, 10, 80]
    assert not (await codes.tables()).stale
    await codes.aclose()


async def test_the_running_bff_names_the_sandbox_kanalen_and_knows_fax_expired() -> None:
    async with start_bff() as bff:
        tables = await bff.services.codes.tables()
    assert tables.kanaal("telefoon").naam == "Telefoon"
    assert tables.kanaal("fax").naam == "Fax"
    assert not tables.is_valid_kanaal("fax", datetime(2026, 1, 1, tzinfo=UTC).date())
    assert tables.taal("nld").naam == "Nederlands"
    assert not tables.stale
