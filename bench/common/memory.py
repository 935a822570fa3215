"""Memory of the processes a benchmark ran, taken before they stop: resident set (RSS), proportional share (PSS:
pages shared by gunicorn's forked workers counted once), peak RSS, and for the engine the JVM heap (used,
committed, max) from ``jcmd``."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psutil

MIB = 1024 * 1024


@dataclass(frozen=True)
class JvmHeap:
    used: int  # bytes
    committed: int
    max: int | None


@dataclass(frozen=True)
class ProcessMemory:
    role: str  # "engine", "workers", "web UI master", "web UI worker" …
    pid: int
    rss: int  # bytes
    pss: int | None
    peak_rss: int | None
    heap: JvmHeap | None = None

    def as_dict(self) -> dict:
        heap = None
        if self.heap:
            heap = {"used_mib": _mib(self.heap.used), "committed_mib": _mib(self.heap.committed),
                    "max_mib": _mib(self.heap.max)}  # fmt: skip
        return {"role": self.role, "pid": self.pid, "rss_mib": _mib(self.rss), "pss_mib": _mib(self.pss),
                "peak_rss_mib": _mib(self.peak_rss), "jvm_heap": heap}  # fmt: skip


def _mib(value: int | None) -> float | None:
    return None if value is None else round(value / MIB, 1)


# `jcmd <pid> GC.heap_info`: G1 ("garbage-first heap total 262144K, used 123456K"), Serial and Parallel (one such
# line per generation); ZGC ("ZHeap used 8M, capacity 32M, max capacity 1024M").
GENERATION = re.compile(r"total (\d+)K, used (\d+)K")
ZHEAP = re.compile(r"used (\d+)M, capacity (\d+)M, max capacity (\d+)M")
MAX_HEAP = re.compile(r"-XX:MaxHeapSize=(\d+)")


def parse_heap_info(text: str) -> tuple[int, int] | None:
    """(used, committed) bytes from GC.heap_info's text; None when it has no heap line."""
    heap_lines = [line for line in text.splitlines() if not line.strip().startswith(("Metaspace", "class space"))]
    generations = [GENERATION.search(line) for line in heap_lines]
    found = [match for match in generations if match]
    if found:
        return sum(int(m.group(2)) for m in found) * 1024, sum(int(m.group(1)) for m in found) * 1024
    zheap = ZHEAP.search(text)
    if zheap:
        return int(zheap.group(1)) * MIB, int(zheap.group(2)) * MIB
    return None


def parse_max_heap(flags: str) -> int | None:
    match = MAX_HEAP.search(flags)
    return int(match.group(1)) if match else None


def jvm_heap(pid: int, timeout: float = 20.0) -> JvmHeap | None:
    """The JVM's heap through jcmd (the JDK's; the same user as the JVM); None when jcmd is missing or fails."""
    jcmd = shutil.which("jcmd")
    if jcmd is None:
        return None
    try:
        info = subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=timeout)
        flags = subprocess.run([jcmd, str(pid), "VM.flags"], capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    heap = parse_heap_info(info.stdout)
    if heap is None:
        return None
    return JvmHeap(used=heap[0], committed=heap[1], max=parse_max_heap(flags.stdout))


def peak_rss(pid: int) -> int | None:
    """VmHWM, the highest resident set the process had (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def sample(role: str, pid: int, jvm: bool = False) -> ProcessMemory | None:
    """One process's memory now; None when it is gone."""
    try:
        process = psutil.Process(pid)
        rss = process.memory_info().rss
        try:
            pss = getattr(process.memory_full_info(), "pss", None)
        except psutil.AccessDenied:
            pss = None
    except psutil.NoSuchProcess:
        return None
    return ProcessMemory(role, pid, rss, pss, peak_rss(pid), jvm_heap(pid) if jvm else None)


def sample_tree(role: str, pid: int, child_role: str) -> list[ProcessMemory]:
    """A parent (gunicorn's master) and each of its children (its workers)."""
    try:
        children = psutil.Process(pid).children()
    except psutil.NoSuchProcess:
        return []
    found = [sample(role, pid), *(sample(child_role, child.pid) for child in children)]
    return [memory for memory in found if memory is not None]


def sample_group(role: str, pid: int) -> ProcessMemory | None:
    """A parent and all its children as one line (PostgreSQL's backends): RSS and PSS summed, PSS the fair one."""
    try:
        members = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return None
    found = [memory for memory in (sample(role, member.pid) for member in members) if memory is not None]
    if not found:
        return None
    pss = [memory.pss for memory in found]
    return ProcessMemory(
        role, pid, sum(memory.rss for memory in found), None if None in pss else sum(p or 0 for p in pss), None
    )


def listening_pid(port: int) -> int | None:
    """The process listening on this local TCP port (an engine someone else started), if this user may see it."""
    try:
        for connection in psutil.net_connections(kind="tcp"):
            if connection.status == psutil.CONN_LISTEN and connection.laddr and connection.laddr.port == port:
                return connection.pid
    except psutil.AccessDenied:
        return None
    return None


def table(samples: list[ProcessMemory]) -> str:
    """The memory lines printed beside the figures."""
    if not samples:
        return "memory: no process to sample"
    width = max(22, *(len(memory.role) for memory in samples))
    title = "memory after the run (MiB)"
    lines = [f"{title:<{width + 2}} {'pid':>7} {'RSS':>6} {'PSS':>7} {'peak RSS':>9}  JVM heap used / committed / max"]
    for memory in samples:
        heap = ""
        if memory.heap:
            top = f"{memory.heap.max / MIB:.0f}" if memory.heap.max else "?"
            heap = f"  {memory.heap.used / MIB:.0f} / {memory.heap.committed / MIB:.0f} / {top}"
        pss = f"{memory.pss / MIB:7.0f}" if memory.pss is not None else "      –"
        peak = f"{memory.peak_rss / MIB:9.0f}" if memory.peak_rss is not None else "        –"
        lines.append(f"  {memory.role:<{width}} {memory.pid:>7} {memory.rss / MIB:6.0f} {pss} {peak}{heap}")
    by_role: dict[str, int] = {}
    for memory in samples:
        by_role[memory.role] = by_role.get(memory.role, 0) + (memory.pss if memory.pss is not None else memory.rss)
    lines.append("  total (PSS, by role): " + ", ".join(f"{role} {total / MIB:.0f}" for role, total in by_role.items()))
    return "\n".join(lines)
