"""What handlers share in one worker process: settings and the application database."""

from __future__ import annotations

from functools import cache

from domain.config import Settings, load_settings
from domain.db import Database


@cache
def settings() -> Settings:
    return load_settings()


@cache
def database() -> Database:
    return Database(settings().database_url)
