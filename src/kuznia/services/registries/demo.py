"""Load a generated demo world (scenario plus partners, companies, sites, investments, capacity
projects and the investment money for them)."""

from __future__ import annotations

from typing import Any

from kuznia.db import registries as db
from kuznia.demo.records import DemoWorld
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.kernel.upsert import upsert
from kuznia.services.registries.scenarios import ImportSummary, import_scenario


def _party_rows(world: DemoWorld) -> dict[type[db.Partner | db.Company | db.Site], list[Any]]:
    """The partners, companies and sites of ``world`` as table rows, in the order they load."""
    return {
        db.Partner: [
            {
                "id": p.id,
                "name": p.name,
                "name_uk": p.name_uk,
                "country": p.country,
                "kind": p.kind,
            }
            for p in world.partners
        ],
        db.Company: [
            {
                "id": c.id,
                "name": c.name,
                "country": c.country,
                "ukrainian": c.ukrainian,
                "state_owned": c.state_owned,
            }
            for c in world.companies
        ],
        db.Site: [
            {
                "id": s.id,
                "company_id": s.company,
                "name": s.name,
                "country": s.country,
                "address": s.address,
                "latitude": s.latitude,
                "longitude": s.longitude,
            }
            for s in world.sites
        ],
    }


def _investment_rows(world: DemoWorld) -> list[dict[str, Any]]:
    return [
        {
            "id": i.id,
            "investor_company_id": i.investor,
            "target_company_id": i.target_company,
            "target_site_id": i.target_site,
            "from_country": i.country_from,
            "to_country": i.country_to,
            "instrument": i.instrument,
            "amount_cents": i.amount.cents,
            "currency": i.amount.currency,
            "month": i.month,
        }
        for i in world.investments
    ]


def _project_rows(world: DemoWorld) -> list[dict[str, Any]]:
    return [
        {
            "id": j.id,
            "company_id": j.company,
            "site_id": None,
            "site_country": j.site_country,
            "capability_id": j.capability,
            "kind": j.kind,
            "capex_cents": j.capex.cents,
            "currency": j.capex.currency,
            "earliest_start": j.earliest_start,
            "build_months": j.build_months,
            "unit_cost_cents": j.unit_cost.cents,
            "monthly_capacity": j.monthly_capacity,
            "ramp_up_months": j.ramp_up_months,
            "min_total_units": j.min_total_units,
            "ship_lag_months": j.ship_lag_months,
            "offtake_until": j.offtake_until,
            "offtake_share_percent": j.offtake_share_percent,
            "status": j.status,
        }
        for j in world.projects
    ]


def _investment_pledge_rows(world: DemoWorld) -> list[dict[str, Any]]:
    return [
        {
            "id": g.id,
            "partner_id": g.partner,
            "amount_cents": g.amount.cents,
            "currency": g.amount.currency,
            "valid_from": g.valid_from,
            "valid_to": g.valid_to,
            "earmark_capabilities": list(g.capabilities),
            "earmark_site_countries": list(g.site_countries),
            "earmark_company_countries": list(g.company_countries),
            "earmark_projects": list(g.projects),
            "purposes": list(g.purposes),
            "status": db.PledgeStatus.CONFIRMED,
        }
        for g in world.investment_pledges
    ]


def load_world(uow: UnitOfWork, world: DemoWorld) -> ImportSummary:
    """Upsert every record of ``world`` in the caller's transaction; proposals get their sites."""
    counts = {
        table.__tablename__: upsert(uow, table, rows) for table, rows in _party_rows(world).items()
    }
    summary = import_scenario(uow, world.scenario, world.proposal_sites)
    counts["investments"] = upsert(uow, db.Investment, _investment_rows(world))
    counts["capacity_projects"] = upsert(
        uow, db.CapacityProject, _project_rows(world), keep_on_update=["status"]
    )
    money = upsert(uow, db.Pledge, _investment_pledge_rows(world), keep_on_update=["status"])
    summary.counts["pledges"] = summary.counts["pledges"] + money
    return ImportSummary({**counts, **summary.counts})
