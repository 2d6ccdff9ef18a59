"""The whole journey of a contract in the browser, across roles: the coordinator runs a plan as a
job and draws up the contract of a funded line; Ukraine and the paying partner sign it; the
partner commits money and pays it; the firm reports a delivery and the coordinator accepts it;
the partner sees where its money went; an auditor checks the delivery's inclusion proof in the
log. Each form's error path is tried on the way (every message next to its field), and a stale
form says what changed. Then the contract page once in Ukrainian.

The line's partner and company get logins of their own here (the demo has one login per role,
for other organisations than the line the plan happens to fund); the checkpoint is signed as
``kuznia log checkpoint`` does, through the service.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from kuznia.db import registries as db
from kuznia.scenario.kinds import ProposalKind
from kuznia.services.identity import users
from kuznia.services.registries.rules import derived_kind
from kuznia.services.transparency.checkpoints import LogSettings, create_checkpoint, load_signer
from kuznia.settings import load_settings
from kuznia.transparency import generate_private_key, private_key_to_pem
from tests.browser.conftest import Site, log_in, screenshot
from tests.browser.contracting_world import COORDINATOR

pytestmark = pytest.mark.browser
PASSWORD = "journey-password-1234"


def _tab(browser: Browser, locale: str = "en-GB") -> Page:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale=locale)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.set_default_navigation_timeout(90_000)
    return tab


def _sign_in(tab: Page, site: Site, email: str) -> None:
    tab.goto(f"{site.url}/login")
    tab.locator("#email").fill(email)
    tab.locator("#password").fill(PASSWORD)
    tab.locator("main button[type=submit]").click()
    tab.wait_for_url(f"{site.url}/")


def _logins_for_line(site: Site, pledge_id: str, proposal_id: str) -> tuple[str, str]:
    """Emails of a login of the pledge's partner and one of the line's company."""
    with site.database.reading() as session:
        pledge = session.get(db.Pledge, pledge_id)
        proposal = session.get(db.Proposal, proposal_id)
        assert pledge is not None
        assert proposal is not None
        partner, company = pledge.partner_id, proposal.company_id
    emails = []
    for kind, link in (("partner", {"partner_id": partner}), ("company", {"company_id": company})):
        email = f"journey-{kind}-{pledge_id[:20]}-{proposal_id[:20]}@test.kuznia".lower()
        with site.database.unit_of_work(COORDINATOR) as uow:
            org = users.create_organisation(uow, name=f"Journey {kind}", kind=kind, **link)
            users.create_user(uow, organisation_id=org["id"], email=email, name=f"Journey {kind}",
                              password=PASSWORD, one_time=False)  # fmt: skip
        emails.append(email)
    return emails[0], emails[1]


def _line_at_home(page: Page, site: Site) -> tuple[Locator, str, str]:
    """A funded line not yet drawn up whose contract needs no abroad terms to be signed."""
    rows = page.locator("#funded tbody tr").filter(
        has=page.get_by_role("button", name=re.compile("Draw up the contract"))
    )  # fmt: skip
    for index in range(rows.count()):
        row = rows.nth(index)
        pledge_id = row.get_attribute("data-pledge") or ""
        proposal_id = row.get_attribute("data-proposal") or ""
        with site.database.reading() as session:
            proposal = session.get(db.Proposal, proposal_id)
            assert proposal is not None
            kind = proposal.kind or derived_kind(
                session, {"company_id": proposal.company_id, "site_country": proposal.site_country}
            )
        if kind != ProposalKind.UKRAINIAN_ABROAD:
            return row, pledge_id, proposal_id
    raise AssertionError("the plan funds no line at home")


def _run_plan_and_draw(page: Page, site: Site) -> tuple[str, str, str]:
    """As the coordinator: a plan run as a job, then the draft of its first funded line."""
    log_in(page, site, "coordinator")
    page.goto(site.url + "/plan")
    page.get_by_label("Label").fill("journey")
    page.get_by_role("button", name="Run a new plan").click()
    row = page.locator("#jobs tbody tr").filter(has_text="journey")
    expect(row).to_contain_text("done", timeout=120_000)
    page.goto(site.url + "/plan#funded-lines")
    line, pledge_id, proposal_id = _line_at_home(page, site)
    line.scroll_into_view_if_needed()
    screenshot(page, "journey-01-plan-funded-lines")
    line.get_by_role("button", name=re.compile("Draw up the contract")).click()
    expect(page.get_by_role("status")).to_contain_text("The draft contract was drawn up.")
    contract_url = page.url.split("?")[0]
    expect(page.get_by_role("heading", level=1)).to_contain_text("units of")
    screenshot(page, "journey-02-contract-draft")
    return contract_url, pledge_id, proposal_id


def _coordinator_signs_and_tries_the_change_forms(page: Page) -> None:
    page.get_by_role("button", name="Sign this version").click()
    expect(page.locator("#contract-status")).to_contain_text("signed for Ukraine")
    page.get_by_text("Terminate the contract", exact=True).click()
    page.locator("#form-terminate").get_by_role("button", name="Terminate").click()
    expect(page.locator("#error-terminate-reason")).to_contain_text("Enter a value.")
    screenshot(page, "journey-03-terminate-needs-a-reason")
    page.get_by_text("Amend the terms", exact=True).click()
    page.locator("#amend-reason").fill("nothing really")
    page.locator("#form-amend").get_by_role("button", name="Record the amendment").click()
    expect(page.get_by_role("alert")).to_contain_text("Change at least one term or the schedule.")


def _partner_signs(partner: Page, site: Site, email: str, contract_url: str) -> None:
    _sign_in(partner, site, email)
    expect(partner.locator('a[href="/inbox"] .count')).to_have_text(re.compile(r"^\d+$"))
    partner.get_by_role("link", name=re.compile("^Inbox")).click()
    expect(partner.locator("#contracts_to_sign li")).to_have_count(1)
    screenshot(partner, "journey-04-partner-inbox")
    partner.locator("#contracts_to_sign li a").click()
    assert partner.url.split("#")[0] == contract_url
    partner.get_by_role("button", name="Sign this version").click()
    expect(partner.locator("#contract-status")).to_have_text("signed")


def _stale_amendment_is_refused(page: Page) -> None:
    """The coordinator's page was read before the partner signed: the form says so."""
    page.locator("#amend-title").fill("A new title nobody agreed to")
    page.locator("#amend-reason").fill("clearer title")
    page.locator("#form-amend").get_by_role("button", name="Record the amendment").click()
    expect(page.get_by_role("alert")).to_contain_text("This contract changed since you opened it")
    expect(page.locator("table.changes")).to_contain_text("Signed by the partner")
    screenshot(page, "journey-05-stale-form")


