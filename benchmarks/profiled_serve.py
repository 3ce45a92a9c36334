"""`bff serve` under cProfile counting CPU time, switched on and off by signals.

    python benchmarks/profiled_serve.py OUT.prof serve --port N
    SIGUSR1: start profiling (after warm-up); SIGUSR2: stop and write OUT.prof

Only the requests between the two signals are profiled: start-up is left out.
"""

from __future__ import annotations

import cProfile
import signal
import sys
import time
from typing import Any

from bff.cli import main


def run(out: str, argv: list[str]) -> int:
    profiler = cProfile.Profile(time.process_time)

    def start(*_: Any) -> None:
        profiler.enable()

    def stop(*_: Any) -> None:
        profiler.disable()
        profiler.dump_stats(out)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    return main(argv)


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1], sys.argv[2:]))
