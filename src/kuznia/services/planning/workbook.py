"""Plan files as workbooks for planners (``kuznia export plan-xlsx``, and the API and web app)."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from kuznia.errors import Forbidden, InvalidInput
from kuznia.scenario.io import parse_scenario, scenario_sha256
from kuznia.scenario.plan import parse_plan
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.actors import Role
from kuznia.services.planning.plans import plan_of_scenario
from kuznia.services.planning.runs import inputs_of
from kuznia.spreadsheets.plan_sheets import plan_workbook


def export_plan_workbook(scenario_data: bytes, plan_data: bytes) -> bytes:
    """The workbook of a plan file and the scenario file it was computed from.

    Raises :class:`InvalidInput` for a malformed file, or when the plan's ``scenario_sha256`` is
    not the SHA-256 of ``scenario_data`` (the plan belongs to another scenario).
    """
    scenario = parse_scenario(scenario_data)
    plan = parse_plan(plan_data)
    digest = scenario_sha256(scenario_data)
    if plan.scenario_sha256 != digest:
        raise InvalidInput.single(
            "scenario_sha256",
            f"the plan was computed from another scenario file ({plan.scenario_sha256[:12]}..., "
            f"this one is {digest[:12]}...)",
        )
    return plan_workbook(scenario, plan)


def stored_plan_workbook(session: Session, viewer: Viewer, sha256: str) -> bytes:
    """The workbook of the newest plan of scenario ``sha256`` with its inputs: for those who
    see every pledge's money in a plan (a partner reads its own pledges' part, as JSON)."""
    if viewer.actor.role is Role.PARTNER:
        raise Forbidden("the plan workbook shows every pledge's money: read the plan as JSON")
    document = plan_of_scenario(session, viewer, sha256)["plan"]
    inputs = inputs_of(session, sha256)
    data = json.dumps(document, ensure_ascii=False).encode()
    return export_plan_workbook(inputs.data, data)