def _partner_commits_and_pays(partner: Page) -> None:
    partner.get_by_text("Commit money", exact=True).click()
    form = partner.locator("#form-commit")
    form.get_by_label("Amount").fill("ten thousand")
    form.get_by_label("Value date").fill("2026-02-30")
    form.get_by_role("button", name="Commit").click()
    expect(partner.locator("#error-commit-amount")).to_contain_text("Enter an amount")
    expect(partner.locator("#error-commit-value_date")).to_contain_text("Enter a date")
    partner.locator("#form-commit").get_by_label("Amount").fill("99999999999.00")
    partner.locator("#form-commit").get_by_label("Value date").fill("")
    partner.locator("#form-commit").get_by_role("button", name="Commit").click()
    expect(partner.locator("#error-commit-amount")).to_contain_text("you asked for")
    screenshot(partner, "journey-06-overspend-refused")
    partner.locator("#form-commit").get_by_label("Amount").fill("1000.00")
    partner.locator("#form-commit").get_by_role("button", name="Commit").click()
    expect(partner.get_by_role("status")).to_contain_text("The commitment was recorded.")
    partner.get_by_text("Record a payment", exact=True).click()
    pay = partner.locator("#form-disburse")
    pay.get_by_label("Commitment").select_option(index=1)
    pay.get_by_label("Amount").fill("1500.00")
    pay.get_by_role("button", name="Record the payment").click()
    expect(partner.locator("#error-disburse-amount")).to_contain_text("is left to pay")
    partner.locator("#form-disburse").get_by_label("Amount").fill("1000.00")
    partner.locator("#form-disburse").get_by_role("button", name="Record the payment").click()
    expect(partner.get_by_role("status")).to_contain_text("The payment was recorded.")
    expect(partner.locator("#flows tbody tr")).to_have_count(2)
    screenshot(partner, "journey-07-committed-and-paid")


def _firm_reports(firm: Page, site: Site, email: str, contract_url: str) -> None:
    _sign_in(firm, site, email)
    firm.goto(contract_url)
    firm.get_by_text("Report a delivery", exact=True).click()
    form = firm.locator("#form-deliver")
    form.get_by_label("Units").fill("a few")
    form.get_by_label("Delivered on").fill("")
    form.get_by_role("button", name="Report the delivery").click()
    expect(firm.locator("#error-deliver-units")).to_contain_text("Enter a whole number")
    expect(firm.locator("#error-deliver-delivered_on")).to_contain_text("Enter a value.")
    screenshot(firm, "journey-08-delivery-errors")
    firm.locator("#form-deliver").get_by_label("Units").fill("2")
    firm.locator("#form-deliver").get_by_label("Delivered on").fill("2099-01-01")
    firm.locator("#form-deliver").get_by_role("button", name="Report the delivery").click()
    expect(firm.locator("#error-deliver-delivered_on")).to_contain_text("in the future")
    today = firm.evaluate("new Date().toISOString().slice(0, 10)")
    firm.locator("#form-deliver").get_by_label("Delivered on").fill(today)
    firm.locator("#form-deliver").get_by_label("Destination").fill("Notional depot 3")
    firm.locator("#form-deliver").get_by_role("button", name="Report the delivery").click()
    expect(firm.get_by_role("status")).to_contain_text("The delivery was reported.")
    expect(firm.locator("#contract-status")).to_have_text("in production")


