"""The web app served by uvicorn on 127.0.0.1 with a fresh SQLite database holding the small
notional demo, and Debian's Chromium driven by Playwright.

Screenshots go to ``artifacts/screenshots/`` (gitignored); every test that opens a main page
saves one, so a person can look at what the tests saw.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import select

from kuznia.api.app import create_app
from kuznia.db.identity import Organisation, User
from kuznia.demo import generate
from kuznia.services.identity.users import create_demo_logins
from kuznia.services.jobs.worker import WorkerConfig, start_in_thread
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database
from kuznia.services.registries.demo import load_world
from kuznia.services.wiring import make_worker, open_database
from kuznia.settings import Settings, load_settings
from tests.browser.contracting_world import seed_ledger

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Site:
    url: str
    logins: dict[str, tuple[str, str]]
    """role -> (email, password)"""
    database: Database
    partner_id: str
    """The partner of the partner login."""
    company_id: str
    """The company of the company login."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_plan(url: str, deadline: float, path: str = "/") -> None:
    """The first page queues the current plan for the worker; wait until it is ready so every
    test sees pages, not the "computing" page (which answers with Retry-After)."""
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url + path, timeout=30) as answer:
            if answer.status == 200 and answer.headers.get("Retry-After") is None:
                return
        time.sleep(0.5)
    raise RuntimeError("the current plan was not ready in time")


@dataclass(frozen=True)
class Loaded:
    logins: dict[str, tuple[str, str]]
    partner_id: str
    company_id: str


def _load(database: Database, settings: Settings, folder: Path) -> Loaded:
    database.upgrade()
    with database.unit_of_work(Actor.system("browser-tests")) as uow:
        load_world(uow, generate("small", 1))
        logins = create_demo_logins(uow)
    with database.reading() as session:
        org_of = {u.email: u.organisation_id for u in session.scalars(select(User))}
        links = {o.id: (o.partner_id, o.company_id) for o in session.scalars(select(Organisation))}
    owner = {login.role: links[org_of[login.email]] for login in logins}
    partner_id, company_id = owner["partner"][0], owner["company"][1]
    assert partner_id
    assert company_id
    seed_ledger(database, settings, folder, company_id)
    return Loaded(
        {login.role: (login.email, login.password) for login in logins}, partner_id, company_id
    )


@contextmanager
def serve(
    folder: Path, prepare: Callable[[Database], None] | None = None, ready_path: str = "/"
) -> Iterator[Site]:
    """The small demo served with a worker, once its first plan is ready (``ready_path`` shows
    it); ``prepare`` changes the data before the server starts (the first plan is of it)."""
    settings = load_settings(
        database_url=f"sqlite:///{folder / 'kuznia.sqlite3'}", environment="test"
    )
    database = open_database(settings)
    loaded = _load(database, settings, folder)
    if prepare is not None:
        prepare(database)
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, database=database), host="127.0.0.1", port=port, log_level="warning",
        ws="none", lifespan="on",
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    worker = make_worker(database, settings, WorkerConfig(poll_seconds=0.2))
    start_in_thread(worker)
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    try:
        _wait_for_plan(f"http://127.0.0.1:{port}", time.monotonic() + 180, ready_path)
        yield Site(
            f"http://127.0.0.1:{port}", loaded.logins, database, loaded.partner_id,
            loaded.company_id,
        )  # fmt: skip
    finally:
        worker.stopping.set()
        server.should_exit = True
        thread.join(timeout=10)
        database.dispose()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve(tmp_path_factory.mktemp("web")) as served:
        yield served


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.set_default_navigation_timeout(90_000)
    yield tab
    context.close()


@pytest.fixture
def browser_tablet(browser: Browser) -> Iterator[Page]:
    """A tab the size of a tablet held upright (768 x 1024)."""
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


@pytest.fixture
def browser_uk(browser: Browser) -> Iterator[Page]:
    """A tab whose browser asks for Ukrainian first."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="uk-UA")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


def log_in(page: Page, site: Site, role: str) -> None:
    email, password = site.logins[role]
    page.goto(f"{site.url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site.url}/")


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
