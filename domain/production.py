"""Production refuses defaults: with HUIQI_ENV=production nothing starts with a development default or a weak
secret, and the message lists every problem at once (issue 11, item 3)."""

from __future__ import annotations

import os

from domain.config import DeliverySettings, EngineSettings, Settings

PRODUCTION = "production"
MIN_SECRET = 32  # characters of a signing secret or session key


class UnsafeConfiguration(Exception):
    """A production setting is a development default or too weak; the message names each one."""


def is_production(settings: Settings) -> bool:
    return settings.environment == PRODUCTION


def sign_up_needs_binding_code(settings: Settings) -> bool:
    """Whether sign-up must carry the window's binding code (issue 11, item 5).

    In production, an account is created only by proof: the credit code alone is public, so sign-up
    takes the binding code in the same form and the account starts bound. Development and tests keep
    plain sign-up by credit code, and such an account starts unbound (domain/enterprises/binding.py).
    """
    return is_production(settings)


def production_problems(
    settings: Settings, environ: dict[str, str] | None = None, *, web_ui: bool = False
) -> list[str]:
    """What in these settings may not run in production (empty when nothing); ``web_ui`` adds what only the
    web UI uses (its rate-limit store, the inbound callbacks' secrets)."""
    env = os.environ if environ is None else environ
    engine, delivery, municipal = settings.engine, settings.delivery, settings.municipal
    problems = []
    if engine.admin_password == EngineSettings.admin_password or len(engine.admin_password) < 12:
        problems.append("CAMUNDA_ADMIN_PASSWORD 仍为默认值或少于 12 位")
    if engine.password in (EngineSettings.password, EngineSettings.worker_password) or len(engine.password) < 16:
        problems.append("CAMUNDA_PASSWORD（服务账号）仍为开发默认值或少于 16 位")
    if engine.worker_password == EngineSettings.worker_password or len(engine.worker_password) < 16:
        problems.append("CAMUNDA_WORKER_PASSWORD（工作进程账号）仍为开发默认值或少于 16 位")
    if "HUIQI_DEMO_PASSWORD" in env:
        problems.append("生产环境不得设置 HUIQI_DEMO_PASSWORD（不创建演示用户）")
    if settings.business_date is not None:
        problems.append("HUIQI_BUSINESS_DATE 仅用于测试与培训")
    if municipal.report_url and not municipal.report_url.startswith("https://"):
        problems.append("MUNICIPAL_REPORT_URL 必须使用 https://")
    if municipal.report_url and len(municipal.secret) < MIN_SECRET:
        problems.append(f"MUNICIPAL_REPORT_SECRET 未设置或少于 {MIN_SECRET} 位")
    for name in ("PAYMENT_CALLBACK_SECRET", "MUNICIPAL_CALLBACK_SECRET"):
        if name in env and len(env[name]) < MIN_SECRET:
            problems.append(f"{name} 少于 {MIN_SECRET} 位")
    if web_ui:
        problems += _web_ui_problems(settings)
    if delivery.smtp_host and (delivery.smtp_user or delivery.smtp_password) and not delivery.smtp_starttls:
        problems.append("SMTP 账号密码只能在 SMTP_STARTTLS=true（验证证书）时使用")
    if delivery.sms_gateway == DeliverySettings.sms_gateway:
        problems.append("SMS_GATEWAY=log 只写日志，生产环境请接入短信网关（SMS_GATEWAY=http）")
    elif delivery.sms_gateway_url and not delivery.sms_gateway_url.startswith("https://"):
        problems.append("SMS_GATEWAY_URL 必须使用 https://")
    return problems


def _web_ui_problems(settings: Settings) -> list[str]:
    """What only the web UI reads: the workers and the operator's commands start without it (compose gives it
    to the web UI alone)."""
    problems = []
    if len(settings.webui_secret_key or "") < MIN_SECRET:
        problems.append(f"WEBUI_SECRET_KEY 未设置或少于 {MIN_SECRET} 位")
    if not settings.webui_secure_cookies:
        problems.append("WEBUI_SECURE_COOKIES 不得关闭")
    # memory:// counts in each gunicorn process apart: every process would grant its own allowance (issue 11).
    if settings.ratelimit_storage_uri.strip().lower().startswith("memory://"):
        problems.append("RATELIMIT_STORAGE_URI=memory:// 只在单个进程内计数，生产环境请使用共享存储（如 redis://）")
    # An unset secret would only switch the callback off (answers 503): in production the bank's confirmation
    # and the city's result must arrive, so a missing or short secret is refused at start (issue 11, item 3).
    callbacks = settings.callbacks
    for name, secret in (
        ("PAYMENT_CALLBACK_SECRET", callbacks.payment_secret),
        ("MUNICIPAL_CALLBACK_SECRET", callbacks.municipal_secret),
    ):
        if len(secret) < MIN_SECRET:
            problems.append(f"{name}（回调签名密钥）未设置或少于 {MIN_SECRET} 位")
    return problems


def require_safe(settings: Settings, environ: dict[str, str] | None = None, *, web_ui: bool = False) -> None:
    """In production, raise UnsafeConfiguration naming every problem; elsewhere do nothing."""
    if not is_production(settings):
        return
    problems = production_problems(settings, environ, web_ui=web_ui)
    if problems:
        raise UnsafeConfiguration("生产环境（HUIQI_ENV=production）拒绝启动：\n- " + "\n- ".join(problems))
