"""The webapps speak Chinese (issue 13): each app's zh.json has exactly the keys of the engine's own en.json,
keeps its placeholders and markup, is packaged in the jar, and each config.js offers zh with English as fallback.

The English files are read out of the built jar (BOOT-INF/lib/camunda-webapp-webjar-*.jar), so an engine upgrade
that adds, renames or drops a key fails here with the key's name.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterator

import pytest

from devstack.engine import ENGINE_DIR, build_engine

APPS = ("tasklist", "cockpit", "admin", "welcome")
APP_PATH = "META-INF/resources/webjars/camunda/app"
SOURCE = ENGINE_DIR / "src" / "main" / "resources" / APP_PATH
WEBJAR = re.compile(r"BOOT-INF/lib/camunda-webapp-webjar-[^/]+\.jar")

PLACEHOLDER = re.compile(r"\{\{.*?\}\}")
# HTML the labels use (and its close kin). Not "<null>", "<undefined>", "<Operation>": those are shown as text
# ({{ 'CAM_WIDGET_VARIABLE_NULL' | translate }}), and a translation may say them in Chinese.
TAG = re.compile(r"</?(?:a|b|br|code|div|em|i|li|ol|p|pre|small|span|strong|u|ul)\b[^<>]*>", re.IGNORECASE)
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
FORMAT = re.compile(r"%[sd]")


@pytest.fixture(scope="module")
def engine_jar() -> Iterator[zipfile.ZipFile]:
    """The engine jar as built from the sources now (built first when stale)."""
    with zipfile.ZipFile(build_engine()) as jar:
        yield jar


@pytest.fixture(scope="module")
def webjar(engine_jar: zipfile.ZipFile) -> Iterator[zipfile.ZipFile]:
    """Camunda's webapp webjar inside the engine jar."""
    names = [name for name in engine_jar.namelist() if WEBJAR.fullmatch(name)]
    assert len(names) == 1, f"expected one Camunda webapp webjar in the engine jar, found {names}"
    with zipfile.ZipFile(io.BytesIO(engine_jar.read(names[0]))) as inner:
        yield inner


def english(webjar: zipfile.ZipFile, app: str) -> dict:
    return json.loads(webjar.read(f"{APP_PATH}/{app}/locales/en.json").decode("utf-8-sig"))


def chinese(app: str) -> dict:
    path = SOURCE / app / "locales" / "zh.json"
    assert path.exists(), f"{path.relative_to(ENGINE_DIR.parent)} is missing"
    return json.loads(path.read_text("utf-8"))


def leaves(value: object, path: str = "") -> Iterator[tuple[str, object]]:
    """Every leaf of a locale file as (path, value): labels/CLAIM_TASK, dateLocales/months/0, …"""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from leaves(child, f"{path}/{key}" if path else key)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from leaves(child, f"{path}/{index}")
    else:
        yield path, value


def markup(text: str) -> Counter:
    """The parts of a label a translation must keep: {{ placeholders }}, HTML tags, entities, %s/%d."""
    placeholders = ["{{" + re.sub(r"\s+", "", p[2:-2]) + "}}" for p in PLACEHOLDER.findall(text)]
    return Counter(placeholders + TAG.findall(text) + ENTITY.findall(text) + FORMAT.findall(text))


@pytest.mark.parametrize("app", APPS)
def test_zh_has_exactly_the_keys_of_the_engines_english(webjar: zipfile.ZipFile, app: str):
    en, zh = dict(leaves(english(webjar, app))), dict(leaves(chinese(app)))
    missing = sorted(en.keys() - zh.keys())
    extra = sorted(zh.keys() - en.keys())
    assert not missing, f"{app}/locales/zh.json lacks {len(missing)} keys of the engine's en.json: {missing}"
    assert not extra, f"{app}/locales/zh.json has {len(extra)} keys the engine's en.json does not: {extra}"
    wrong_type = sorted(key for key in en if type(en[key]) is not type(zh[key]))
    assert not wrong_type, f"{app}/locales/zh.json: value of another type than in en.json at {wrong_type}"


