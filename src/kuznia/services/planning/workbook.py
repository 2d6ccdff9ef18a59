"""Stored plans as workbooks for planners (the API and web app); a plan file's workbook is
:func:`kuznia.spreadsheets.plan_files.export_plan_workbook` (``kuznia export plan-xlsx``)."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from kuznia.errors import Forbidden
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.actors import Role
from kuznia.services.planning.plans import plan_of_scenario
from kuznia.services.planning.runs import inputs_of
from kuznia.spreadsheets.plan_files import export_plan_workbook

__all__ = ["export_plan_workbook", "stored_plan_workbook"]


def stored_plan_workbook(session: Session, viewer: Viewer, sha256: str) -> bytes:
    """The workbook of the newest plan of scenario ``sha256`` with its inputs: for those who
    see every pledge's money in a plan (a partner reads its own pledges' part, as JSON)."""
    if viewer.actor.role is Role.PARTNER:
        raise Forbidden("the plan workbook shows every pledge's money: read the plan as JSON")
    document = plan_of_scenario(session, viewer, sha256)["plan"]
    inputs = inputs_of(session, sha256)
    data = json.dumps(document, ensure_ascii=False).encode()
    return export_plan_workbook(inputs.data, data)
