"""The resilience page in a real browser: fan charts, nominal beside robust, dispersal, and the
most costly sites named only to who may see their locations."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect
from sqlalchemy import select

from kuznia.db.planning import StoredPlan
from kuznia.db.resilience import EvaluationKind, RiskEvaluation
from kuznia.demo import generate
from kuznia.services.kernel.actors import Actor
from kuznia.services.resilience.inputs import load_demo_risk
from kuznia.services.resilience.jobs import submit_risk_job
from tests.browser.conftest import Site, log_in, screenshot

SYSTEM = Actor.system("browser-tests")


def _robust_evaluation(site: Site) -> str:
    with site.database.unit_of_work(SYSTEM) as uow:
        load_demo_risk(uow, generate("small", 1))
    with site.database.transaction() as session:
        plan = session.scalars(select(StoredPlan.id).order_by(StoredPlan.number.desc())).first()
        assert plan is not None
        submit_risk_job(session, SYSTEM, plan_id=plan, kind=EvaluationKind.ROBUST, paths=40,
                        seed=1, sample_paths=10)  # fmt: skip
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        with site.database.reading() as session:
            found = session.scalars(select(RiskEvaluation.id)).first()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError("the risk job did not finish in time")


def test_the_risk_page_shows_fans_side_by_side_and_hides_site_names_from_partners(
    page: Page, site: Site
) -> None:
    _robust_evaluation(site)
    log_in(page, site, "coordinator")
    page.goto(f"{site.url}/risk")
    expect(page.locator("h1")).to_have_text("Resilience")
    expect(page.locator("#risk-value")).to_contain_text("Robust plan")
    assert page.locator("figure.chart-figure").count() >= 2
    expect(page.locator("#risk-sites-nominal")).to_contain_text("site-")
    screenshot(page, "risk-coordinator")
    page.context.clear_cookies()
    log_in(page, site, "partner")
    page.goto(f"{site.url}/risk")
    expect(page.locator("#risk-sites-nominal")).to_contain_text("site A")
    assert "Coordinator" not in page.locator("main").inner_text()
    screenshot(page, "risk-partner")
