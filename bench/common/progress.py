"""Progress bars on long runs (tqdm, on standard error, only when it is a terminal: recorded output stays clean)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from tqdm import tqdm


def bar(total: float, desc: str, unit: str = "it") -> tqdm:
    """A bar of ``total`` steps; update it with ``.update(n)``, close it with ``.close()`` (or use ``with``)."""
    return tqdm(total=total, desc=f"  {desc}", unit=unit, disable=None, leave=False, dynamic_ncols=True)


class Clock:
    """A bar over a duration: ``tick()`` moves it to the time elapsed."""

    def __init__(self, seconds: float, desc: str) -> None:
        self.begin = time.monotonic()
        self.bar = tqdm(total=round(seconds), desc=f"  {desc}", unit="s", disable=None, leave=False,
                        dynamic_ncols=True, bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f} s")  # fmt: skip

    def tick(self) -> None:
        self.bar.n = min(round(time.monotonic() - self.begin), self.bar.total)
        self.bar.refresh()


@contextmanager
def clock(seconds: float, desc: str) -> Iterator[Clock]:
    timer = Clock(seconds, desc)
    try:
        yield timer
    finally:
        timer.bar.close()
