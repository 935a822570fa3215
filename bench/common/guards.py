"""Refuse to measure what cannot be measured: a machine too loaded for a meaningful figure, an engine that does
not answer. Each refusal is an exception carrying the benchmark's exit code; no figure is printed after one."""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.common.machine import Load
from bench.common.settings import BenchSettings
from domain.engine import EngineClient
from domain.engine.errors import EngineAuthError, EngineError, EngineUnavailable


class NoFigure(Exception):
    """Nothing was measured (or not enough to give a figure); the message says why. Exit code 1."""

    exit_code = 1


class TooLoaded(NoFigure):
    """The machine is too loaded for a meaningful figure. Exit code 2."""

    exit_code = 2


class EngineDown(NoFigure):
    """The engine does not answer (or is not a Camunda engine)."""


def load_limit(settings: BenchSettings, cores: int) -> float:
    return settings.max_load if settings.max_load is not None else float(cores)


def check_load(
    settings: BenchSettings,
    reading: Callable[[], Load] = Load.now,
    sleep: Callable[[float], None] = time.sleep,
    say: Callable[[str], None] = print,
) -> Load:
    """Return the load once the 1-minute average is at or below the limit (BENCH_MAX_LOAD, default the cores),
    waiting up to BENCH_LOAD_WAIT_SECONDS for it (a benchmark that just ran leaves its own load behind);
    raise TooLoaded if it stays above — unless BENCH_IGNORE_LOAD=1, which measures anyway and says so."""
    load = reading()
    limit = load_limit(settings, load.cores)
    say(f"load average before: {load.text()}; limit {limit:.2f} (BENCH_MAX_LOAD)")
    waited = 0.0
    while load.one > limit and waited < settings.load_wait_seconds:
        if waited == 0:
            say(f"  waiting up to {settings.load_wait_seconds:.0f} s for the load to fall (BENCH_LOAD_WAIT_SECONDS) …")
        step = min(10.0, settings.load_wait_seconds - waited)
        sleep(step)
        waited += step
        load = reading()
    if load.one <= limit:
        if waited:
            say(f"load average now:    {load.text()}")
        return load
    message = (f"the machine is too loaded for a meaningful figure (1-minute load {load.one:.2f} > {limit:.2f}): "
               "nothing measured; run again when it is quieter (BENCH_IGNORE_LOAD=1 measures anyway).")  # fmt: skip
    if settings.ignore_load:
        say(f"WARNING: {message.split(':')[0]}; BENCH_IGNORE_LOAD=1: measuring anyway, figures marked as under load.")
        return load
    raise TooLoaded(message)


def require_engine(url: str, auth: tuple[str, str], timeout: float = 5.0) -> None:
    """Return when the engine at ``url`` (its REST root) answers and takes these credentials; raise EngineDown if
    nothing answers there, or something that is not the engine, or it refuses them."""
    client = EngineClient(url, *auth, timeout_seconds=timeout, retries=0)
    try:
        client.check_login()
    except EngineUnavailable as exc:
        raise EngineDown(f"the engine at {url} does not answer ({exc}): nothing measured.") from exc
    except EngineAuthError as exc:
        raise EngineDown(f"the engine at {url} refused the benchmark's credentials: nothing measured.") from exc
    except EngineError as exc:
        raise EngineDown(f"{url} does not answer as the engine's REST API ({exc}): nothing measured.") from exc
    finally:
        client.close()
