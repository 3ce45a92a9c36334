"""Load generation for the benchmark: closed and open loops, with a trace id per request.

Each request carries its own `traceparent`, so the upstream stub can say how long the
upstreams were busy with it (its critical path). Latency is measured from the moment
the request is due (open loop) or sent (closed loop) to the complete answer.
"""

from __future__ import annotations

import asyncio
import secrets
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

Make = Callable[[], tuple[str, str, dict[str, Any]]]  # method, path, json body


@dataclass
class Result:
    status: int  # 0: client timeout, -1: connection error
    latency_s: float
    trace_id: str
    retry_after: bool = False


async def one(
    session: aiohttp.ClientSession, base: str, make: Make, headers: dict[str, str], due: float
) -> Result:
    method, path, body = make()
    trace = secrets.token_hex(16)
    sent = {**headers, "traceparent": f"00-{trace}-{secrets.token_hex(8)}-01"}
    try:
        async with session.request(method, base + path, json=body, headers=sent) as r:
            await r.read()
            return Result(r.status, time.perf_counter() - due, trace, "Retry-After" in r.headers)
    except TimeoutError:
        return Result(0, time.perf_counter() - due, trace)
    except aiohttp.ClientError:
        return Result(-1, time.perf_counter() - due, trace)


async def closed_loop(
    session: aiohttp.ClientSession,
    base: str,
    make: Make,
    headers: dict[str, str],
    *,
    concurrency: int,
    count: int | None = None,
    duration_s: float | None = None,
) -> tuple[list[Result], float]:
    """`concurrency` clients, each sending its next request when the last one answered."""
    results: list[Result] = []
    started = time.perf_counter()
    end = started + (duration_s or 1e9)
    remaining = [count if count is not None else 1 << 60]

    async def client() -> None:
        while remaining[0] > 0 and time.perf_counter() < end:
            remaining[0] -= 1
            results.append(await one(session, base, make, headers, time.perf_counter()))

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return results, time.perf_counter() - started


async def open_loop(
    session: aiohttp.ClientSession,
    base: str,
    make: Make,
    headers: dict[str, str],
    *,
    rate: float,
    duration_s: float,
) -> list[Result]:
    """Requests due at a fixed rate, whatever the answers: the arrival process of real users."""
    tasks: list[asyncio.Task[Result]] = []
    started = time.perf_counter()
    n = int(rate * duration_s)
    for i in range(n):
        due = started + i / rate
        pause = due - time.perf_counter()
        if pause > 0:
            await asyncio.sleep(pause)
        tasks.append(asyncio.create_task(one(session, base, make, headers, due)))
    return list(await asyncio.gather(*tasks))


def pct(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
