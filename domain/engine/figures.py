"""FiguresReader: the timeliness figures (R17, R18) as the engine computes them, in one place for every reader.

``GET /engine-rest/huiqi/timeliness`` (engine/…/timeliness/TimelinessFigures.java) aggregates the engine's history
in SQL; the managers' Cockpit plugin reads the same class. The web UI's dashboard and CSV, the monthly report and
the yearly assessment read it here.
"""

from __future__ import annotations

from typing import Any

from domain.engine.client import EngineClient

FIGURES_TIMEOUT_SECONDS = 30.0  # a province's history is aggregated in well under a second (bench/, P3)


class FiguresReader:
    def __init__(self, client: EngineClient) -> None:
        self.client = client

    def figures(self, period: str | None, now) -> dict[str, Any]:
        """The figures of a month (``2026-11``), a year (``2026``) or all time (None), open tasks judged at now."""
        params = {"at": now.isoformat()}
        if period:
            params["period"] = period
        return self.client.request(
            "GET", "/huiqi/timeliness", params=params, timeout=FIGURES_TIMEOUT_SECONDS
        ).json()

    def steps(self, process_key: str, period: str | None = None) -> dict[str, Any]:
        """Time spent at each step of the process (all versions)."""
        params = {"processDefinitionKey": process_key, **({"period": period} if period else {})}
        return self.client.request(
            "GET", "/huiqi/timeliness/steps", params=params, timeout=FIGURES_TIMEOUT_SECONDS
        ).json()