@pytest.mark.parametrize("app", APPS)
def test_zh_keeps_every_placeholder_and_tag(webjar: zipfile.ZipFile, app: str):
    en, zh = dict(leaves(english(webjar, app))), dict(leaves(chinese(app)))
    changed = {
        key: (sorted(markup(text).elements()), sorted(markup(zh[key]).elements()))
        for key, text in en.items()
        if isinstance(text, str) and isinstance(zh.get(key), str) and markup(text) != markup(zh[key])
    }
    assert not changed, f"{app}/locales/zh.json changes placeholders or markup (English, Chinese): {changed}"


def packaged(engine_jar: zipfile.ZipFile, path: str) -> bytes:
    """Our resource at `path` in the engine jar.

    Spring Boot's repackaging leaves META-INF/ entries at the root of the jar rather than under
    BOOT-INF/classes/; from either place the engine serves them instead of the webjar's copy."""
    names = set(engine_jar.namelist())
    for name in (f"BOOT-INF/classes/{path}", path):
        if name in names:
            return engine_jar.read(name)
    raise AssertionError(f"{path} is not packaged in the engine jar")


@pytest.mark.parametrize("app", APPS)
def test_zh_is_packaged_in_the_engine_jar(engine_jar: zipfile.ZipFile, app: str):
    source = SOURCE / app / "locales" / "zh.json"
    assert source.exists(), f"{source.relative_to(ENGINE_DIR.parent)} is missing"
    assert packaged(engine_jar, f"{APP_PATH}/{app}/locales/zh.json") == source.read_bytes()


def configuration(app: str) -> dict:
    """The object config.js exports, as the browser imports it (an ES module), evaluated by Node."""
    source = (SOURCE / app / "scripts" / "config.js").read_bytes()
    url = "data:text/javascript;base64," + base64.b64encode(source).decode()
    result = subprocess.run(
        [
            shutil.which("node") or "node",
            "--input-type=module",
            "-e",
            "const m = await import(process.argv[1]); console.log(JSON.stringify(m.default));",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("app", APPS)
def test_config_offers_chinese_with_english_as_fallback(webjar: zipfile.ZipFile, app: str):
    locales = configuration(app)["locales"]
    assert {"zh", "en"} <= set(locales["availableLocales"])
    assert locales["fallbackLocale"] == "en"
    # The webapps match the browser's language cut at the hyphen and lower-cased ("zh-CN" -> "zh"): a listed
    # "zh-CN" would never be chosen.
    assert all(code == code.lower() and "-" not in code for code in locales["availableLocales"])
    for code in locales["availableLocales"]:
        ours = SOURCE / app / "locales" / f"{code}.json"
        assert ours.exists() or f"{APP_PATH}/{app}/locales/{code}.json" in webjar.namelist(), code


@pytest.mark.parametrize("app", APPS)
def test_config_turns_off_the_first_login_welcome_box(app: str):
    assert configuration(app)["disableWelcomeMessage"] is True


@pytest.mark.parametrize("app", APPS)
def test_config_is_packaged_in_the_engine_jar(engine_jar: zipfile.ZipFile, app: str):
    source = SOURCE / app / "scripts" / "config.js"
    assert packaged(engine_jar, f"{APP_PATH}/{app}/scripts/config.js") == source.read_bytes()


@pytest.mark.parametrize("app", APPS)
def test_the_end_of_life_strip_is_hidden_in_every_app(engine_jar, app):
    """Staff do not meet the CE end-of-life strip every morning: each app's user-styles.css (served instead of
    the webjar's empty one) hides it."""
    css = (SOURCE / app / "styles" / "user-styles.css").read_text(encoding="utf-8")
    assert re.search(r"\.ce-eol-banner\s*\{\s*display:\s*none;", css)
    assert f"{APP_PATH}/{app}/styles/user-styles.css" in engine_jar.namelist()
