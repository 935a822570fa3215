"""Settings of the whole application, read from environment variables (the only place that does).

Every setting has a documented default for the embedded development setup; README lists them.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_float(name: str, default: float) -> float:
    raw = _env(name, str(default))
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"环境变量 {name} 应为数字，实际为 {raw!r}") from None


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"环境变量 {name} 应为整数，实际为 {raw!r}") from None


def _env_date(name: str) -> dt.date | None:
    raw = _env(name, "")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"环境变量 {name} 应为日期（如 2026-09-28），实际为 {raw!r}") from None


@dataclass(frozen=True)
class EngineSettings:
    """How to reach the Camunda engine's REST API."""

    url: str = "http://localhost:8080/engine-rest"
    # The service account the workers and the web UI act as (created by the identity bootstrap).
    user: str = "huiqi-service"
    password: str = "huiqi-service-dev"
    # The workers' own account (least privilege, issue 11): the workers process is started with it as
    # CAMUNDA_USER / CAMUNDA_PASSWORD; the identity bootstrap creates it with this password.
    worker_user: str = "huiqi-worker"
    worker_password: str = "huiqi-worker-dev"
    # The engine administrator, used only by deployment and identity bootstrap.
    admin_user: str = "admin"
    admin_password: str = "admin"
    timeout_seconds: float = 10.0
    retries: int = 3


@dataclass(frozen=True)
class WorkerSettings:
    """How the external-task workers poll and retry."""

    worker_id: str = "huiqi-worker"
    # Also the longest a clean stop waits for the poll in flight to end.
    long_poll_ms: int = 10_000
    lock_duration_ms: int = 60_000
    max_concurrent_tasks: int = 8
    # A failing task is retried this many times (with growing waits) before it becomes an incident.
    task_retries: int = 3
    task_retry_base_ms: int = 5_000
    # Waits between attempts to reach an unreachable engine: doubling from min to max.
    reconnect_min_seconds: float = 1.0
    reconnect_max_seconds: float = 30.0


@dataclass(frozen=True)
class DeliverySettings:
    """How notices leave the outbox: e-mail when an SMTP host is set, SMS through a gateway."""

    smtp_host: str = ""  # empty: no e-mail channel
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_from: str = "huiqi-noreply@localhost"
    smtp_timeout_seconds: float = 10.0
    sms_gateway: str = "log"  # "log" writes each SMS to the log (development); "http" posts to SMS_GATEWAY_URL
    sms_gateway_url: str = ""
    sms_gateway_token: str = ""  # sent as "Authorization: Bearer …"
    sms_timeout_seconds: float = 10.0
    poll_seconds: float = 2.0
    max_attempts: int = 5
    retry_base_seconds: float = 30.0


@dataclass(frozen=True)
class MunicipalSettings:
    """Where R10 reports go: the municipal department's endpoint, signed with a shared secret."""

    report_url: str = ""  # empty: reports are recorded for offline submission
    secret: str = ""
    timeout_seconds: float = 10.0
    attempts: int = 3
    backoff_seconds: float = 1.0


@dataclass(frozen=True)
class CallbackSettings:
    """Inbound signed callbacks: the bank's confirmation (R9, R19) and the city's result (R10)."""

    payment_secret: str = ""  # empty: the endpoint refuses every call
    municipal_secret: str = ""
    window_seconds: int = 300  # how far a callback's timestamp may be from now（本系统设定）


