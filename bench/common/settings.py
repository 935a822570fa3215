"""The benchmarks' settings, read from the environment here and nowhere else (each with its default).

| variable | default | meaning |
|---|---|---|
| `FULL` | `0` | `1`: the full sizes (100k cases, longer windows); otherwise the quick versions (minutes) |
| `BENCH_MAX_LOAD` | the number of cores | the 1-minute load average above which a benchmark refuses to measure |
| `BENCH_LOAD_WAIT_SECONDS` | `90` | how long a benchmark waits for the load to fall below that before it refuses |
| `BENCH_IGNORE_LOAD` | `0` | `1`: measure on a loaded machine anyway; every figure is then marked as taken under load |
| `BENCH_RESULTS_DIR` | `var/bench` | where each run's JSON results and PNG plots are written |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from domain.config import PROJECT_ROOT

T = TypeVar("T")
YES = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class BenchSettings:
    full: bool = False
    max_load: float | None = None  # None: the number of cores
    load_wait_seconds: float = 90.0
    ignore_load: bool = False
    results_dir: Path = PROJECT_ROOT / "var" / "bench"

    @property
    def size(self) -> str:
        return "full" if self.full else "quick"

    def pick(self, quick: T, full: T) -> T:
        """The quick or the full value of a size, by FULL."""
        return full if self.full else quick


def _number(environ: Mapping[str, str], name: str, default: float | None) -> float | None:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a number") from None


def load_bench_settings(environ: Mapping[str, str] | None = None) -> BenchSettings:
    """The settings from the environment (``environ``: another mapping, for tests)."""
    env = os.environ if environ is None else environ
    return BenchSettings(
        full=env.get("FULL", "").strip().lower() in YES,
        max_load=_number(env, "BENCH_MAX_LOAD", None),
        load_wait_seconds=_number(env, "BENCH_LOAD_WAIT_SECONDS", BenchSettings.load_wait_seconds) or 0.0,
        ignore_load=env.get("BENCH_IGNORE_LOAD", "").strip().lower() in YES,
        results_dir=Path(env.get("BENCH_RESULTS_DIR", "").strip() or BenchSettings.results_dir),
    )
