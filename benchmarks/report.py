"""The benchmark's report: targets against measurements (median and spread), conditions,
and a CPU profile summary. Writes `report.md` and `report.json`."""

from __future__ import annotations

import json
import math
import pstats
import statistics
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# (label, how to read it off one repetition, target text, check)
Target = tuple[str, Callable[[dict[str, Any]], float], str, Callable[[float], bool]]

TARGETS: list[Target] = [
    (
        "BFF CPU per klantbeeld, demo person (ms)",
        lambda m: m["cpu_ms_klantbeeld"],
        "<= 1.5",
        lambda v: v <= 1.5,
    ),
    (
        "BFF CPU per klantbeeld at 16 in flight (ms)",
        lambda m: m["cpu_ms_klantbeeld_c16"],
        "(info)",
        lambda v: True,
    ),
    (
        "BFF CPU per full registration (ms)",
        lambda m: m["cpu_ms_registratie"],
        "<= 2.5",
        lambda v: v <= 2.5,
    ),
    (
        "added latency at zero upstream delay, p50 (ms)",
        lambda m: m["added_ms_p50"],
        "<= 1.5",
        lambda v: v <= 1.5,
    ),
    (
        "added latency at zero upstream delay, p99 (ms)",
        lambda m: m["added_ms_p99"],
        "<= 5",
        lambda v: v <= 5,
    ),
    (
        "20 ms per upstream call, half capacity: p50 / critical path",
        lambda m: m["ratio_20ms_p50"],
        "<= 1.10",
        lambda v: v <= 1.10,
    ),
    (
        "20 ms per upstream call, half capacity: p99 / critical path",
        lambda m: m["ratio_20ms_p99"],
        "<= 1.25",
        lambda v: v <= 1.25,
    ),
    (
        "throughput, upstream from memory (klantbeeld/s)",
        lambda m: m["throughput_per_s"],
        ">= 600",
        lambda v: v >= 600,
    ),
    (
        "cost per extra klantcontact on the page (us)",
        lambda m: m["us_per_klantcontact"],
        "<= 40",
        lambda v: v <= 40,
    ),
    (
        "2x sustainable rate: 503 answer p99 (ms from due time)",
        lambda m: m["overload"]["shed_p99_ms"],
        "<= 10",
        lambda v: math.isnan(v) or v <= 10,
    ),
    (
        "2x sustainable rate: 503s without Retry-After",
        lambda m: m["overload"]["shed"] - m["overload"]["shed_with_retry_after"],
        "0",
        lambda v: v == 0,
    ),
    (
        "2x sustainable rate: served p99 (ms)",
        lambda m: m["overload"]["served_p99_ms"],
        "<= 2500 (budget)",
        lambda v: v <= 2500,
    ),
    (
        "2x sustainable rate: client timeouts (10 s)",
        lambda m: m["overload"]["client_timeouts"],
        "0",
        lambda v: v == 0,
    ),
    (
        "register a call: latency p50 (ms)",
        lambda m: m["registratie_ms_p50"],
        "(info)",
        lambda v: True,
    ),
    (
        "register a call: critical path at the upstream p50 (ms)",
        lambda m: m["registratie_critical_ms_p50"],
        "(info)",
        lambda v: True,
    ),
]

GROUPS = [
    ("HTTP client (httpx, aiohttp)", ("httpx", "httpcore", "aiohttp", "yarl", "multidict")),
    ("HTTP server (uvicorn, httptools)", ("uvicorn", "httptools", "h11")),
    ("Starlette", ("starlette",)),
    ("pydantic", ("pydantic",)),
    ("compose", ("bff/compose",)),
    ("upstream clients", ("bff/upstreams",)),
    ("auth (token)", ("bff/auth", "jwt", "cryptography")),
    ("privacy (processing, audit, trace)", ("bff/privacy",)),
    ("logging (structlog)", ("structlog", "logging", "bff/logs")),
    ("other bff", ("bff/",)),
    ("event loop, asyncio", ("asyncio", "uvloop", "selectors")),
    ("json", ("json",)),
]


