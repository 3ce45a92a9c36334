"""Hit and miss counts of one in-process cache, read by `/metrics` at scrape time.

A cache owns a `CacheStats` and calls `record`; it knows nothing of Prometheus.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0

    def record(self, hit: bool) -> None:
        if hit:
            self.hits += 1
        else:
            self.misses += 1
