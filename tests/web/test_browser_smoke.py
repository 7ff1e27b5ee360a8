"""The live server and browser fixtures work: a real Chromium logs in over real HTTP."""

from __future__ import annotations

import urllib.request

import pytest

from niaga.testing import browser_login


def test_live_server_answers_healthz(live_server: str) -> None:
    with urllib.request.urlopen(f"{live_server}/healthz") as response:
        assert response.status == 200


@pytest.mark.browser
def test_browser_logs_in(browser_page, owner) -> None:
    page = browser_page
    browser_login(page, owner)
    assert page.locator("nav.menu").is_visible()
