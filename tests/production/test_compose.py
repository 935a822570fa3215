"""docker/compose.yaml, checked as a file (no Docker engine here): every service builds or pulls, is health-checked
with a tool its image has, reads only settings the code reads and gets the ones it needs, starts in a safe order,
and publishes nothing but the reverse proxy (its TLS and routes: test_compose_proxy.py)."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from domain.config import PROJECT_ROOT

DOCKER = PROJECT_ROOT / "docker"
DOCKERFILES = sorted(DOCKER.glob("*.Dockerfile"))

# Secrets and engine accounts: blank, a service would start on an empty value, so compose must stop instead (`:?`).
REQUIRED_IN_ENV_FILE = (
    "POSTGRES_PASSWORD", "CAMUNDA_USER", "CAMUNDA_PASSWORD", "CAMUNDA_WORKER_USER", "CAMUNDA_WORKER_PASSWORD",
    "CAMUNDA_ADMIN_USER", "CAMUNDA_ADMIN_PASSWORD", "WEBUI_SECRET_KEY",
)  # fmt: skip
ENGINE_NEEDS = {"ENGINE_DB_URL", "ENGINE_DB_USER", "ENGINE_DB_PASSWORD", "CAMUNDA_ADMIN_USER", "CAMUNDA_ADMIN_PASSWORD"}
# What each service cannot do without (the workers act as the engine's CAMUNDA_USER, set to the workers' account).
REQUIRED_PER_SERVICE = {
    "webui": {"WEBUI_SECRET_KEY", "CAMUNDA_USER", "CAMUNDA_PASSWORD", "DATABASE_URL", "CAMUNDA_URL"},
    "workers": {"CAMUNDA_USER", "CAMUNDA_PASSWORD", "DATABASE_URL", "CAMUNDA_URL"},
    "migrate": {"DATABASE_URL", "CAMUNDA_URL", "CAMUNDA_ADMIN_USER", "CAMUNDA_ADMIN_PASSWORD", "CAMUNDA_PASSWORD",
                "CAMUNDA_WORKER_USER", "CAMUNDA_WORKER_PASSWORD"},
    "engine-1": ENGINE_NEEDS,
    "engine-2": ENGINE_NEEDS,
    "postgres": {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"},
}  # fmt: skip

# The programs each image is known to hold, read from the images' own Dockerfiles: postgres and redis (Debian, their
# client tools); nginx's Debian variant installs curl (nginxinc/docker-nginx, mainline/debian); eclipse-temurin
# installs curl and wget (adoptium/containers, 17/jre/ubuntu); python:3.11-slim has python but no procps (pgrep),
# curl or wget. A built image has its base's.
IMAGE_TOOLS = {
    "postgres:16": {"pg_isready", "psql"},
    "redis:7": {"redis-cli"},
    "nginx:1.27-bookworm": {"curl", "nginx"},
    "eclipse-temurin:17-jre": {"curl", "wget", "java"},
    "python:3.11-slim": {"python"},
}
SHELL_BUILTINS = {"exit", "true", "false", "test", "["}

VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


class MissingSetting(Exception):
    """A `${X:?…}` compose would refuse: X is unset or blank."""


def interpolate(value, env: dict[str, str]):
    """Substitute `${X}`, `${X:-default}`, `${X-default}`, `${X:?message}` and `${X?message}` as compose does, after
    parsing the YAML (compose interpolates values, not comments)."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        name, operator, argument = match.groups()
        found = env.get(name)
        if operator == ":-":
            return found or argument
        if operator == "-":
            return argument if found is None else found
        if (operator == ":?" and not found) or (operator == "?" and found is None):
            raise MissingSetting(name, argument)
        return found or ""

    return VARIABLE.sub(one, value)


def env_example() -> dict[str, str]:
    lines = (DOCKER / "env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def filled_env() -> dict[str, str]:
    """docker/.env as an operator fills it: every blank of env.example set."""
    return {name: value or f"set-{name.lower()}" for name, value in env_example().items()}


def dockerfile_env(dockerfile) -> dict[str, str]:
    """The ENV instructions of a Dockerfile, continuation lines joined."""
    text = dockerfile.read_text(encoding="utf-8").replace("\\\n", " ")
    env = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            env.update(word.split("=", 1) for word in shlex.split(line[4:]))
    return env


def base_image(dockerfile) -> str:
    """The image the last stage starts from."""
    return re.findall(r"^FROM (\S+)", dockerfile.read_text(encoding="utf-8"), re.MULTILINE)[-1]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))


def settings_read() -> set[str]:
    """Every environment variable the code, the engine, gunicorn and the images read."""
    config = (PROJECT_ROOT / "domain/config.py").read_text(encoding="utf-8")
    gunicorn = (PROJECT_ROOT / "webui/gunicorn_conf.py").read_text(encoding="utf-8")
    engine = (PROJECT_ROOT / "engine/src/main/resources/application.yaml").read_text(encoding="utf-8")
    names = set(re.findall(r'_env(?:_int|_float|_date)?\("([A-Z_]+)"', config))
    names |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', config + gunicorn))
    names |= set(re.findall(r"\$\{([A-Z_]+)", engine))
    for dockerfile in DOCKERFILES:  # e.g. ENGINE_JAVA_OPTS, which the engine image's entry point expands
        names |= set(dockerfile_env(dockerfile))
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


