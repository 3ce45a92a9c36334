"""The in-flight limits follow the event loop's delay: cut while it runs late at the limit,
grown back once it keeps up; a request beyond the cut limit still gets a fast 503."""

from __future__ import annotations

import asyncio

from starlette.types import Message, Receive, Scope, Send

from bff.admission import AdmissionControl, AdmissionStats, ClassStats
from bff.admission_limit import DECREASE, LimitGovernor, floor, step
from tests.app.test_admission import Held, call, scope

LATE, PROMPT, TARGET = 0.050, 0.0001, 0.002


def at_limit(limit: int = 64) -> ClassStats:
    return ClassStats(ceiling=64, limit=limit, in_flight=limit, peak=limit)


def window(governor: LimitGovernor, *delays: float) -> None:
    for delay in delays:
        governor.observe(delay)
    governor.end_window()


def test_a_loop_late_throughout_the_window_cuts_a_class_at_its_limit() -> None:
    read = at_limit()
    governor = LimitGovernor([read], target_s=TARGET)
    window(governor, LATE, LATE, LATE)
    assert read.limit == int(64 * DECREASE)
    for _ in range(50):
        window(governor, LATE)
    assert read.limit == floor(64) > 0, "never below the floor"


def test_one_prompt_round_in_the_window_is_a_burst_not_overload() -> None:
    read = at_limit(32)
    window(LimitGovernor([read], target_s=TARGET), LATE, PROMPT, LATE)
    assert read.limit == 32 + step(64)


def test_a_late_loop_does_not_cut_a_class_with_room_left() -> None:
    read = ClassStats(ceiling=64, limit=64, in_flight=16, peak=16)  # busy, nothing refused
    window(LimitGovernor([read], target_s=TARGET), LATE, LATE)
    assert read.limit == 64


def test_limits_grow_back_to_the_ceiling_once_the_loop_keeps_up() -> None:
    read = at_limit(floor(64))
    governor = LimitGovernor([read], target_s=TARGET)
    for _ in range(100):
        read.in_flight = read.peak = read.limit  # still as many as admitted
        window(governor, PROMPT)
    assert read.limit == 64


def test_an_unused_limit_stays_where_it_is() -> None:
    write = ClassStats(ceiling=32, limit=8, in_flight=0, peak=0)
    window(LimitGovernor([write], target_s=TARGET), PROMPT)
    assert write.limit == 8


async def test_beyond_a_cut_limit_the_answer_is_503_with_retry_after() -> None:
    inner, stats = Held(), AdmissionStats.with_limits({"read": 64})
    app = AdmissionControl(inner, stats=stats, retry_after_s=1, loop_delay_target_s=TARGET)
    read = stats.classes["read"]
    read.peak = read.limit
    assert app.probe is not None
    window(app.probe.governor, *[LATE] * 3)
    for _ in range(20):
        read.peak = read.limit
        window(app.probe.governor, LATE)
    assert read.limit == floor(64) == 4
    held = [asyncio.create_task(call(app, scope("POST", "/api/v1/klantbeeld"))) for _ in range(4)]
    await asyncio.sleep(0)  # the four run up to their wait
    assert inner.entered == 4
    answer = await call(app, scope("POST", "/api/v1/klantbeeld"))
    headers = {k.decode(): v.decode() for k, v in answer[0]["headers"]}
    assert answer[0]["status"] == 503
    assert headers["retry-after"] == "1"
    assert headers["content-type"] == "application/problem+json"
    inner.release.set()
    assert [(await h)[0]["status"] for h in held] == [200] * 4


async def test_the_probe_runs_from_startup_to_shutdown() -> None:
    stats = AdmissionStats.with_limits({"read": 64})
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    seen: list[bool] = []

    async def lifespan(s: Scope, receive: Receive, send: Send) -> None:
        for reply in ("lifespan.startup.complete", "lifespan.shutdown.complete"):
            await receive()
            await send({"type": reply})

    async def receive() -> Message:
        return next(messages)

    app = AdmissionControl(lifespan, stats=stats, retry_after_s=1, loop_delay_target_s=TARGET)
    assert app.probe is not None
    probe = app.probe

    async def send(message: Message) -> None:
        seen.append(probe.handle is not None)

    await app({"type": "lifespan"}, receive, send)
    assert seen == [True, False]  # running once started, stopped at shutdown
    fixed = AdmissionControl(lifespan, stats=stats, retry_after_s=1)
    assert fixed.probe is None  # no target: the limits stay as configured
