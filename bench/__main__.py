"""`python -m bench` (`make bench`): every benchmark in turn, quick sizes (FULL=1: the full ones), then a summary
of every figure from their results files (var/bench/). Each benchmark is its own process and checks the load
itself; one that refuses or gives no figure does not stop the others. Exit code: the first non-zero one's."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bench.common.settings import load_bench_settings
from domain.config import PROJECT_ROOT

# (what it measures, module). P3 — a department's task list and the dashboard at 1k / 10k / 100k cases — goes
# here as one more line; it sizes itself by FULL through bench.common.settings and plots with BenchRun.plot.
BENCHMARKS: list[tuple[str, str]] = [
    ("P1, P2 runner vs plain loop: tasks/s and pickup latency", "bench.runner_throughput"),
    ("P2 pickup latency of a new case's first task", "bench.pickup_latency"),
    ("node throughput: cases/s and tasks/s through the automated steps", "bench.node_throughput"),
    ("P4 web UI under gunicorn: catalogue, guide page, online submit", "bench.webui_load"),
    ("P3 a department's task list and the dashboard at 1k / 10k (FULL: 100k) cases", "bench.dashboard_volume"),
]


def summary(results_dir: Path, since: float) -> list[str]:
    lines = []
    for path in sorted(results_dir.glob("*.json"), key=lambda p: p.stat().st_mtime):
        if path.stat().st_mtime < since:
            continue
        results = json.loads(path.read_text(encoding="utf-8"))
        lines.append(f"{results['benchmark']} ({results['size']}, {results['outcome']}):")
        for figure in results["figures"]:
            verdict = {True: "met", False: "NOT met", None: "–"}[figure["met"]]
            lines.append(f"  {figure['name']}: {figure['value']:.{figure['digits']}f} {figure['unit']} [{verdict}]")
    return lines


def main() -> int:
    settings = load_bench_settings()
    started = time.time()
    codes: list[tuple[str, int]] = []
    for title, module in BENCHMARKS:
        print(f"\n===== {title} (python -m {module}, {settings.size}) =====", flush=True)
        codes.append((module, subprocess.run([sys.executable, "-m", module], cwd=PROJECT_ROOT, check=False).returncode))
    print("\n===== summary =====")
    print("\n".join(summary(settings.results_dir, started)) or "no results written")
    for module, code in codes:
        if code:
            print(f"{module}: exit {code} ({'too loaded' if code == 2 else 'no figure'})")
    return next((code for _module, code in codes if code), 0)


if __name__ == "__main__":
    sys.exit(main())
