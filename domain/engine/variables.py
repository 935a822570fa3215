"""The one codec between Camunda's REST values and Python: typed variables and dates.

Dates travel as Camunda's ``yyyy-MM-dd'T'HH:mm:ss.SSSZ``; lists and dicts as Spin ``Json``;
Decimal amounts as Double (two decimals, the forms' number fields).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

CAMUNDA_DATE = "%Y-%m-%dT%H:%M:%S.%f%z"


def format_date(moment: dt.datetime) -> str:
    """A timezone-aware datetime in Camunda's date format."""
    if moment.tzinfo is None:
        raise ValueError(f"日期 {moment} 缺少时区")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}" + moment.strftime("%z")


def parse_date(value: str | None) -> dt.datetime | None:
    """A date as the engine's REST API writes it (``2026-10-09T23:59:59.000+0800``), or None."""
    return dt.datetime.strptime(value, CAMUNDA_DATE) if value else None


def to_camunda(value: Any) -> dict[str, Any]:
    """The typed REST representation of a Python value."""
    if isinstance(value, dt.datetime):
        return {"value": format_date(value), "type": "Date"}
    if isinstance(value, dt.date):
        return {"value": value.isoformat(), "type": "String"}
    if isinstance(value, Decimal):
        return {"value": float(value), "type": "Double"}
    if isinstance(value, (list, dict)):
        return {"value": json.dumps(value, ensure_ascii=False), "type": "Json"}
    return {"value": value}


def from_camunda(typed: dict[str, Any]) -> Any:
    """The Python value of a typed REST variable (fetched with deserializeValues=false)."""
    value, kind = typed.get("value"), typed.get("type")
    if value is None:
        return None
    if kind == "Date":
        return parse_date(value)
    if kind == "Json" and isinstance(value, str):
        return json.loads(value)
    return value


def to_camunda_all(variables: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: to_camunda(value) for name, value in variables.items()}
