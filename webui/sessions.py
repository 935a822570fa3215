"""Sessions kept on the server (Flask-Session): the cookie carries only a random id, so logging out ends the
session for good (a copied cookie stops working) and a session idle for WEBUI_IDLE_MINUTES expires.

The store is a directory under var/ shared by every web process on the host (cachelib); several hosts
need a shared store such as Redis (Flask-Session's SESSION_TYPE=redis).
"""

from __future__ import annotations

import datetime as dt

from cachelib import FileSystemCache
from flask import Flask
from flask_session import Session

from domain.config import Settings


def init_app(app: Flask, settings: Settings) -> None:
    store = settings.var_dir / "sessions"
    store.mkdir(parents=True, exist_ok=True)
    app.config.setdefault("SESSION_TYPE", "cachelib")
    app.config.setdefault("SESSION_CACHELIB", FileSystemCache(str(store), threshold=100_000, mode=0o600))
    app.config.setdefault("SESSION_PERMANENT", True)
    app.config["SESSION_REFRESH_EACH_REQUEST"] = True
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(minutes=settings.webui_idle_minutes)
    Session(app)
