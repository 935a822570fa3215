"""The yearly timeliness assessment per department (R18: departments are assessed yearly, delays by
inaction held to account), from the dashboard's own figures over a calendar year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.timeliness.dashboard import Dashboard, DashboardBuilder
from domain.timeliness.report_table import table, to_csv


@dataclass(frozen=True)
class YearlyAssessment:
    year: int
    rows: list[dict[str, Any]]  # one per unit: the columns of domain/timeliness/report_table.py
    dashboard: Dashboard

    def csv(self) -> bytes:
        return to_csv(self.rows, None if any(row["received"] for row in self.rows) else "本年度无受理件")

    @property
    def filename(self) -> str:
        return f"{self.year}年度惠企政策兑现办理时效考核.csv"


def assess(builder: DashboardBuilder, year: int) -> YearlyAssessment:
    """The year's figures per department (R18); ValueError for a year outside 2000–2100."""
    if not 2000 <= year <= 2100:
        raise ValueError(f"年份 {year} 超出范围")
    dashboard = builder.build_year(year)
    return YearlyAssessment(year, table(dashboard), dashboard)
