"""A capacity project that starts producing becomes a line: the vetted proposal it enters as.

The line is the project's own "line it becomes" (ALLOCATION.md, "Capacity projects";
``scenario.lines.line_of``): its unit cost, monthly capacity, ramp-up, minimum total and
shipping lag, at the project's company, site and capability, with no lead time (it is built) and
no set-up cost (the capex paid for it), written as a row by the one translation
(``scenarios.proposal_row``). It is created in the same unit of work as the step to
``producing``, so the two commit together.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.scenario.lines import line_of as scenario_line
from kuznia.scenario.model import Project
from kuznia.services.kernel.integrity import flush_or_conflict, refuse_taken_id
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.catalogue import plain
from kuznia.services.registries.project_export import project_document
from kuznia.services.registries.scenarios import proposal_row


def line_id(project: db.CapacityProject) -> str:
    """The id of the proposal a project becomes."""
    return f"{project.id}-line"[:100]


def line_of(session: Session, project: db.CapacityProject) -> dict[str, Any]:
    """The proposal a producing project is, as a row's fields: the scenario's line of the
    project (:func:`kuznia.scenario.lines.line_of`) built already (``start =
    -build_months``: no lead time), at the project's site, with its offtake terms, vetted."""
    company = session.get(db.Company, project.company_id)
    assert company is not None  # a foreign key
    model = Project.model_validate(project_document(project, company.country))
    return {
        **proposal_row(scenario_line(model, -project.build_months), project.site_id),
        "id": line_id(project),
        "kind": project.kind,  # as the project states it (the model's is derived if None)
        "offtake_until": project.offtake_until,
        "offtake_share_percent": project.offtake_share_percent,
        "status": db.ProposalStatus.VETTED,
    }


def enter_proposals(uow: UnitOfWork, project: db.CapacityProject) -> str:
    """Create the vetted proposal ``project`` becomes (recorded, so logged) and return its id."""
    fields = line_of(uow.session, project)
    refuse_taken_id(uow.session, db.Proposal, fields["id"])
    row = db.Proposal(version=1, **fields)
    uow.session.add(row)
    flush_or_conflict(uow.session, f"the line of project {project.id!r}", creating=True)
    doc = {c.name: plain(getattr(row, c.name)) for c in row.__table__.columns}
    uow.record("proposals", row.id, "create", None, doc)
    return row.id
