"""The web UI: enterprises read policies, apply and follow their cases; staff get what Tasklist cannot."""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from domain.clock import CHINA
from domain.config import Settings, load_settings
from domain.db_check import DatabaseGone, first_line
from domain.engine import EngineUnavailable
from domain.production import require_safe
from webui import headers, limits, sessions
from webui.context import Resources

csrf = CSRFProtect()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask application; ``test_config`` overrides settings in tests."""
    settings = load_settings()
    require_safe(settings, web_ui=True)  # production refuses development defaults
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=settings.webui_secret_key or _persistent_secret(settings),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.webui_secure_cookies,
        MAX_CONTENT_LENGTH=settings.upload_max_bytes * 12,  # a whole application: several files
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        HUIQI_SETTINGS=settings,
    )
    if test_config:
        app.config.update(test_config)
    if settings.webui_trusted_proxies:  # the client's address and scheme as the proxy saw them
        hops = settings.webui_trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    sessions.init_app(app, app.config["HUIQI_SETTINGS"])
    csrf.init_app(app)
    limits.init_app(app, app.config["HUIQI_SETTINGS"].ratelimit_storage_uri)
    app.extensions["huiqi"] = Resources(app.config["HUIQI_SETTINGS"])

    from webui import (
        account,
        announcements,
        applications,
        dashboard,
        departments,
        home,
        policy_admin,
        public,
        reports,
        staff,
        staff_inbox,
        window,
    )

    for module in (
        home, public, announcements, account, applications, staff, staff_inbox, window, policy_admin, dashboard,
        reports, departments,
    ):
        app.register_blueprint(module.bp)
    from webui import callbacks

    csrf.exempt(callbacks.bp)  # signed by HMAC instead (R9, R10): no browser, no session
    app.register_blueprint(callbacks.bp)
    limits.limit_submits(app)
    _register_error_pages(app)
    # Flask hands every template its whole config (SECRET_KEY, HUIQI_SETTINGS with the passwords): not here.
    app.jinja_env.globals.pop("config", None)
    app.jinja_env.filters["cn_date"] = _cn_format("%Y-%m-%d")
    app.jinja_env.filters["cn_datetime"] = _cn_format("%Y-%m-%d %H:%M")
    app.jinja_env.globals["channel_text"] = {
        "sms": "短信", "email": "电子邮件", "portal": "网上专区", "staff_email": "电子邮件（部门成员）"
    }
    app.jinja_env.globals["delivery_status_text"] = {
        "pending": "待发送", "sending": "发送中", "sent": "已送达", "failed": "送达失败"
    }  # fmt: skip
    # A due date in a year without an official schedule is provisional, and the page says so.
    app.jinja_env.filters["provisional"] = lambda moment: moment is not None and app.extensions[
        "huiqi"
    ].calendar.is_provisional(moment.astimezone(CHINA).year)

    public_settings = PublicSettings(
        cockpit_url=settings.cockpit_url,
        tasklist_url=tasklist_by_due_date(settings.tasklist_url),
        upload_max_bytes=settings.upload_max_bytes,
    )
    headers.init_app(app)

    @app.context_processor
    def _navigation():
        from webui.auth import current_enterprise_name, current_staff

        # Only what pages show: never the settings object, which holds passwords.
        return {"enterprise_name": current_enterprise_name(), "staff": current_staff(), "settings": public_settings}

    return app


# Tasklist sorts a list by creation unless its address says otherwise (the app reads ?sorting= from its own URL):
# staff who come from our pages see their tasks by due date, overdue first (issue 13).
TASKLIST_SORTING = quote(json.dumps([{"sortBy": "dueDate", "sortOrder": "asc"}], separators=(",", ":")))


def tasklist_by_due_date(url: str) -> str:
    return f"{url}#/?sorting={TASKLIST_SORTING}" if url.endswith("/tasklist/") else url


@dataclass(frozen=True)
class PublicSettings:
    """The settings a page may show."""

    cockpit_url: str
    tasklist_url: str
    upload_max_bytes: int


def _register_error_pages(app: Flask) -> None:
    messages = {
        400: "请求有误。",
        403: "您无权访问此页面。",
        404: "找不到此页面，或您无权查看。",
        413: "上传的文件太大。",
        500: "系统出错了，请稍后再试。",
    }
    for code, message in messages.items():
        app.register_error_handler(
            code,
            lambda _e, code=code, message=message: (
                render_template("errors/error.html", code=code, message=message),
                code,
            ),
        )

    def forbidden(_error):
        from webui.auth import record_refusal

        record_refusal("request.forbidden")  # every refusal of a sensitive action is audited (issue 11)
        return render_template("errors/error.html", code=403, message=messages[403]), 403

    app.register_error_handler(403, forbidden)

    def unavailable(error: Exception):
        # The database or the engine went away while we run (issue 12): a clear page, no trace, a retry hint.
        app.logger.error("服务暂时不可用：%s", first_line(getattr(error, "orig", None) or error))
        page = render_template("errors/error.html", code=503, message="服务暂时不可用，请稍后再试。")
        return page, 503, {"Retry-After": "30"}

    app.register_error_handler(DatabaseGone, unavailable)
    app.register_error_handler(EngineUnavailable, unavailable)
    app.register_error_handler(
        CSRFError,
        lambda e: (
            render_template("errors/error.html", code=400, message="页面已过期或来源不明，请返回重新提交。"),
            400,
        ),
    )


def _cn_format(pattern: str):
    """A filter showing a moment in China time (dates as they are)."""

    def format_value(value) -> str:
        if value is None:
            return "—"
        if hasattr(value, "astimezone") and getattr(value, "tzinfo", None) is not None:
            value = value.astimezone(CHINA)
        return value.strftime(pattern if hasattr(value, "hour") else "%Y-%m-%d")

    return format_value


def _persistent_secret(settings: Settings) -> str:
    """A random key kept under var/ so sessions survive a restart; never a fixed default.

    Created at most once, also when several web processes start together (exclusive create): every
    process then signs with the same key.
    """
    path = Path(settings.var_dir) / "webui-secret-key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process is writing it this very moment
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.02)
        raise RuntimeError(f"{path} 为空：请删除后重启，或设置 WEBUI_SECRET_KEY") from None
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w") as file:
        file.write(key)
    return key
