"""Production refuses defaults (issue 11, item 3): every problem named at once, nothing started."""

from __future__ import annotations

import dataclasses

import pytest

from domain.cli import main
from domain.config import CallbackSettings, DeliverySettings, EngineSettings, MunicipalSettings, Settings
from domain.production import UnsafeConfiguration, production_problems, require_safe

SAFE = Settings(
    engine=EngineSettings(
        admin_password="a-long-admin-password",
        password="a-long-service-password-1234",
        worker_password="a-long-worker-password-5678",
    ),
    delivery=DeliverySettings(sms_gateway="http", sms_gateway_url="https://sms.county.example/send"),
    municipal=MunicipalSettings(report_url="https://city.example/reports", secret="s" * 40),
    webui_secret_key="k" * 64,
    callbacks=CallbackSettings(payment_secret="p" * 40, municipal_secret="m" * 40),
    ratelimit_storage_uri="redis://redis:6379/0",
    environment="production",
)
# The same settings as the environment gives them to a process (the operator's commands, the web UI).
SAFE_ENVIRON = {
    "HUIQI_ENV": "production",
    "CAMUNDA_ADMIN_PASSWORD": "a-long-admin-password",
    "CAMUNDA_PASSWORD": "a-long-service-password-1234",
    "CAMUNDA_WORKER_PASSWORD": "a-long-worker-password-5678",
    "SMS_GATEWAY": "http",
    "SMS_GATEWAY_URL": "https://sms.county.example/send",
    "WEBUI_SECRET_KEY": "k" * 64,
    "PAYMENT_CALLBACK_SECRET": "p" * 40,
    "MUNICIPAL_CALLBACK_SECRET": "m" * 40,
    "RATELIMIT_STORAGE_URI": "redis://redis:6379/0",
}


def test_development_defaults_run_in_development():
    require_safe(Settings())


def test_production_with_the_defaults_names_every_problem():
    with pytest.raises(UnsafeConfiguration) as refused:
        require_safe(dataclasses.replace(Settings(), environment="production"), environ={})
    message = str(refused.value)
    for problem in ("CAMUNDA_ADMIN_PASSWORD", "CAMUNDA_PASSWORD", "CAMUNDA_WORKER_PASSWORD", "SMS_GATEWAY=log"):
        assert problem in message
    assert "WEBUI_SECRET_KEY" not in message  # the web UI's alone: the workers and the commands start without it
    web_ui = production_problems(dataclasses.replace(Settings(), environment="production"), environ={}, web_ui=True)
    assert any("WEBUI_SECRET_KEY" in problem for problem in web_ui)


def test_safe_settings_start():
    assert production_problems(SAFE, environ={}) == []
    assert production_problems(SAFE, environ={}, web_ui=True) == []


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"ratelimit_storage_uri": "memory://"}, "RATELIMIT_STORAGE_URI"),
        ({"webui_secret_key": "short"}, "WEBUI_SECRET_KEY"),
        ({"webui_secure_cookies": False}, "WEBUI_SECURE_COOKIES"),
        ({"callbacks": CallbackSettings(payment_secret="", municipal_secret="m" * 40)}, "PAYMENT_CALLBACK_SECRET"),
        ({"callbacks": CallbackSettings(payment_secret="p" * 40, municipal_secret="")}, "MUNICIPAL_CALLBACK_SECRET"),
        ({"callbacks": CallbackSettings(payment_secret="p" * 40, municipal_secret="short")}, "MUNICIPAL_CALLBACK"),
    ],
)
def test_the_web_ui_refuses_a_per_process_rate_limit_store_and_unset_callback_secrets(change, named):
    """memory:// counts in each gunicorn process apart; an unset secret would silently turn a callback off."""
    problems = production_problems(dataclasses.replace(SAFE, **change), environ={}, web_ui=True)
    assert any(named in p for p in problems), problems


@pytest.mark.parametrize(
    ("change", "environ", "named"),
    [
        ({"municipal": MunicipalSettings(report_url="http://city.example/r", secret="s" * 40)}, {}, "https://"),
        ({"municipal": MunicipalSettings(report_url="https://city.example/r", secret="short")}, {}, "SECRET"),
        ({}, {"HUIQI_DEMO_PASSWORD": "demo"}, "HUIQI_DEMO_PASSWORD"),
        ({}, {"PAYMENT_CALLBACK_SECRET": "short"}, "PAYMENT_CALLBACK_SECRET"),
        (
            {"delivery": DeliverySettings(sms_gateway="http", sms_gateway_url="https://x", smtp_host="smtp",
                                          smtp_user="u", smtp_password="p")},
            {},
            "SMTP_STARTTLS",
        ),
    ],
)
def test_each_weak_setting_is_named(change, environ, named):
    problems = production_problems(dataclasses.replace(SAFE, **change), environ=environ)
    assert any(named in p for p in problems), problems


def test_the_operator_commands_refuse_to_run_on_defaults_in_production(monkeypatch, capsys):
    monkeypatch.setenv("HUIQI_ENV", "production")
    assert main(["bootstrap", "--demo-users"]) == 1
    assert "生产环境（HUIQI_ENV=production）拒绝启动" in capsys.readouterr().err


def test_the_web_ui_refuses_to_start_on_defaults_in_production(monkeypatch):
    from webui import create_app

    monkeypatch.setenv("HUIQI_ENV", "production")
    with pytest.raises(UnsafeConfiguration):
        create_app()


@pytest.fixture
def production_environ(monkeypatch):
    """A production environment with every secret good: only the check under test can refuse."""
    for name in ("HUIQI_DEMO_PASSWORD", "HUIQI_BUSINESS_DATE", "SMTP_HOST", "MUNICIPAL_REPORT_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in SAFE_ENVIRON.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("argv", [["bootstrap", "--demo-users"], ["migrate", "--demo-data"]])
def test_production_creates_no_demo_users_even_with_good_settings(production_environ, monkeypatch, capsys, argv):
    ran = []
    monkeypatch.setattr("domain.cli.cmd_bootstrap", ran.append)
    monkeypatch.setattr("domain.cli.cmd_migrate", ran.append)
    assert main(argv) == 1
    assert "生产环境不创建演示用户和演示数据" in capsys.readouterr().err
    assert ran == []  # refused before anything reached the engine or the database


def test_the_good_production_settings_pass_the_checks_so_the_demo_refusal_is_what_stops(
    production_environ, monkeypatch
):
    ran = []
    monkeypatch.setattr("domain.cli.cmd_bootstrap", ran.append)
    assert main(["bootstrap"]) == 0 and len(ran) == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [("RATELIMIT_STORAGE_URI", "memory://"), ("RATELIMIT_STORAGE_URI", None), ("PAYMENT_CALLBACK_SECRET", None),
     ("MUNICIPAL_CALLBACK_SECRET", None), ("PAYMENT_CALLBACK_SECRET", "")],
)  # fmt: skip
def test_the_web_ui_refuses_to_start_in_production_on_memory_limits_or_unset_callback_secrets(
    production_environ, monkeypatch, tmp_path, name, value
):
    from webui import create_app

    monkeypatch.setenv("HUIQI_VAR_DIR", str(tmp_path))
    if value is None:  # unset: the default applies (memory://, no secret)
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)
    with pytest.raises(UnsafeConfiguration) as refused:
        create_app()
    assert name in str(refused.value)