@dataclass(frozen=True)
class Settings:
    """All settings; build with :func:`load_settings`."""

    engine: EngineSettings = field(default_factory=EngineSettings)
    worker: WorkerSettings = field(default_factory=WorkerSettings)
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    municipal: MunicipalSettings = field(default_factory=MunicipalSettings)
    callbacks: CallbackSettings = field(default_factory=CallbackSettings)
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'huiqi.db'}"
    # How long the web UI and the operator's commands wait at start for a database that does not answer yet.
    database_wait_seconds: float = 300.0
    var_dir: Path = PROJECT_ROOT / "var"
    demo_password: str = "demo"
    webui_secret_key: str | None = None
    # Session cookies only over HTTPS (browsers also allow them on http://localhost and 127.0.0.1).
    webui_secure_cookies: bool = True
    upload_dir: Path = PROJECT_ROOT / "var" / "uploads"
    upload_max_bytes: int = 10 * 1024 * 1024
    # What one enterprise may upload in a day, all its applications and supplements together.
    upload_daily_quota_bytes: int = 200 * 1024 * 1024
    webui_host: str = "127.0.0.1"
    webui_port: int = 5000
    cockpit_url: str = "http://localhost:8080/camunda/app/cockpit/"
    tasklist_url: str = "http://localhost:8080/camunda/app/tasklist/"
    # Where the operator keeps official holiday schedules of years chinesecalendar does not know.
    calendar_dir: Path = PROJECT_ROOT / "domain" / "calendar" / "schedules"
    # Tests and training only: fixes the business date (see domain/clock.py).
    business_date: dt.date | None = None
    # Where the web UI's rate limits are counted: memory:// serves one process; several gunicorn
    # workers or hosts must share one store, e.g. redis://host:6379/0 (Flask-Limiter / limits).
    ratelimit_storage_uri: str = "memory://"
    # "production" refuses to start with any development default or weak secret (domain/production.py).
    environment: str = "development"
    # A web session idle this long ends (enterprises and staff alike).
    webui_idle_minutes: int = 30
    # How many reverse proxies stand in front of the web UI (their X-Forwarded-For/-Proto are trusted):
    # 0 when it is reached directly. Rate limits per address need the client's real address.
    webui_trusted_proxies: int = 0