def _group(filename: str) -> str:
    for name, needles in GROUPS:
        if any(n in filename for n in needles):
            return name
    return "other (builtins, stdlib)"


def profile_summary(path: Path) -> dict[str, Any]:
    stats = pstats.Stats(str(path))
    raw: Any = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values()) or 1.0
    groups: dict[str, float] = defaultdict(float)
    rows = []
    for (filename, line, func), (_cc, _nc, tottime, cumtime, _callers) in raw.items():
        where = filename if filename == "~" else _group(filename)
        groups[where if where != "~" else "other (builtins, stdlib)"] += tottime
        short = "/".join(filename.split("/")[-2:])
        rows.append((tottime, cumtime, f"{short}:{line} {func}"))
    rows.sort(reverse=True)
    return {
        "groups_pct": {
            k: round(v / total * 100, 1) for k, v in sorted(groups.items(), key=lambda kv: -kv[1])
        },
        "top": [
            {"function": f, "tottime_pct": round(t / total * 100, 1)} for t, _c, f in rows[:15]
        ],
    }


def _fmt(v: float) -> str:
    if math.isnan(v):
        return "-"
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.2f}"


def summarise(reps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for label, read, target, check in TARGETS:
        values = [float(read(m)) for m in reps]
        med = statistics.median(values)
        rows.append(
            {
                "metric": label,
                "target": target,
                "median": med,
                "min": min(values),
                "max": max(values),
                "values": values,
                "met": check(med),
            }
        )
    return rows


def table(data: dict[str, Any]) -> list[str]:
    """The targets table with the conditions line above it (report and README)."""
    rows = summarise(data["repetitions"])
    c = data["conditions"]
    lines = [
        f"{c['date']}; {c['cpus']} CPUs shared with other work (load average "
        f"{' '.join(c['loadavg_before'])} before, {' '.join(c['loadavg_after'])} after); "
        f"Python {c['python']}; {len(data['repetitions'])} repetition(s)"
        + (" (quick)" if c["quick"] else "")
        + ". BFF: `bff serve`, one worker"
        + (
            f" alone on CPU {','.join(map(str, c['pinned'][0]))} (upstreams and load on "
            f"CPU {','.join(map(str, c['pinned'][1]))})"
            if c.get("pinned")
            else ""
        )
        + "; upstreams from memory in their own process.",
        "",
        "| metric | target | median | spread (min-max) | met |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        met = "yes" if r["met"] else "**no**"
        if r["target"] == "(info)":
            met = ""
        spread = f"{_fmt(r['min'])}-{_fmt(r['max'])}"
        lines.append(f"| {r['metric']} | {r['target']} | {_fmt(r['median'])} | {spread} | {met} |")
    return lines


def update_readme(data: dict[str, Any], readme: Path) -> None:
    """Replace the table between the README's `bench:start` and `bench:end` markers."""
    text = readme.read_text()
    start, end = "<!-- bench:start -->\n", "<!-- bench:end -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    readme.write_text(head + start + "\n".join(table(data)) + "\n" + end + tail)


def write_report(data: dict[str, Any], out: Path) -> None:
    rows = summarise(data["repetitions"])
    data = {**data, "summary": rows}
    (out / "report.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    lines = ["# Benchmark report", "", *table(data)]
    over = data["repetitions"][-1]["overload"]
    lines += [
        "",
        f"Overload (last repetition): {over['sent']} sent at {over['rate']:.0f}/s for "
        f"{over['duration_s']} s; {over['served']} served, {over['shed']} shed (503), "
        f"{over['client_timeouts']} client timeouts, {over['other']} other answers.",
        "",
        "## CPU profile (cProfile, klantbeeld at 4 in flight; share of profiled time)",
        "",
        "| where | % |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in data["profile"]["groups_pct"].items()]
    lines += ["", "| function (self time) | % |", "|---|---|"]
    lines += [f"| `{t['function']}` | {t['tottime_pct']} |" for t in data["profile"]["top"]]
    (out / "report.md").write_text("\n".join(lines) + "\n")
