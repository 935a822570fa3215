"""Production refuses defaults (issue 11, item 3): every problem named at once, nothing started."""

from __future__ import annotations

import dataclasses

import pytest

from domain.cli import main
from domain.config import DeliverySettings, EngineSettings, MunicipalSettings, Settings
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
    environment="production",
)


def test_development_defaults_run_in_development():
    require_safe(Settings())


def test_production_with_the_defaults_names_every_problem():
    with pytest.raises(UnsafeConfiguration) as refused:
        require_safe(dataclasses.replace(Settings(), environment="production"), environ={})
    message = str(refused.value)
    for problem in ("CAMUNDA_ADMIN_PASSWORD", "CAMUNDA_PASSWORD", "CAMUNDA_WORKER_PASSWORD", "WEBUI_SECRET_KEY",
                    "SMS_GATEWAY=log"):  # fmt: skip
        assert problem in message


def test_safe_settings_start():
    assert production_problems(SAFE, environ={}) == []


@pytest.mark.parametrize(
    ("change", "environ", "named"),
    [
        ({"municipal": MunicipalSettings(report_url="http://city.example/r", secret="s" * 40)}, {}, "https://"),
        ({"municipal": MunicipalSettings(report_url="https://city.example/r", secret="short")}, {}, "SECRET"),
        ({"webui_secret_key": "short"}, {}, "WEBUI_SECRET_KEY"),
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
