"""`make bench`: the klantbeeld and a registration, measured in three processes.

    upstreams   benchmarks/upstream_stub.py (the sandbox; GETs answered from memory)
    BFF         `bff serve` (uvicorn, one worker), CPU read from /proc/<pid>/stat
    load        this process: closed loops over concurrency, open loops at fixed rates

With two or more CPUs the BFF runs alone on CPU 0 and the upstreams and the load on the
others (`sched_setaffinity`), so the one worker has a core of its own and the load keeps
its schedule however busy the BFF is (`--no-pin` leaves placement to the kernel).

Per repetition: CPU per klantbeeld (1 and 16 in flight), per extra klantcontact on the
page, per registration; added latency at zero upstream delay (latency minus the time
the upstreams were busy with that request's trace); latency over critical path at 20 ms
per upstream call and half of capacity; twice the sustainable rate (admission control),
still at 20 ms per upstream call, as upstreams answer in production.
Then one profiled run. Writes `bench/report.md` and `bench/report.json`.

    .venv/bin/python benchmarks/bench.py [--quick] [--repetitions 3] [--readme] [--no-pin]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import Make, Result, closed_loop, median, open_loop, pct
from report import profile_summary, update_readme, write_report

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench"
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def wait_up(
    url: str, proc: subprocess.Popen[bytes], log: Path | None = None, limit_s: float = 60
) -> None:
    import urllib.request

    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text()[-2000:] if log else ""
            raise SystemExit(f"process for {url} exited with {proc.returncode}\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def placement(pin: bool) -> tuple[set[int], set[int]] | None:
    """(CPUs of the BFF, CPUs of the upstreams and the load), or None: not pinned."""
    cpus = sorted(os.sched_getaffinity(0))
    if not pin or len(cpus) < 2:
        return None
    return {cpus[0]}, set(cpus[1:])


class Processes:
    def __init__(self, tmp: Path, cpus: tuple[set[int], set[int]] | None = None) -> None:
        self.tmp = tmp
        self.cpus = cpus
        self.procs: list[subprocess.Popen[bytes]] = []
        if cpus is not None:
            os.sched_setaffinity(0, cpus[1])  # the load, and what this process starts

    def start(
        self, args: list[str], env: dict[str, str], log: str, *, bff: bool = False
    ) -> subprocess.Popen[bytes]:
        out = (self.tmp / log).open("wb")
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        if bff and self.cpus is not None:
            os.sched_setaffinity(proc.pid, self.cpus[0])
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        proc.send_signal(2)  # SIGINT: uvicorn shuts down cleanly (and cProfile writes)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self.procs.remove(proc)

    def stop_all(self) -> None:
        for proc in list(self.procs):
            self.stop(proc)


class Bench:
    def __init__(self, args: argparse.Namespace, procs: Processes) -> None:
        self.args = args
        self.procs = procs
        self.stub_port = free_port()
        self.stub = f"http://127.0.0.1:{self.stub_port}"
        facts_file = procs.tmp / "facts.json"
        self.stub_proc = procs.start(
            [
                sys.executable,
                "benchmarks/upstream_stub.py",
                *("--port", str(self.stub_port), "--memory", "--facts", str(facts_file)),
            ],
            dict(os.environ),
            "upstreams.log",
        )
        wait_up(self.stub + "/__bench/delay", self.stub_proc)
        self.facts: dict[str, Any] = json.loads(facts_file.read_text())

    def bff_env(self, name: str) -> dict[str, str]:
        env = {**os.environ, **self.facts["env"]}
        env.update(
            BFF_PRIVACY__PROCESSING_LOG_PATH=str(self.procs.tmp / f"{name}-verwerkingen.jsonl"),
            BFF_PRIVACY__AUDIT_LOG_PATH=str(self.procs.tmp / f"{name}-audit.jsonl"),
            # one journal for every BFF started: its referentienummers continue, as upstream
            # they must stay unique
            BFF_REGISTRATION__SQLITE_PATH=str(self.procs.tmp / "registrations.sqlite3"),
        )
        return env

    def start_bff(self, name: str, *, profile: Path | None = None) -> tuple[Any, str]:
        port = free_port()
        cmd = [sys.executable]
        if profile is not None:
            cmd += ["benchmarks/profiled_serve.py", str(profile)]
        else:
            cmd += ["-m", "bff.cli"]
        cmd += ["serve", "--port", str(port), "--workers", "1"]
        proc = self.procs.start(cmd, self.bff_env(name), f"{name}.log", bff=True)
        base = f"http://127.0.0.1:{port}"
        wait_up(base + "/health", proc, self.procs.tmp / f"{name}.log")
        return proc, base

    async def control(self, session: aiohttp.ClientSession, delay_ms: float) -> None:
        async with session.put(self.stub + "/__bench/delay", data=str(delay_ms)) as r:
            r.raise_for_status()

    async def traces(self, session: aiohttp.ClientSession) -> dict[str, dict[str, float]]:
        async with session.get(self.stub + "/__bench/traces") as r:
            found: dict[str, dict[str, float]] = await r.json()
            return found

    async def token(self, session: aiohttp.ClientSession) -> dict[str, str]:
        async with session.post(self.stub + "/oidc/token", data={"medewerker": "mdw-anna"}) as r:
            return {"Authorization": f"Bearer {(await r.json())['access_token']}"}

    def klantbeeld(self, page_size: int | None = None) -> Make:
        body: dict[str, Any] = {"bsn": self.facts["bsn"]}
        if page_size is not None:
            body["pageSize"] = page_size
        return lambda: ("POST", "/api/v1/klantbeeld", body)

    def registratie(self) -> Make:
        body = {
            "klantcontact": {
                "kanaal": "telefoon",
                "onderwerp": "Afvalpas",
                "inhoud": "Afvalpas kwijt, wil een nieuwe.",
                "reactie": "Nieuwe pas aangevraagd.",
                "taal": "nld",
                "indicatieContactGelukt": True,
            },
            "klant": {"partijId": self.facts["partij"]},
            "digitaleAdressen": [
                {"soortDigitaalAdres": "email", "adres": "bench@example.nl", "gebruik": "algemeen"}
            ],
            "interneTaak": {
                "actor": self.facts["afdeling"],
                "gevraagdeHandeling": "Klant terugbellen",
                "toelichting": "Vraagt naar de levertijd.",
            },
        }
        return lambda: ("POST", "/api/v1/klantcontacten", body)

    async def repetition(self, number: int) -> dict[str, Any]:
        quick = self.args.quick
        n = 150 if quick else 300
        proc, base = self.start_bff(f"rep{number}")
        m: dict[str, Any] = {}
        timeout = aiohttp.ClientTimeout(total=10)
        conn = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(timeout=timeout, connector=conn) as s:
            auth = await self.token(s)
            await self.control(s, 0)
            kb = self.klantbeeld()

            async def cpu_run(make: Make, count: int, conc: int) -> tuple[list[Result], float]:
                await closed_loop(s, base, make, auth, concurrency=conc, count=max(20, count // 10))
                before = cpu_s(proc.pid)
                results, _ = await closed_loop(s, base, make, auth, concurrency=conc, count=count)
                used = cpu_s(proc.pid) - before
                _check(results, 200)
                return results, used / len(results) * 1000

            await self.traces(s)
            results, m["cpu_ms_klantbeeld"] = await cpu_run(kb, n, 1)
            busy = await self.traces(s)
            added = [r.latency_s * 1000 - busy[r.trace_id]["busy_ms"] for r in results]
            m["added_ms_p50"], m["added_ms_p99"] = pct(added, 0.5), pct(added, 0.99)
            m["upstream_calls_klantbeeld"] = median([busy[r.trace_id]["calls"] for r in results])
            _, m["cpu_ms_klantbeeld_c16"] = await cpu_run(kb, n, 16)
            _, cpu_one = await cpu_run(self.klantbeeld(page_size=1), n, 1)
            m["us_per_klantcontact"] = (m["cpu_ms_klantbeeld"] - cpu_one) / 19 * 1000

            results, wall = await closed_loop(
                s, base, kb, auth, concurrency=16, duration_s=3 if quick else 5
            )
            _check(results, 200)
            m["throughput_per_s"] = len(results) / wall
            capacity = m["throughput_per_s"]

            await self.control(s, 20)
            await self.traces(s)
            results = await open_loop(
                s, base, kb, auth, rate=capacity / 2, duration_s=4 if quick else 6
            )
            busy = await self.traces(s)
            ratios = [r.latency_s * 1000 / busy[r.trace_id]["busy_ms"] for r in _ok(results)]
            m["ratio_20ms_p50"], m["ratio_20ms_p99"] = pct(ratios, 0.5), pct(ratios, 0.99)
            m["half_capacity_rate"] = capacity / 2
            m["half_capacity_non_200"] = sum(r.status != 200 for r in results)

            rate, duration = 2 * capacity, 5 if quick else 20
            results = await open_loop(s, base, kb, auth, rate=rate, duration_s=duration)
            await self.traces(s)
            served = [r.latency_s * 1000 for r in results if r.status == 200]
            shed = [r for r in results if r.status == 503]
            m["overload"] = {
                "rate": rate,
                "duration_s": duration,
                "sent": len(results),
                "served": len(served),
                "served_p99_ms": pct(served, 0.99),
                "shed": len(shed),
                "shed_p99_ms": pct([r.latency_s * 1000 for r in shed], 0.99),
                "shed_with_retry_after": sum(r.retry_after for r in shed),
                "client_timeouts": sum(r.status == 0 for r in results),
                "other": sum(r.status not in (0, 200, 503) for r in results),
            }
            await asyncio.sleep(1)

            await self.control(s, 0)
            reg_n = 40 if quick else 80
            results, m["cpu_ms_registratie"] = await cpu_run(self.registratie(), reg_n, 1)
            busy = await self.traces(s)
            reg = [r.latency_s * 1000 for r in results]
            m["registratie_ms_p50"] = pct(reg, 0.5)
            m["registratie_critical_ms_p50"] = median(
                [busy[r.trace_id]["busy_ms"] for r in results]
            )
            m["registratie_calls"] = median([busy[r.trace_id]["calls"] for r in results])
        self.procs.stop(proc)
        return m

    async def profile(self) -> dict[str, Any]:
        out = self.procs.tmp / "bff.prof"
        proc, base = self.start_bff("profile", profile=out)
        async with aiohttp.ClientSession() as s:
            auth = await self.token(s)
            await self.control(s, 0)
            await closed_loop(s, base, self.klantbeeld(), auth, concurrency=4, count=100)
            proc.send_signal(signal.SIGUSR1)
            await asyncio.sleep(0.2)
            await closed_loop(s, base, self.klantbeeld(), auth, concurrency=4, count=400)
            proc.send_signal(signal.SIGUSR2)
            await asyncio.sleep(1)
            await self.traces(s)
        self.procs.stop(proc)
        return profile_summary(out)


def _check(results: list[Result], status: int) -> None:
    wrong = [r.status for r in results if r.status not in (status, 201)]
    if wrong:
        raise SystemExit(f"unexpected answers: {sorted(set(wrong))} ({len(wrong)}x)")


def _ok(results: list[Result]) -> list[Result]:
    return [r for r in results if r.status == 200]


def _loadavg() -> list[str]:
    return Path("/proc/loadavg").read_text().split()[:3]


async def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bff-bench-") as tmp:
        cpus = placement(args.pin)
        procs = Processes(Path(tmp), cpus)
        try:
            bench = Bench(args, procs)
            load_before = _loadavg()
            reps = []
            for i in range(args.repetitions):
                reps.append(await bench.repetition(i))
                print(f"repetition {i + 1}: {json.dumps(reps[-1])}", flush=True)
            prof = await bench.profile()
            load_after = _loadavg()
        finally:
            procs.stop_all()
    return {
        "repetitions": reps,
        "profile": prof,
        "conditions": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_before": load_before,
            "loadavg_after": load_after,
            "quick": args.quick,
            "pinned": None if cpus is None else [sorted(cpus[0]), sorted(cpus[1])],
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter phases, one repetition")
    parser.add_argument("--repetitions", type=int, default=None)
    parser.add_argument("--readme", action="store_true", help="put the table into README.md")
    parser.add_argument(
        "--no-pin", dest="pin", action="store_false", help="do not give the BFF a CPU of its own"
    )
    args = parser.parse_args()
    if args.repetitions is None:
        args.repetitions = 1 if args.quick else 3
    data = asyncio.run(run(args))
    OUT.mkdir(exist_ok=True)
    write_report(data, OUT)
    if args.readme:
        update_readme(data, ROOT / "README.md")
    print((OUT / "report.md").read_text())


if __name__ == "__main__":
    main()
