"""docker/compose.yaml, checked as a file (no Docker engine here): every service builds or pulls, is healthy-
checked, reads only settings the code reads, and publishes nothing but the reverse proxy."""

from __future__ import annotations

import re

import pytest
import yaml

from domain.config import PROJECT_ROOT

DOCKER = PROJECT_ROOT / "docker"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))


def settings_read() -> set[str]:
    """Every environment variable the code, the engine and gunicorn read."""
    config = (PROJECT_ROOT / "domain/config.py").read_text(encoding="utf-8")
    gunicorn = (PROJECT_ROOT / "webui/gunicorn_conf.py").read_text(encoding="utf-8")
    engine = (PROJECT_ROOT / "engine/src/main/resources/application.yaml").read_text(encoding="utf-8")
    names = set(re.findall(r'_env(?:_int|_float|_date)?\("([A-Z_]+)"', config))
    names |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', config + gunicorn))
    names |= set(re.findall(r"\$\{([A-Z_]+)", engine))
    return names | {"ENGINE_TIMEZONE", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}


def test_the_county_has_every_service(compose):
    assert set(compose["services"]) == {
        "postgres", "engine-1", "engine-2", "redis", "migrate", "workers", "webui", "proxy"
    }  # fmt: skip
    assert compose["services"]["postgres"]["image"] == "postgres:16"
    assert "postgres-data" in compose["volumes"]


def test_every_service_builds_from_a_dockerfile_here_or_pulls_an_image(compose):
    for name, service in compose["services"].items():
        build = service.get("build")
        if build:
            assert (DOCKER / build["context"] / build["dockerfile"]).resolve().exists(), name
        else:
            assert service.get("image"), name


def test_every_long_running_service_is_health_checked(compose):
    for name, service in compose["services"].items():
        if service.get("restart") != "no":
            assert service.get("healthcheck", {}).get("test"), name


def test_only_the_proxy_is_published_and_the_rest_api_is_not(compose):
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"proxy"}
    nginx = (DOCKER / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r"location /engine-rest \{\s*return 404;", nginx)
    assert "ip_hash;" in nginx  # sticky sessions for the webapps


def test_services_set_only_settings_the_code_reads(compose):
    known = settings_read()
    for name, service in compose["services"].items():
        environment = service.get("environment") or {}
        unknown = sorted(set(environment) - known)
        assert not unknown, f"{name}: {unknown}"


def test_the_two_engines_share_one_database_and_listen_beyond_loopback(compose):
    one, two = compose["services"]["engine-1"], compose["services"]["engine-2"]
    assert one["environment"]["ENGINE_DB_URL"] == two["environment"]["ENGINE_DB_URL"]
    assert one["environment"]["ENGINE_ADDRESS"] == "0.0.0.0"  # noqa: S104 - on the compose network, behind nginx


def test_the_env_example_names_every_secret_the_compose_file_needs(compose):
    needed = set(re.findall(r"\$\{([A-Z_]+)", (DOCKER / "compose.yaml").read_text(encoding="utf-8")))
    example = {line.split("=")[0] for line in (DOCKER / "env.example").read_text().splitlines() if "=" in line}
    assert needed <= example


def test_no_service_waits_on_itself_through_its_dependencies(compose):
    needs = {name: set(service.get("depends_on") or {}) for name, service in compose["services"].items()}

    def reaches(start: str, target: str, seen: frozenset = frozenset()) -> bool:
        return any(
            after == target or (after not in seen and reaches(after, target, seen | {after}))
            for after in needs[start]
        )  # fmt: skip

    assert not [name for name in needs if reaches(name, name)]


def test_workers_and_web_ui_reach_whichever_engine_is_up_through_the_inside_port(compose):
    for name in ("workers", "webui"):
        assert compose["services"][name]["environment"]["CAMUNDA_URL"] == "http://proxy:8081/engine-rest"
    assert compose["services"]["proxy"]["ports"] == ["80:80"]  # 8081 stays inside the compose network
    nginx = (DOCKER / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream engine_rest \{(.*?)\}", nginx, re.DOTALL).group(1)
    assert "engine-1:8080" in upstream and "engine-2:8080" in upstream
    assert "listen 8081;" in nginx
