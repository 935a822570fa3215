"""The table per department that the joint meeting's monthly report (R17) and the yearly assessment (R18)
show: one set of columns taken from the dashboard's figures (domain/timeliness/dashboard.py), as plain rows
(what a report keeps), as CSV (UTF-8 with BOM, so that Excel reads the Chinese) and as cells for a page."""

from __future__ import annotations

import csv
import io
from typing import Any

from domain.clock import CHINA
from domain.organisation import WINDOW
from domain.timeliness.dashboard import Dashboard, DepartmentFigures

# (key of a row, the column's header): the same order on the page, in the PDF and in the CSV.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "部门"),
    ("received", "受理件数"),
    ("finished", "办结件数"),
    ("open", "在办件数"),
    ("tasks_done", "已办任务"),
    ("tasks_on_time", "按时办结任务"),
    ("tasks_late", "超期办结任务"),
    ("on_time_percent", "按时率(%)"),
    ("overdue", "当前超期任务"),
    ("escalations", "超期预警次数"),
    ("extensions", "批准延期次数"),
    ("funds_paid", "已拨付资金(元)"),
    ("stages", "各环节平均工作日"),
)
NO_CASES = "本月无受理件"


def figures_row(item: DepartmentFigures) -> dict[str, Any]:
    """One unit's figures as plain data (JSON-safe: what a filed report keeps)."""
    return {
        "group": item.group,
        "name": item.name,
        "received": item.received,
        "finished": item.finished,
        "open": item.open,
        "tasks_done": item.tasks_done,
        "tasks_on_time": item.tasks_on_time,
        "tasks_late": item.tasks_late,
        "on_time_percent": item.on_time_percent,
        "overdue": item.overdue_count,
        "escalations": item.escalations,
        "extensions": item.extensions,
        "funds_paid": f"{item.funds_paid:.2f}",
        "stages": dict(item.working_days_by_stage),
        "overdue_tasks": [
            {
                "application_number": task.application_number,
                "task_name": task.task_name,
                "due": f"{task.due.astimezone(CHINA):%Y-%m-%d %H:%M}" if task.due else "",
            }
            for task in item.overdue
        ],
    }


def table(dashboard: Dashboard) -> list[dict[str, Any]]:
    return [figures_row(item) for item in dashboard.departments]


def cases_received(rows: list[dict[str, Any]]) -> int:
    """Every case received in the period: the window's count (every case enters through it, R1)."""
    return next((row["received"] for row in rows if row["group"] == WINDOW.group_id), 0)


def cell(row: dict[str, Any], key: str) -> str:
    """A cell as a person reads it: no figure is an empty cell, stages as "name days；…"."""
    value = row.get(key)
    if value is None:
        return ""
    if key == "stages":
        return "；".join(f"{name} {days}" for name, days in value.items())
    return str(value)


def headers() -> list[str]:
    return [header for _, header in COLUMNS]


def cells(row: dict[str, Any]) -> list[str]:
    return [cell(row, key) for key, _ in COLUMNS]


def to_csv(rows: list[dict[str, Any]], note: str | None = None) -> bytes:
    """The table as CSV in UTF-8 with a BOM; ``note`` (e.g. 本月无受理件) as a last line of its own."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(headers())
    writer.writerows(cells(row) for row in rows)
    if note:
        writer.writerow(["说明", note])
    return out.getvalue().encode("utf-8")
