"""Growth curves as a PNG (matplotlib, Agg: no display needed): a figure per size, one line per series.

P3 calls ``growth_plot(path, "department task list", {"task list": {1000: 0.12, 10000: 0.4, 100000: 2.1}})``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def growth_plot(
    path: Path,
    title: str,
    series: Mapping[str, Mapping[float, float]],
    xlabel: str = "cases",
    ylabel: str = "seconds",
    log_x: bool = True,
    target: float | None = None,
) -> Path:
    """Write one line per series ({size: value}, sizes in any order) to ``path`` (PNG); return it.

    ``target``: a dashed horizontal line at that value. Labels should be ASCII (no CJK font is assumed)."""
    from matplotlib.figure import Figure  # without pyplot: no global state, no display; Agg writes the PNG

    if not any(series.values()):
        raise ValueError("no points to plot")
    figure = Figure(figsize=(7, 4.5), dpi=100)
    axes = figure.subplots()
    for name, points in series.items():
        sizes = sorted(points)
        axes.plot(sizes, [points[size] for size in sizes], marker="o", label=name)
    if target is not None:
        axes.axhline(target, linestyle="--", color="grey", label=f"target {target:g}")
    if log_x:
        axes.set_xscale("log")
    sizes = sorted({size for points in series.values() for size in points})
    if len(sizes) <= 12:  # the sizes measured, written out (1,000 rather than 10^3)
        axes.set_xticks(sizes, [f"{size:,g}" for size in sizes])
        axes.minorticks_off()
    axes.set(title=title, xlabel=xlabel, ylabel=ylabel)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    return path
