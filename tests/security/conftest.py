"""Attack tests run against the real engine and the web UI's app, as an attacker would."""

from tests.webui.conftest import app, browser, client  # noqa: F401 - the web UI's fixtures
