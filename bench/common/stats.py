"""Percentiles and latency summaries (nearest rank: every figure is a latency that was measured)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``share`` of the values at or below it."""
    if not values:
        raise ValueError("no values: no percentile")
    if not 0 < share <= 1:
        raise ValueError(f"share {share} is not in (0, 1]")
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


@dataclass(frozen=True)
class Latencies:
    count: int
    p50: float
    p95: float
    p99: float
    max: float
    mean: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Latencies:
        return cls(
            count=len(values),
            p50=percentile(values, 0.50),
            p95=percentile(values, 0.95),
            p99=percentile(values, 0.99),
            max=max(values),
            mean=statistics.fmean(values),
        )

    def text(self, unit: str = "ms") -> str:
        return (f"p50 {self.p50:.0f} {unit}, p95 {self.p95:.0f} {unit}, p99 {self.p99:.0f} {unit}, "
                f"max {self.max:.0f} {unit} over {self.count}")  # fmt: skip
