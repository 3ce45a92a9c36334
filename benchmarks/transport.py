"""Benchmark: client CPU per upstream call, httpx's own pool vs. the aiohttp transport.

Starts the sandbox upstreams in a separate process on loopback, then sends the same
Klantinteracties list call through each transport, sequentially and with many calls in
flight, and reports the client process's CPU time per call and the wall time. The
server's CPU is not counted: it runs in another process.

    .venv/bin/python benchmarks/transport.py [--calls 2000] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Callable

import httpx

from bff.sandbox.credentials import SandboxCredentials


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_up(url: str, limit_s: float = 30.0) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"sandbox did not start at {url}")


async def _run(
    make: Callable[[], httpx.AsyncBaseTransport], base: str, calls: int, concurrency: int
) -> tuple[float, float]:
    token = SandboxCredentials().klantinteracties_token
    async with httpx.AsyncClient(
        transport=make(), base_url=base, headers={"Authorization": f"Token {token}"}
    ) as client:
        await client.get("actoren", params={"pageSize": 1})  # warm the connection
        semaphore = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with semaphore:
                response = await client.get("actoren", params={"pageSize": 1})
                response.raise_for_status()

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(one() for _ in range(calls)))
        return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()

    from httpx_aiohttp import AiohttpTransport

    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    transports: dict[str, Callable[[], httpx.AsyncBaseTransport]] = {
        "httpx pool": lambda: httpx.AsyncHTTPTransport(limits=limits),
        "aiohttp": lambda: AiohttpTransport(limits=limits, trust_env=False),
    }
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bff.cli", "sandbox", "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/klantinteracties/api/v1/"
        _wait_until_up(base + "actoren")
        print(f"{args.calls} calls per run, loopback sandbox in a separate process")
        print(f"{'transport':<12} {'in flight':>9} {'CPU us/call':>12} {'wall ms':>9}")
        for concurrency in (1, args.concurrency):
            for name, make in transports.items():
                cpu, wall = asyncio.run(_run(make, base, args.calls, concurrency))
                per_call = cpu / args.calls * 1e6
                print(f"{name:<12} {concurrency:>9} {per_call:>12.0f} {wall * 1000:>9.0f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
