"""An investment's record page: its money (committed, paid, left) and the investor's forms to
commit and pay, an overspend refused next to the amount, then a commitment and a payment
recorded. Screenshots go to a temporary folder (``screens``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kuznia.db import registries as db
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.registries import records
from tests.browser.conftest import Site, log_in
from tests.browser.shots import shot

pytestmark = pytest.mark.browser


def _investment(site: Site, ident: str) -> str:
    """10,000.00 EUR of the company login's firm into a firm of another country."""
    with site.database.reading() as session:
        own = session.get(db.Company, site.company_id)
        assert own is not None
        target = session.scalars(
            select(db.Company).where(db.Company.country != own.country).order_by(db.Company.id)
        ).first()
        assert target is not None
        countries = (own.country, target.country)
        target_id = target.id
    body = {"id": ident, "investor_company_id": site.company_id, "target_company_id": target_id,
            "from_country": countries[0], "to_country": countries[1], "instrument": "equity",
            "amount_cents": 1_000_000, "currency": "EUR", "month": "2026-02"}  # fmt: skip
    firm = Actor(role=Role.COMPANY, label="company", company_id=site.company_id)
    with site.database.unit_of_work(firm) as uow:
        return str(records.create_record(uow, "investments", body)["id"])


def test_the_investor_commits_and_pays_on_the_investment_page(page: Page, site: Site) -> None:
    investment = _investment(site, "inv-browser-1")
    log_in(page, site, "company")
    page.goto(f"{site.url}/registries/investments/{investment}")
    expect(page.locator("#money")).to_contain_text("No money committed yet.")
    page.get_by_text("Commit money").click()
    form = page.locator("#form-commit")
    form.get_by_label("Amount").fill("10000.01")
    form.get_by_role("button", name="Commit").click()
    expect(page.locator("#form-commit")).to_contain_text("10,000.00 EUR")
    shot(page, "investment-commit-refused")
    page.locator("#form-commit").get_by_label("Amount").fill("6000.00")
    page.locator("#form-commit").get_by_role("button", name="Commit").click()
    expect(page.get_by_role("status")).to_contain_text("The commitment was recorded.")
    page.get_by_text("Record a payment").click()
    payment = page.locator("#form-disburse")
    payment.get_by_label("Commitment").select_option(index=1)
    payment.get_by_label("Amount").fill("2500.00")
    payment.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_role("status")).to_contain_text("The payment was recorded.")
    expect(page.locator("#flows tbody tr")).to_have_count(2)
    shot(page, "investment-money")
