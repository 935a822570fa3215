"""docker/nginx.conf with compose's proxy service, checked as files: HTTPS with the county's certificate mounted,
plain HTTP only redirecting (the web UI's session cookie is Secure), sticky sessions for the staff webapps."""

from __future__ import annotations

import re

import pytest
import yaml

from domain.config import PROJECT_ROOT

DOCKER = PROJECT_ROOT / "docker"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nginx() -> str:
    """nginx.conf without its comments."""
    return re.sub(r"#[^\n]*", "", (DOCKER / "nginx.conf").read_text(encoding="utf-8"))


def blocks(text: str, head: str) -> list[tuple[str, str]]:
    """The top-level-or-nested blocks whose head matches ``head`` (a regex), as (head, body), braces balanced."""
    found = []
    for match in re.finditer(rf"({head})\s*\{{", text):
        depth, start = 1, match.end()
        for position in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[position], 0)
            if depth == 0:
                found.append((match.group(1).strip(), text[start:position]))
                break
    return found


def server_listening(nginx: str, listen: str) -> str:
    bodies = [body for _, body in blocks(nginx, r"\bserver") if re.search(rf"^\s*listen {listen};", body, re.MULTILINE)]
    assert len(bodies) == 1, listen
    return bodies[0]


def test_the_proxy_publishes_http_and_https(compose):
    assert compose["services"]["proxy"]["ports"] == ["80:80", "443:443"]


def test_plain_http_only_redirects_to_https(nginx):
    http = server_listening(nginx, "80")
    assert re.search(r"return 301 https://\$host\$request_uri;", http)
    assert "proxy_pass" not in http


def test_https_serves_the_web_ui_and_the_webapps_with_the_mounted_certificate(compose, nginx):
    https = server_listening(nginx, "443 ssl")
    paths = dict(re.findall(r"^\s*(ssl_certificate(?:_key)?) (\S+);", https, re.MULTILINE))
    proxy = compose["services"]["proxy"]
    mounted = {f"/run/secrets/{name}" for name in proxy["secrets"]}  # compose mounts a secret at /run/secrets/<name>
    assert set(paths) == {"ssl_certificate", "ssl_certificate_key"}
    assert set(paths.values()) == mounted
    for name in proxy["secrets"]:
        source = compose["secrets"][name]["file"]
        assert source.startswith("./tls/"), source  # docker/tls/, ignored by git (docker/.gitignore)
        assert f"docker/tls/{source.removeprefix('./tls/')}" in (PROJECT_ROOT / "docs/operations.md").read_text(
            encoding="utf-8"
        )  # fmt: skip
    assert "tls/" in (DOCKER / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert re.search(r"location /engine-rest \{\s*return 404;", https)
    for location in ("/camunda/", "/"):
        (_, body), *_ = blocks(https, rf"location {re.escape(location)}")
        assert "proxy_pass http://" in body and "X-Forwarded-Proto $scheme;" in body  # the app sees https: HSTS


def test_the_health_check_goes_through_tls(compose):
    test = compose["services"]["proxy"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "curl"] and "https://localhost/" in test


def test_the_staff_webapps_are_sticky_to_one_engine_node(nginx):
    https = server_listening(nginx, "443 ssl")
    (_, camunda), *_ = blocks(https, r"location /camunda/")
    upstream = re.search(r"proxy_pass http://(\w+);", camunda).group(1)
    (_, body), *_ = blocks(nginx, rf"upstream {upstream}")
    assert re.search(r"^\s*ip_hash;", body, re.MULTILINE)  # the webapps keep their login in the node's session
    assert "engine-1:8080" in body and "engine-2:8080" in body
