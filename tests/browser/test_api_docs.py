"""The API documentation renders from files kuznia serves itself: no CDN, so it works on a
closed network (the browser tests have no internet)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, screenshot

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_the_api_from_vendored_files(page: Page, site: Site) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(site.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto(site.url + "/api/docs")
    expect(page.locator(".information-container .title")).to_contain_text("kuznia")
    expect(page.locator(".opblock-tag", has_text=re.compile("^jobs"))).to_be_visible()
    screenshot(page, "api-docs")
    assert outside == []
