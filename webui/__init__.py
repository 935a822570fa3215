"""The web UI: enterprises apply and follow their cases; staff get what Tasklist cannot give."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask

from domain.config import Settings, load_settings


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask application; ``test_config`` overrides settings in tests."""
    settings = load_settings()
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=settings.webui_secret_key or _persistent_secret(settings),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        HUIQI_SETTINGS=settings,
    )
    if test_config:
        app.config.update(test_config)

    from webui import home

    app.register_blueprint(home.bp)
    return app


def _persistent_secret(settings: Settings) -> str:
    """A random key kept under var/ so sessions survive a restart; never a fixed default."""
    path = Path(settings.var_dir) / "webui-secret-key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
