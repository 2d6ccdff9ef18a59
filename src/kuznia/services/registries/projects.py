"""A capacity project that starts producing becomes a line: the vetted proposal it enters as.

The line is the project's own "line it becomes" (ALLOCATION.md, "Capacity projects"): its unit
cost, monthly capacity, ramp-up, minimum total and shipping lag, at the project's company, site
and capability, with no lead time (it is built) and no set-up cost (the capex paid for it). It
is created in the same unit of work as the step to ``producing``, so the two commit together.
"""

from __future__ import annotations

from typing import Any

from kuznia.db import registries as db
from kuznia.services.kernel.integrity import flush_or_conflict, refuse_taken_id
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.catalogue import plain


def line_id(project: db.CapacityProject) -> str:
    """The id of the proposal a project becomes."""
    return f"{project.id}-line"[:100]


def line_of(project: db.CapacityProject) -> dict[str, Any]:
    """The proposal a producing project is, as a row's fields."""
    return {
        "id": line_id(project),
        "company_id": project.company_id,
        "site_id": project.site_id,
        "site_country": project.site_country,
        "capability_id": project.capability_id,
        "unit_cost_cents": project.unit_cost_cents,
        "currency": project.currency,
        "monthly_capacity": project.monthly_capacity,
        "lead_time_months": 0,
        "ramp_up_months": project.ramp_up_months,
        "setup_cost_cents": 0,
        "min_total_units": project.min_total_units,
        "ship_lag_months": project.ship_lag_months,
        "kind": project.kind,
        "offtake_until": project.offtake_until,
        "offtake_share_percent": project.offtake_share_percent,
        "status": db.ProposalStatus.VETTED,
    }


def enter_proposals(uow: UnitOfWork, project: db.CapacityProject) -> str:
    """Create the vetted proposal ``project`` becomes (recorded, so logged) and return its id."""
    fields = line_of(project)
    refuse_taken_id(uow.session, db.Proposal, fields["id"])
    row = db.Proposal(version=1, **fields)
    uow.session.add(row)
    flush_or_conflict(uow.session, f"the line of project {project.id!r}", creating=True)
    doc = {c.name: plain(getattr(row, c.name)) for c in row.__table__.columns}
    uow.record("proposals", row.id, "create", None, doc)
    return row.id
