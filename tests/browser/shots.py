"""Screenshots of the registry and account pages, to a temporary folder people look at
(``KUZNIA_SCREENSHOTS``, else ``<tmp>/kuznia-screenshots``); nothing is committed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from playwright.sync_api import Page

FOLDER = Path(
    os.environ.get("KUZNIA_SCREENSHOTS") or Path(tempfile.gettempdir()) / "kuznia-screenshots"
)


def shot(page: Page, name: str) -> Path:
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in_any_language(page: Page, url: str, email: str, password: str) -> None:
    """Log in by the fields' ids, whatever language the page is in."""
    page.goto(f"{url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{url}/")
