"""The staff webapps in a real browser: Debian's Chromium through Playwright, as county staff open them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser_page(test_dir, request) -> Iterator:
    """A page in Chromium with the browser language zh-CN and China's time zone; its last state is kept as a
    screenshot in the test's directory."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        context = browser.new_context(
            viewport={"width": 1440, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page
        page.screenshot(path=str(test_dir / f"last-{request.node.name}.png"), full_page=True)
        browser.close()
