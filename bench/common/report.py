"""A benchmark's run: its result lines (figure, target, ratio to the baseline or the target, met or not), the
memory of its processes, its notes, plots, and the JSON results file under var/bench/.

    run = BenchRun("webui_load", "P4 web UI under gunicorn", {"seconds": 10})
    sys.exit(run.main(measure))          # measure(run) calls run.figure(...), run.memory(...)

``main`` checks the load first; a NoFigure (or an engine that did not start or stopped answering) ends the run
with its message and exit code, and nothing it did not measure is printed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

from bench.common import machine
from bench.common.guards import NoFigure, check_load, load_limit
from bench.common.memory import ProcessMemory, table
from bench.common.plot import growth_plot
from bench.common.settings import BenchSettings, load_bench_settings


@dataclass
class Figure:
    """One measured figure. ``target`` applies to the value, or with ``on="ratio"`` to value / baseline;
    ``better="higher"`` means at least the target, ``"lower"`` below it."""

    name: str
    value: float
    unit: str
    target: float | None = None
    better: str = "higher"
    baseline: float | None = None
    baseline_name: str = ""
    on: str = "value"
    digits: int = 1
    note: str = ""
    under_load: bool = False

    @property
    def ratio(self) -> float | None:
        """Value / baseline when there is one, else value / target."""
        reference = self.baseline if self.baseline is not None else self.target
        return self.value / reference if reference else None

    @property
    def judged(self) -> float:
        if self.on == "ratio":
            assert self.baseline, f"{self.name}: a target on the ratio needs a baseline"
            return self.value / self.baseline
        return self.value

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.judged >= self.target if self.better == "higher" else self.judged < self.target

    def line(self) -> str:
        text = f"{self.name}: {self.value:.{self.digits}f} {self.unit}"
        if self.baseline is not None:
            baseline = f"{self.baseline_name or 'baseline'} {self.baseline:.{self.digits}f} {self.unit}"
            text += f"; {baseline} → ratio {self.ratio:.2f}"
        if self.target is not None:
            sign = "≥" if self.better == "higher" else "<"
            if self.on == "ratio":
                text += f"; target ratio {sign} {self.target:g}"
            else:
                text += f"; target {sign} {self.target:g} {self.unit}"
                if self.baseline is None:
                    text += f" ({self.ratio:.2f}× the target)"
            text += " — " + ("met" if self.met else "NOT met")
        if self.note:
            text += f" ({self.note})"
        if self.under_load:
            text += " [measured under load: BENCH_IGNORE_LOAD]"
        return text

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


@dataclass
class BenchRun:
    name: str
    title: str
    params: Mapping[str, object] = field(default_factory=dict)
    settings: BenchSettings = field(default_factory=load_bench_settings)
    out: Callable[[str], None] = print

    def __post_init__(self) -> None:
        self.started = dt.datetime.now(dt.UTC)
        self.stamp = self.started.strftime("%Y%m%dT%H%M%SZ")
        self.figures: list[Figure] = []
        self.memory_samples: list[ProcessMemory] = []
        self.notes: list[str] = []
        self.plots: list[str] = []
        self.machine = machine.describe()
        self.load_before: machine.Load | None = None
        self.under_load = False
        self.outcome = "measured"

    def say(self, text: str) -> None:
        self.out(text)
        sys.stdout.flush()

    def guard_load(self) -> None:
        self.load_before = check_load(self.settings, say=self.say)
        self.machine["load_before"] = asdict(self.load_before)  # after any wait for the load to fall
        self.under_load = self.load_before.one > load_limit(self.settings, self.load_before.cores)

    def figure(self, figure: Figure) -> Figure:
        figure.under_load = self.under_load
        self.figures.append(figure)
        self.say(figure.line())
        return figure

    def memory(self, samples: list[ProcessMemory]) -> None:
        self.memory_samples += samples
        self.say(table(samples))

    def note(self, text: str) -> None:
        self.notes.append(text)
        self.say(text)

    def plot(self, suffix: str, title: str, series: Mapping[str, Mapping[float, float]], **options) -> Path:
        """A PNG of growth curves beside the results file (see plot.growth_plot)."""
        path = growth_plot(self.settings.results_dir / f"{self.name}-{self.stamp}-{suffix}.png", title, series,
                           **options)  # fmt: skip
        self.plots.append(str(path))
        self.say(f"plot: {path}")
        return path

    def write(self) -> Path:
        after = machine.Load.now()
        self.say(f"load average after:  {after.text()}")
        results = {
            "benchmark": self.name,
            "title": self.title,
            "size": self.settings.size,
            "outcome": self.outcome,
            "started": self.started.isoformat(timespec="seconds"),
            "ended": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "params": dict(self.params),
            "machine": {**self.machine, "load_after": asdict(after)},
            "under_load": self.under_load,
            "figures": [figure.as_dict() for figure in self.figures],
            "memory": [memory.as_dict() for memory in self.memory_samples],
            "notes": self.notes,
            "plots": self.plots,
        }
        self.settings.results_dir.mkdir(parents=True, exist_ok=True)
        path = self.settings.results_dir / f"{self.name}-{self.stamp}.json"
        path.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        self.say(f"results: {path}")
        return path

    def main(self, measure: Callable[[BenchRun], None]) -> int:
        """Print the title and the machine, check the load, measure; return the exit code (0, 1 no figure,
        2 too loaded)."""
        from devstack.engine import StackError
        from domain.engine import EngineUnavailable

        self.say(f"{self.title} [{self.settings.size}{': FULL=1' if self.settings.full else ''}]")
        self.say(f"machine: {machine.summary()}")
        try:
            self.guard_load()
            measure(self)
        except NoFigure as exc:
            return self._fail(str(exc), exc.exit_code)
        except StackError as exc:
            return self._fail(f"the engine is not running, nothing measured: {exc}", 1)
        except (EngineUnavailable, requests.RequestException) as exc:
            return self._fail(f"a service stopped answering during the run, no figure: {exc}", 1)
        self.write()
        return 0

    def _fail(self, message: str, code: int) -> int:
        self.outcome = f"no figure: {message}"
        self.say(message)
        if self.load_before is not None:  # a refusal before the guard passed writes nothing
            self.write()
        return code
