"""The workbook of a plan file and the scenario file it was computed from (pure: the files
alone, no database, so ``kuznia export plan-xlsx`` loads neither the database nor the solver)."""

from __future__ import annotations

from kuznia.errors import InvalidInput
from kuznia.scenario.io import parse_scenario, scenario_sha256
from kuznia.scenario.plan import parse_plan
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
