"""The in-flight limits of admission control adapt to how late the event loop runs.

A request waits in the worker's event loop before admission control (`bff.admission`)
sees it: its connection is read, its headers parsed and its task started only when the
loop gets round to it. While the loop is saturated each round takes as long as the work
of every admitted request that is ready, so every arrival, including the one that will
be refused, waits that long. A fixed in-flight limit cannot know how much work the loop
can do in time: that depends on the CPU per request and on how slow the upstreams are.

So the loop's delay is measured, and the limits follow it (additive increase,
multiplicative decrease, per route class):

- A probe asks to be called every `PROBE_S` and notes how late it ran (the loop delay).
- Every `WINDOW_S`: if even the least late call in the window was later than the target,
  the loop had no moment to spare (a standing queue, not a burst or one collection pause),
  and each class's limit is cut to `DECREASE` of itself, never below `floor`. Otherwise a
  class whose limit was reached in the window may admit `step` more, up to its ceiling
  (the configured limit).

At normal load the loop is idle between requests, the limits stay at their ceilings and
nothing changes. Overloaded, the limits shrink until the loop keeps up again: what is
admitted is served without a long wait, and the excess is refused while it is fresh.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterable
from typing import Protocol

PROBE_S = 0.005
WINDOW_S = 0.1
DECREASE = 0.75


class Limited(Protocol):
    """A route class's counts as `bff.admission.ClassStats` keeps them."""

    limit: int
    ceiling: int
    in_flight: int
    peak: int


def floor(ceiling: int) -> int:
    """The least a limit shrinks to: a sixteenth of its ceiling, at least 1."""
    return max(1, ceiling // 16)


def step(ceiling: int) -> int:
    """How much a limit grows per window: a sixteenth of its ceiling, at least 1."""
    return max(1, ceiling // 16)


class LimitGovernor:
    """Adjusts the limits from observed loop delays; pure, so it is tested without a clock."""

    def __init__(self, classes: Iterable[Limited], *, target_s: float) -> None:
        self.classes = list(classes)
        self.target_s = target_s
        self.least_delay_s = math.inf

    def observe(self, delay_s: float) -> None:
        self.least_delay_s = min(self.least_delay_s, delay_s)

    def end_window(self) -> None:
        congested = self.least_delay_s > self.target_s
        self.least_delay_s = math.inf
        for c in self.classes:
            if c.peak >= c.limit:
                if congested:
                    c.limit = max(floor(c.ceiling), int(c.limit * DECREASE))
                else:
                    c.limit = min(c.ceiling, c.limit + step(c.ceiling))
            c.peak = c.in_flight


class LoopDelayProbe:
    """Calls the governor with the loop delay every `PROBE_S`, in the running loop."""

    def __init__(self, governor: LimitGovernor) -> None:
        self.governor = governor
        self.handle: asyncio.TimerHandle | None = None
        self.due = 0.0
        self.window_end = 0.0

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.window_end = loop.time() + WINDOW_S
        self.schedule(loop)

    def schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        self.due = loop.time() + PROBE_S
        self.handle = loop.call_at(self.due, self.tick, loop)

    def tick(self, loop: asyncio.AbstractEventLoop) -> None:
        now = loop.time()
        self.governor.observe(max(0.0, now - self.due))
        if now >= self.window_end:
            self.governor.end_window()
            self.window_end = now + WINDOW_S
        self.schedule(loop)

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None
