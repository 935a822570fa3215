"""Create P3's cases fast through the engine's own APIs: each case started directly at its department's step
(one call per case: the engine has no batch start), several at once; the finished ones then moved through their
steps and ended at 办结 in batches, ``chunk`` cases per modification call, several chunks at once."""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bench.common import progress
from bench.dashboard_volume.plan import CASE_END, FINISHED_PATH, OPEN_AT, Growth, finished_case, open_case
from domain.engine.bulk import BulkCases


@dataclass
class Creation:
    """How long creating a size's cases took: wall clock, and the calls' own time by kind."""

    cases: int = 0
    seconds: float = 0.0
    start_seconds: float = 0.0  # summed over the threads
    move_seconds: float = 0.0
    starts: int = 0
    moves: int = 0  # modification calls
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def rate(self) -> float:
        return self.cases / self.seconds if self.seconds else 0.0

    def add(self, kind: str, seconds: float, count: int) -> None:
        with self.lock:
            if kind == "start":
                self.start_seconds += seconds
                self.starts += count
            else:
                self.move_seconds += seconds
                self.moves += count

    def text(self) -> str:
        busy = self.start_seconds + self.move_seconds
        starts = 100 * self.start_seconds / busy if busy else 0
        per_start = 1000 * self.start_seconds / self.starts if self.starts else 0
        per_move = 1000 * self.move_seconds / self.moves if self.moves else 0
        return (f"{self.cases:,} cases in {self.seconds:.0f} s ({self.rate:.1f} cases/s): {self.starts:,} starts "
                f"at {per_start:.0f} ms each, {self.moves:,} batch moves at {per_move:.0f} ms each "
                f"({starts:.0f}% of the calls' time in starts)")  # fmt: skip


class Loader:
    def __init__(self, starter: BulkCases, mover: BulkCases, threads: int = 4, chunk: int = 250) -> None:
        self.starter = starter  # the web UI's service account: the only one that starts cases with their data
        self.mover = mover  # the administrator: batch modification
        self.threads = threads
        self.chunk = chunk
        self.definition_id = mover.definition_id()

    def grow(self, plan: Growth, now: dt.datetime, desc: str) -> Creation:
        """Create the finished and open cases of ``plan``; a progress bar over the engine calls' worth of work."""
        creation = Creation(cases=plan.cases)
        began = time.monotonic()
        chunks = [("finished", r) for r in _chunks(plan.finished, self.chunk)]
        chunks += [("open", r) for r in _chunks(plan.open, self.chunk)]
        with progress.bar(plan.operations, desc, unit="op") as bar:
            pool = ThreadPoolExecutor(self.threads)
            try:
                for future in [pool.submit(self._chunk, kind, numbers, now, creation, bar) for kind, numbers in chunks]:
                    future.result()  # the first failure ends the run
            finally:  # a failure or a stop: the chunks not begun are dropped, those under way finish
                pool.shutdown(wait=True, cancel_futures=True)
        creation.seconds = time.monotonic() - began
        return creation

    def _chunk(self, kind: str, numbers: range, now: dt.datetime, creation: Creation, bar) -> None:
        make = finished_case if kind == "finished" else open_case
        first = FINISHED_PATH[0] if kind == "finished" else OPEN_AT
        ids = []
        began = time.monotonic()
        for index in numbers:
            key, variables = make(index, now)
            ids.append(self.starter.start_at(first, key, variables))
            bar.update(1)
        creation.add("start", time.monotonic() - began, len(ids))
        if kind != "finished":
            return
        for source, target in zip(FINISHED_PATH, (*FINISHED_PATH[1:], CASE_END), strict=True):
            began = time.monotonic()
            self.mover.move(self.definition_id, ids, source, target)
            creation.add("move", time.monotonic() - began, 1)
            bar.update(len(ids))


def _chunks(numbers: range, size: int) -> list[range]:
    return [numbers[i : i + size] for i in range(0, len(numbers), size)]
