"""Jinja2 templates of what people read: notices (text) and letters and documents (HTML for PDF)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a missing value is an error, never an empty hole in a letter
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = lambda d: f"{d:%Y年%m月%d日}".replace("年0", "年").replace("月0", "月")
    env.filters["yuan"] = lambda amount: f"{amount:,.2f} 元"
    return env


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with the context."""
    return environment().get_template(template).render(**context).strip()
