"""Capacity projects and the investments into them as OCDS planning releases.

Each reviewed capacity project (vetted, financed, under construction or producing) is one
process (``ocid = {prefix}-{project id}``) with a ``planning`` release: its capex as the
budget, its company as an interested party, its kind, capability and the line it becomes in the
rationale. Each investment into such a project is a process of its own with a ``planning``
release (the amount as the budget, the investor as funder) related to the project's process;
its commitments and disbursements (``money_flows``, as a contract's transactions are published)
are its ``financing`` milestones, met on their value dates, with their amounts (``kuznia:value``,
``kuznia:transactionType``); no reference, recorder or paying pledge is published.
Submitted and rejected projects are not published, nor investments between firms that name no
project (they are firms' private dealings, read only by the parties and the ministry).

No location is published: a project names its site country only, never its site (whose
address and coordinates are secret fields), in the public and the confidential tier alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import FlowKind, MoneyFlow
from kuznia.money import Money
from kuznia.services.open_data.ocds_common import (
    OcdsOptions,
    month_start,
    release,
    timestamp,
    value,
)

PUBLISHED_PROJECTS = (
    db.ProjectStatus.VETTED,
    db.ProjectStatus.FINANCED,
    db.ProjectStatus.UNDER_CONSTRUCTION,
    db.ProjectStatus.PRODUCING,
)
KIND_WORDS = {
    "in_ukraine": "a Ukrainian firm's capacity in Ukraine",
    "ukrainian_abroad": "a Ukrainian firm's capacity abroad",
    "foreign_in_ukraine": "a foreign firm's capacity in Ukraine",
    "partner_domestic": "a partner's domestic capacity",
}


def _buyer(options: OcdsOptions) -> dict[str, Any]:
    return {"id": options.buyer_id, "name": options.buyer_name}


def _projectrelease(
    project: db.CapacityProject,
    company: db.Company,
    capability: db.Capability,
    options: OcdsOptions,
) -> dict[str, Any]:
    ocid = f"{options.ocid_prefix}-{project.id}"
    kind = KIND_WORDS.get(str(project.kind), "capacity")
    rationale = (
        f"Capacity project ({kind}, site in {project.site_country}, {project.status.value}): "
        f"{project.monthly_capacity} {capability.unit} of {capability.name} a month once built, "
        f"in {project.build_months} months from {project.earliest_start} at the earliest"
    )
    parties = [
        {**_buyer(options), "roles": ["buyer"]},
        {"id": company.id, "name": company.name, "roles": ["interestedParty"]},
    ]
    planning = {
        "rationale": rationale,
        "budget": {
            "id": project.id,
            "description": f"Capital cost of project {project.id}",
            "amount": value(project.capex_cents, project.currency),
        },
        "milestones": [
            {
                "id": "earliest-start",
                "title": "earliest start of construction",
                "type": "preProcurement",
                "dueDate": month_start(project.earliest_start),
                "status": "met" if project.status is db.ProjectStatus.PRODUCING else "scheduled",
            }
        ],
    }
    body = {"parties": parties, "buyer": _buyer(options), "planning": planning}
    return release(ocid, "planning", timestamp(project.updated_at), body)


FLOW_WORDS = {FlowKind.COMMITMENT: "committed", FlowKind.DISBURSEMENT: "paid out"}


def _financing(flow: MoneyFlow) -> dict[str, Any]:
    """A commitment or disbursement of an investment as a met ``financing`` milestone."""
    money = Money(flow.amount_cents, flow.currency)
    return {
        "id": flow.id,
        "title": flow.kind.value,
        "type": "financing",
        "description": f"{money.display()} {FLOW_WORDS[flow.kind]}",
        "dateMet": timestamp(flow.value_date),
        "status": "met",
        "kuznia:transactionType": flow.kind.value,
        "kuznia:value": value(flow.amount_cents, flow.currency),
    }


def _investmentrelease(
    investment: db.Investment,
    investor: db.Company,
    options: OcdsOptions,
    flows: list[MoneyFlow],
) -> dict[str, Any]:
    ocid = f"{options.ocid_prefix}-{investment.id}"
    project_ocid = f"{options.ocid_prefix}-{investment.target_project_id}"
    planning: dict[str, Any] = {
        "rationale": (
            f"{investment.instrument.capitalize()} from {investor.country} into capacity project "
            f"{investment.target_project_id} ({investment.to_country}), {investment.month}"
        ),
        "budget": {
            "id": investment.id,
            "description": f"{investment.instrument} of {investor.name}",
            "amount": value(investment.amount_cents, investment.currency),
        },
    }
    if flows:
        planning["milestones"] = [_financing(f) for f in flows]
    body = {
        "parties": [
            {**_buyer(options), "roles": ["buyer"]},
            {"id": investor.id, "name": investor.name, "roles": ["funder"]},
        ],
        "buyer": _buyer(options),
        "planning": planning,
        "relatedProcesses": [
            {
                "id": "1",
                "relationship": ["planning"],
                "title": f"capacity project {investment.target_project_id}",
                "scheme": "ocid",
                "identifier": project_ocid,
            }
        ],
    }
    return release(ocid, "planning", timestamp(investment.updated_at), body)


def project_releases(session: Session, options: OcdsOptions) -> list[dict[str, Any]]:
    """The planning releases of the published projects and the investments into them."""
    projects = session.execute(
        select(db.CapacityProject, db.Company, db.Capability)
        .join(db.Company, db.Company.id == db.CapacityProject.company_id)
        .join(db.Capability, db.Capability.id == db.CapacityProject.capability_id)
        .where(db.CapacityProject.status.in_(PUBLISHED_PROJECTS))
        .order_by(db.CapacityProject.id)
    ).all()
    out = [_projectrelease(j, company, cap, options) for j, company, cap in projects]
    published = [j.id for j, _, _ in projects]
    investments = session.execute(
        select(db.Investment, db.Company)
        .join(db.Company, db.Company.id == db.Investment.investor_company_id)
        .where(db.Investment.target_project_id.in_(published))
        .order_by(db.Investment.id)
    ).all()
    flows = _flows_of(session, [i.id for i, _ in investments])
    out += [
        _investmentrelease(i, investor, options, flows.get(i.id, [])) for i, investor in investments
    ]
    return out


def _flows_of(session: Session, investment_ids: list[str]) -> dict[str, list[MoneyFlow]]:
    """The commitments and disbursements of the published investments, in the order recorded."""
    found: dict[str, list[MoneyFlow]] = {}
    rows = session.scalars(
        select(MoneyFlow)
        .where(MoneyFlow.investment_id.in_(investment_ids), MoneyFlow.kind.in_(tuple(FLOW_WORDS)))
        .order_by(MoneyFlow.created_at, MoneyFlow.id)
    )
    for flow in rows:
        found.setdefault(str(flow.investment_id), []).append(flow)
    return found