def _coordinator_inspects(page: Page, contract_url: str) -> None:
    page.goto(site_inbox(contract_url))
    waiting = page.locator("#deliveries_to_inspect li").filter(
        has_text=contract_url.rsplit("/", 1)[1]
    )
    expect(waiting).to_have_count(1)
    waiting.get_by_role("link").click()
    page.get_by_text(re.compile("Inspect this delivery of 2 units")).click()
    form = page.locator("form[id^=form-inspect-]")
    form.get_by_label("Units accepted").fill("1")
    form.get_by_role("button", name="Record the inspection").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why units are rejected.")
    screenshot(page, "journey-09-inspection-needs-a-reason")
    page.locator("form[id^=form-inspect-]").get_by_label("Units accepted").fill("2")
    page.locator("form[id^=form-inspect-]").get_by_role(
        "button", name="Record the inspection"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("The inspection was recorded.")
    expect(page.locator("#delivery-list tbody")).to_contain_text("accepted")


def site_inbox(contract_url: str) -> str:
    return contract_url.split("/contracts/", maxsplit=1)[0] + "/inbox"


def _sign_checkpoint(site: Site, folder: Path) -> None:
    key = folder / "journey-log-key.pem"
    key.write_bytes(private_key_to_pem(generate_private_key()))
    settings = load_settings(database_url=str(site.database.engine.url), environment="test")
    signer = load_signer(settings, LogSettings(key_file=key, origin="kuznia.test/log"))
    with site.database.transaction() as session:
        create_checkpoint(session, COORDINATOR, signer)


def _auditor_checks_the_delivery(auditor: Page, site: Site, contract_url: str) -> None:
    log_in(auditor, site, "auditor")
    auditor.goto(contract_url + "#history")
    entry = auditor.locator('#contract-history tr[data-entity="deliveries"]').last
    entry.get_by_role("button", name=re.compile("Check")).click()
    expect(entry).to_contain_text("Included in the signed tree")
    expect(auditor.locator("#leaf-content code")).to_contain_text('"accepted"')
    screenshot(auditor, "journey-11-auditor-proof")


def test_a_contract_from_a_plan_is_signed_paid_delivered_and_proven(
    page: Page, browser: Browser, site: Site, tmp_path: Path
) -> None:
    contract_url, pledge_id, proposal_id = _run_plan_and_draw(page, site)
    partner_email, firm_email = _logins_for_line(site, pledge_id, proposal_id)
    _coordinator_signs_and_tries_the_change_forms(page)
    partner, firm, auditor = _tab(browser), _tab(browser), _tab(browser)
    _partner_signs(partner, site, partner_email, contract_url)
    _stale_amendment_is_refused(page)
    _partner_commits_and_pays(partner)
    _firm_reports(firm, site, firm_email, contract_url)
    _coordinator_inspects(page, contract_url)
    partner.goto(site.url + "/flows")
    expect(partner.get_by_role("heading", level=1)).to_be_visible()
    screenshot(partner, "journey-10-partner-flows")
    _sign_checkpoint(site, tmp_path)
    _auditor_checks_the_delivery(auditor, site, contract_url)
    uk = _tab(browser, "uk-UA")
    _sign_in(uk, site, partner_email)
    uk.goto(contract_url)
    expect(uk.locator("html")).to_have_attribute("lang", "uk")
    expect(uk.get_by_role("link", name=re.compile("Усі контракти"))).to_be_visible()
    expect(uk.get_by_role("heading", name="Поставки")).to_be_visible()
    screenshot(uk, "journey-12-contract-uk")
    for tab in (partner, firm, auditor, uk):
        tab.context.close()


def test_a_contract_by_hand_shows_every_problem_at_once(page: Page, site: Site) -> None:
    log_in(page, site, "coordinator")
    page.goto(site.url + "/contracts")
    page.get_by_role("link", name="Draw up a contract by hand").click()
    page.get_by_label("Units").fill("none")
    page.get_by_label("Schedule").fill("May: lots")
    page.get_by_role("button", name="Draw up the draft").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Title: Enter a value.")
    expect(summary).to_contain_text("Paying pledge: Choose one of the options.")
    expect(page.locator("#error-units")).to_contain_text("Enter a whole number")
    expect(page.locator("#error-schedule")).to_contain_text("YYYY-MM: units")
    screenshot(page, "journey-00-contract-by-hand-errors")
