"""A few contracts, money flows and deliveries on top of the small demo, and a signed checkpoint,
so the ledger pages have something to show (the demo generator makes no contracts)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from kuznia.db import registries as db
from kuznia.money import Money
from kuznia.months import add_months
from kuznia.scenario.eligibility import eligible
from kuznia.services.contracting import contracts, deliveries, drafting, money_flows
from kuznia.services.contracting.terms import today
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.database import Database
from kuznia.services.registries import records
from kuznia.services.registries.scenarios import export_scenario
from kuznia.services.transparency.checkpoints import LogSettings, create_checkpoint, load_signer
from kuznia.settings import Settings
from kuznia.transparency import generate_private_key, private_key_to_pem

COORDINATOR = Actor(role=Role.COORDINATOR, label="coordinator@demo.kuznia.test")
DESTINATION = "Notional depot 7, Kharkiv region"


def _party(database: Database, partner: str, company: str) -> tuple[tuple[str, str], str, str]:
    """A pledge of the partner (id, currency) that may pay for a line of the company, by the
    plan's own eligibility rule, with that line's capability and proposal id. A firm without
    such a line (the demo login's firm has none) gets one at home, vetted by the ministry."""
    with database.reading() as session:
        scenario = export_scenario(session, include_unreviewed=True)
        country = session.get(db.Company, company).country  # type: ignore[union-attr]
    pledges = sorted((g for g in scenario.pledges if g.partner == partner), key=lambda g: g.id)
    for pledge in pledges:
        for line in (p for p in scenario.proposals if p.company == company):
            if eligible(pledge, line):
                return (pledge.id, pledge.currency), line.capability, line.id
    pledge = next(
        g for g in pledges
        if (not g.site_countries or country in g.site_countries)
        and (not g.company_countries or country in g.company_countries)
    )  # fmt: skip
    capability = pledge.capabilities[0] if pledge.capabilities else scenario.capabilities[0].id
    line = {
        "company_id": company, "site_country": country, "capability_id": capability,
        "unit_cost_cents": 4_000_00, "currency": pledge.currency, "monthly_capacity": 60,
        "lead_time_months": 0, "ramp_up_months": 1,
    }  # fmt: skip
    with database.unit_of_work(COORDINATOR) as uow:
        proposal = records.create_record(uow, "proposals", line)["id"]
        records.review_proposal(uow, proposal, "vetted", None)
    return (pledge.id, pledge.currency), capability, proposal


def _contract(database: Database, ident: str, partner: str, company: str, units: int) -> None:
    """Due in the demo's third and fifth months (its pledges are valid from its first, which is
    January of the current year); half delivered today, so the world never dates a fact ahead."""
    (pledge_id, currency), capability, proposal = _party(database, partner, company)
    with database.reading() as session:
        start = export_scenario(session).start_month
    amount = Money(units * 5_000_00, currency)
    draft = drafting.ContractDraft(
        id=ident, title=f"Notional contract {ident}", pledge_id=pledge_id, company_id=company,
        capability_id=capability, units=units, amount=amount, proposal_id=proposal,
        schedule={add_months(start, 2): units // 2, add_months(start, 4): units - units // 2},
    )  # fmt: skip
    payer = Actor(role=Role.PARTNER, partner_id=partner, label=f"{partner}@demo")
    maker = Actor(role=Role.COMPANY, company_id=company, label=f"{company}@demo")
    for actor, step in (
        (COORDINATOR, lambda uow: drafting.create_contract(uow, draft)),
        (COORDINATOR, lambda uow: contracts.sign_contract(uow, ident)),
        (payer, lambda uow: contracts.sign_contract(uow, ident)),
    ):
        with database.unit_of_work(actor) as uow:
            step(uow)
    with database.unit_of_work(payer) as uow:
        commitment = money_flows.commit_funds(uow, ident, money_flows.FlowRequest(amount))
        half = Money(amount.cents // 2, amount.currency)
        money_flows.disburse(uow, commitment.id, money_flows.FlowRequest(half))
    with database.unit_of_work(maker) as uow:
        report = deliveries.DeliveryReport(ident, today(), units // 2, DESTINATION)
        delivery = deliveries.report_delivery(uow, report)
    with database.unit_of_work(COORDINATOR) as uow:
        deliveries.inspect_delivery(uow, delivery.id, units // 2 - 2,
                                    claim_reason="2 units failed acceptance tests")  # fmt: skip


def seed_ledger(database: Database, settings: Settings, folder: Path, company: str) -> None:
    """Two contracts (the demo partner's with the demo company, and Germany's with another
    firm), each signed, funded, half paid and half delivered; then a signed checkpoint."""
    _contract(database, "c-demo-dk", "partner-dk", company, 200)
    with database.reading() as session:
        other = session.scalars(
            select(db.Company.id).where(db.Company.id != company).order_by(db.Company.id)
        ).first()
    assert other is not None
    _contract(database, "c-demo-de", "partner-de", other, 100)
    key_file = folder / "log-key.pem"
    key_file.write_bytes(private_key_to_pem(generate_private_key()))
    signer = load_signer(settings, LogSettings(key_file=key_file, origin="kuznia.test/log"))
    with database.transaction() as session:
        create_checkpoint(session, COORDINATOR, signer)
