"""A ``kuznia.scenario/1`` file plans exactly as before format 2 existed.

``golden/format1_plans.json`` holds the plans (all but their timings) of thirteen ``/1``
scenarios made by the engine before capacity projects were added: random and lumpy scenarios
and the small demo. Regenerate only on purpose: ``KUZNIA_REGOLD=1 pytest this-file``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from kuznia.allocation import SolverOptions, plan_scenario
from kuznia.demo import generate
from kuznia.scenario.io import dump_scenario, scenario_sha256
from kuznia.scenario.plan import plan_document
from tests.support.factory import lumpy_scenario, random_scenario

GOLDEN = Path(__file__).parent / "golden" / "format1_plans.json"


def _plans() -> dict[str, Any]:
    cases = [(f"random-{i}", random_scenario(i)) for i in range(8)]
    cases += [(f"lumpy-{i}", lumpy_scenario(i)) for i in range(4)]
    cases.append(("small-1", generate("small", 1, "2026-01").scenario))  # a fixed start: no expiry
    out = {}
    for name, s in cases:
        data = dump_scenario(s)
        plan = plan_scenario(s, scenario_sha256(data), SolverOptions(time_limit=30)).plan
        doc = plan_document(plan)
        doc.pop("timings_s")
        out[name] = {"scenario": hashlib.sha256(data).hexdigest(), "plan": doc}
    return out


def test_format_1_plans_are_unchanged():
    plans = _plans()
    if os.environ.get("KUZNIA_REGOLD"):
        GOLDEN.write_text(json.dumps(plans, indent=1, sort_keys=True), encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert set(plans) == set(golden)
    for name, doc in plans.items():
        assert doc["scenario"] == golden[name]["scenario"], f"{name}: the scenario changed"
        _same_plan(name, doc["plan"], golden[name]["plan"])
        assert doc["plan"]["format"] == "kuznia.plan/1"
        assert "builds" not in doc["plan"]


def _same_plan(name: str, plan: dict[str, Any], golden: dict[str, Any]) -> None:
    """The same plan, row for row; where the engine's time share decided differently (a loaded
    machine reaches fewer improvements in the same seconds) the same status and value within
    the configured gap, with identical keys: the format itself must not change."""
    if plan == golden:
        return
    assert sorted(plan) == sorted(golden), f"{name}: the plan's fields changed"
    assert plan["status"] == golden["status"], f"{name}: the plan's status changed"
    gap = SolverOptions().mip_gap
    assert abs(plan["value"] - golden["value"]) <= gap * abs(golden["value"]) + 1e-6, (
        f"{name}: the plan's value changed beyond the gap"
    )
