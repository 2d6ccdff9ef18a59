"""A joint plan (``kuznia.plan/2``) produces on the lines of the projects it builds: the risk
engine evaluates them as lines (a risk file may place them at a site, by the project's id)."""

from __future__ import annotations

import pytest

from kuznia.risk import evaluate
from kuznia.scenario.io import parse_scenario
from tests.factories import format2_document, scenario_bytes
from tests.unit.risk.conftest import CERTAIN, NEVER, risk_of, world


def test_a_plan_that_builds_a_project_is_evaluated_with_the_project_line() -> None:
    s = parse_scenario(scenario_bytes(format2_document()))
    sites = {"A": ("line-1", "line-2"), "B": ("proj-fpv",)}
    data, disruption, plan = world(s, risk_of({"A": NEVER, "B": NEVER}, sites))
    assert [b.project for b in plan.builds or ()] == ["proj-fpv"]
    assert "proj-fpv" in data.line_ids
    assert int(data.production.sum()) == sum(r.units for r in plan.production)
    e = evaluate(data, disruption, seed=3, paths=10)
    assert e.value.p90 == e.value.p10 == pytest.approx(plan.value, rel=1e-12)
    struck, disruption, _ = world(s, risk_of({"A": NEVER, "B": CERTAIN}, sites), plan)
    lost = evaluate(struck, disruption, seed=3, paths=4)
    assert lost.value.p10 < plan.value
    assert lost.sites[0].site == "B"