def health_check_programs(test: list[str] | str) -> set[str]:
    """The programs a health check runs: CMD's first word, or each command's first word in CMD-SHELL."""
    if isinstance(test, str):
        test = ["CMD-SHELL", test]
    kind, *command = test
    if kind == "CMD":
        return {command[0]}
    assert kind == "CMD-SHELL", test
    words = list(shlex.shlex(command[0], posix=True, punctuation_chars=True))
    return {word for before, word in zip([";", *words], words, strict=False) if before in {";", "&&", "||", "|"}}


def test_every_health_check_runs_a_program_its_image_has(compose):
    built = {
        service["image"]: base_image((DOCKER / service["build"]["context"] / service["build"]["dockerfile"]).resolve())
        for service in compose["services"].values()
        if service.get("build")
    }  # fmt: skip
    for name, service in compose["services"].items():
        if "healthcheck" not in service:
            continue
        image = built.get(service["image"], service["image"])
        assert image in IMAGE_TOOLS, f"{name}: what does {image} hold? add it to IMAGE_TOOLS from its Dockerfile"
        missing = health_check_programs(service["healthcheck"]["test"]) - IMAGE_TOOLS[image] - SHELL_BUILTINS
        assert not missing, f"{name}: {image} has no {sorted(missing)}"


def test_the_workers_health_check_looks_at_the_worker_itself(compose):
    # Exec form, no shell: a pattern search (pgrep -f) would also find the health check's own sh -c line.
    test = compose["services"]["workers"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert "/proc/1/" in test[3] and "workers" in test[3]
    assert compose["services"]["workers"]["command"] == ["python", "-m", "workers"]  # PID 1 is the worker


def test_only_the_proxy_is_published_and_the_rest_api_is_not(compose):
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"proxy"}
    nginx = (DOCKER / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r"location /engine-rest \{\s*return 404;", nginx)


def test_services_set_only_settings_the_code_reads(compose):
    known = settings_read()
    for name, service in compose["services"].items():
        environment = service.get("environment") or {}
        unknown = sorted(set(environment) - known)
        assert not unknown, f"{name}: {unknown}"


def test_each_service_gets_the_settings_it_cannot_do_without(compose):
    services = interpolate(compose["services"], filled_env())
    for name, required in REQUIRED_PER_SERVICE.items():
        environment = services[name].get("environment") or {}
        blank = sorted(setting for setting in required if not str(environment.get(setting) or "").strip())
        assert not blank, f"{name}: {blank}"
    env = filled_env()
    workers = services["workers"]["environment"]
    assert (workers["CAMUNDA_USER"], workers["CAMUNDA_PASSWORD"]) == (
        env["CAMUNDA_WORKER_USER"], env["CAMUNDA_WORKER_PASSWORD"]
    )  # fmt: skip


def test_every_secret_is_required_wherever_it_is_used():
    text = (DOCKER / "compose.yaml").read_text(encoding="utf-8")
    for name in REQUIRED_IN_ENV_FILE:
        uses = [match.group(2) for match in VARIABLE.finditer(text) if match.group(1) == name]
        assert uses, name
        assert set(uses) == {":?"}, f"{name} may go in blank: {uses}"


@pytest.mark.parametrize("name", REQUIRED_IN_ENV_FILE)
def test_a_blank_secret_stops_compose_naming_it(compose, name):
    env = {**filled_env(), name: ""}
    with pytest.raises(MissingSetting) as refused:
        interpolate(compose, env)
    assert refused.value.args[0] == name
    assert "docker/.env" in refused.value.args[1]


def test_the_two_engines_share_one_database_and_listen_beyond_loopback(compose):
    one, two = compose["services"]["engine-1"], compose["services"]["engine-2"]
    assert one["environment"]["ENGINE_DB_URL"] == two["environment"]["ENGINE_DB_URL"]
    assert one["environment"]["ENGINE_ADDRESS"] == "0.0.0.0"  # noqa: S104 - on the compose network, behind nginx
    assert one["image"] == two["image"] and one["healthcheck"] == two["healthcheck"]


def test_the_second_engine_waits_for_the_first_to_create_the_schema(compose):
    # On an empty database two nodes starting at once would both create the engine's tables.
    two = compose["services"]["engine-2"]["depends_on"]
    assert two["engine-1"] == {"condition": "service_healthy"}
    assert two["postgres"] == {"condition": "service_healthy"}
    assert "engine-2" not in compose["services"]["engine-1"]["depends_on"]


def test_the_engines_jvm_options_come_from_the_env_file_with_the_images_default(compose):
    image_default = dockerfile_env(DOCKER / "engine.Dockerfile")["ENGINE_JAVA_OPTS"]
    for name in ("engine-1", "engine-2"):
        environment = compose["services"][name]["environment"]
        assert environment["ENGINE_JAVA_OPTS"] == f"${{ENGINE_JAVA_OPTS:-{image_default}}}", name
        assert interpolate(environment["ENGINE_JAVA_OPTS"], {}) == image_default
        assert interpolate(environment["ENGINE_JAVA_OPTS"], {"ENGINE_JAVA_OPTS": "-Xmx2g"}) == "-Xmx2g"
    assert env_example()["ENGINE_JAVA_OPTS"] == image_default


def test_the_env_example_names_every_secret_the_compose_file_needs(compose):
    needed = set(re.findall(r"\$\{([A-Z_]+)", (DOCKER / "compose.yaml").read_text(encoding="utf-8")))
    assert needed <= set(env_example())


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
    assert "8081" not in " ".join(compose["services"]["proxy"]["ports"])  # 8081 stays inside the compose network
    nginx = (DOCKER / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream engine_rest \{(.*?)\}", nginx, re.DOTALL).group(1)
    assert "engine-1:8080" in upstream and "engine-2:8080" in upstream
    assert "listen 8081;" in nginx