def load_settings() -> Settings:
    """Return the settings from the environment, defaults filled in.

    Raise ValueError naming the variable when a number is malformed.
    """
    var_dir = Path(_env("HUIQI_VAR_DIR", str(PROJECT_ROOT / "var")))
    engine_url = _env("CAMUNDA_URL", EngineSettings.url).rstrip("/")
    engine_base = engine_url.removesuffix("/engine-rest")
    return Settings(
        engine=EngineSettings(
            url=engine_url,
            user=_env("CAMUNDA_USER", EngineSettings.user),
            password=_env("CAMUNDA_PASSWORD", EngineSettings.password),
            worker_user=_env("CAMUNDA_WORKER_USER", EngineSettings.worker_user),
            worker_password=_env("CAMUNDA_WORKER_PASSWORD", EngineSettings.worker_password),
            admin_user=_env("CAMUNDA_ADMIN_USER", EngineSettings.admin_user),
            admin_password=_env("CAMUNDA_ADMIN_PASSWORD", EngineSettings.admin_password),
            timeout_seconds=_env_float("CAMUNDA_TIMEOUT_SECONDS", EngineSettings.timeout_seconds),
            retries=_env_int("CAMUNDA_HTTP_RETRIES", EngineSettings.retries),
        ),
        worker=WorkerSettings(
            worker_id=_env("WORKER_ID", f"huiqi-worker-{os.getpid()}"),
            long_poll_ms=_env_int("WORKER_LONG_POLL_MS", WorkerSettings.long_poll_ms),
            lock_duration_ms=_env_int("WORKER_LOCK_MS", WorkerSettings.lock_duration_ms),
            max_concurrent_tasks=_env_int("WORKER_MAX_TASKS", WorkerSettings.max_concurrent_tasks),
            task_retries=_env_int("WORKER_TASK_RETRIES", WorkerSettings.task_retries),
            task_retry_base_ms=_env_int("WORKER_TASK_RETRY_BASE_MS", WorkerSettings.task_retry_base_ms),
            reconnect_min_seconds=_env_float("WORKER_RECONNECT_MIN_SECONDS", WorkerSettings.reconnect_min_seconds),
            reconnect_max_seconds=_env_float("WORKER_RECONNECT_MAX_SECONDS", WorkerSettings.reconnect_max_seconds),
        ),
        delivery=DeliverySettings(
            smtp_host=_env("SMTP_HOST", ""),
            smtp_port=_env_int("SMTP_PORT", DeliverySettings.smtp_port),
            smtp_user=_env("SMTP_USER", ""),
            smtp_password=_env("SMTP_PASSWORD", ""),
            smtp_starttls=_env("SMTP_STARTTLS", "false").lower() in ("1", "true", "yes"),
            smtp_from=_env("SMTP_FROM", DeliverySettings.smtp_from),
            smtp_timeout_seconds=_env_float("SMTP_TIMEOUT_SECONDS", DeliverySettings.smtp_timeout_seconds),
            sms_gateway=_env("SMS_GATEWAY", DeliverySettings.sms_gateway),
            sms_gateway_url=_env("SMS_GATEWAY_URL", ""),
            sms_gateway_token=_env("SMS_GATEWAY_TOKEN", ""),
            sms_timeout_seconds=_env_float("SMS_TIMEOUT_SECONDS", DeliverySettings.sms_timeout_seconds),
            poll_seconds=_env_float("OUTBOX_POLL_SECONDS", DeliverySettings.poll_seconds),
            max_attempts=_env_int("OUTBOX_MAX_ATTEMPTS", DeliverySettings.max_attempts),
            retry_base_seconds=_env_float("OUTBOX_RETRY_BASE_SECONDS", DeliverySettings.retry_base_seconds),
        ),
        municipal=MunicipalSettings(
            report_url=_env("MUNICIPAL_REPORT_URL", ""),
            secret=_env("MUNICIPAL_REPORT_SECRET", ""),
            timeout_seconds=_env_float("MUNICIPAL_TIMEOUT_SECONDS", MunicipalSettings.timeout_seconds),
            attempts=_env_int("MUNICIPAL_ATTEMPTS", MunicipalSettings.attempts),
            backoff_seconds=_env_float("MUNICIPAL_BACKOFF_SECONDS", MunicipalSettings.backoff_seconds),
        ),
        callbacks=CallbackSettings(
            payment_secret=_env("PAYMENT_CALLBACK_SECRET", ""),
            municipal_secret=_env("MUNICIPAL_CALLBACK_SECRET", ""),
            window_seconds=_env_int("CALLBACK_WINDOW_SECONDS", CallbackSettings.window_seconds),
        ),
        database_url=_env("DATABASE_URL", f"sqlite:///{var_dir / 'huiqi.db'}"),
        database_wait_seconds=_env_float("HUIQI_DB_WAIT_SECONDS", Settings.database_wait_seconds),
        var_dir=var_dir,
        demo_password=_env("HUIQI_DEMO_PASSWORD", Settings.demo_password),
        webui_secret_key=os.environ.get("WEBUI_SECRET_KEY") or None,
        webui_secure_cookies=_env("WEBUI_SECURE_COOKIES", "true").lower() not in ("0", "false", "no"),
        upload_dir=Path(_env("UPLOAD_DIR", str(var_dir / "uploads"))),
        upload_max_bytes=_env_int("UPLOAD_MAX_MB", 10) * 1024 * 1024,
        upload_daily_quota_bytes=_env_int("UPLOAD_DAILY_QUOTA_MB", 200) * 1024 * 1024,
        webui_host=_env("WEBUI_HOST", Settings.webui_host),
        webui_port=_env_int("WEBUI_PORT", Settings.webui_port),
        cockpit_url=_env("CAMUNDA_COCKPIT_URL", f"{engine_base}/camunda/app/cockpit/"),
        tasklist_url=_env("CAMUNDA_TASKLIST_URL", f"{engine_base}/camunda/app/tasklist/"),
        calendar_dir=Path(_env("WORKING_CALENDAR_DIR", str(Settings.calendar_dir))),
        business_date=_env_date("HUIQI_BUSINESS_DATE"),
        ratelimit_storage_uri=_env("RATELIMIT_STORAGE_URI", Settings.ratelimit_storage_uri),
        environment=_env("HUIQI_ENV", Settings.environment).strip().lower(),
        webui_idle_minutes=_env_int("WEBUI_IDLE_MINUTES", Settings.webui_idle_minutes),
        webui_trusted_proxies=_env_int("WEBUI_TRUSTED_PROXIES", Settings.webui_trusted_proxies),
    )
