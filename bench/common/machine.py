"""The machine a figure was measured on: cores, memory, CPU model, load average."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Load:
    one: float
    five: float
    fifteen: float
    cores: int

    @classmethod
    def now(cls) -> Load:
        one, five, fifteen = os.getloadavg()
        return cls(one, five, fifteen, os.cpu_count() or 1)

    def text(self) -> str:
        return f"{self.one:.2f} {self.five:.2f} {self.fifteen:.2f} (1, 5, 15 min) on {self.cores} cores"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_total_bytes() -> int | None:
    try:
        import psutil

        return psutil.virtual_memory().total
    except ImportError:
        return None


def describe() -> dict:
    """What the results file records about the machine."""
    total = memory_total_bytes()
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_gib": round(total / 2**30, 1) if total else None,
        "system": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "load_before": asdict(Load.now()),
    }


def summary() -> str:
    info = describe()
    return f"{info['cores']} cores ({info['cpu']}), {info['memory_gib']} GiB, {info['system']}, Python {info['python']}"
