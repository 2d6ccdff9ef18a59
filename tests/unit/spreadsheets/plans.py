"""A hand-made plan of the small scenario in tests/factories.py."""

from __future__ import annotations

from typing import Any

from kuznia.scenario.io import scenario_sha256
from kuznia.scenario.plan import Plan
from tests.factories import scenario_bytes

SCENARIO = scenario_bytes()


def small_plan(**changes: Any) -> Plan:
    document = {
        "scenario_sha256": scenario_sha256(SCENARIO),
        "status": "optimal",
        "solver": {"name": "highs", "version": "1.16", "mip_gap": 0.0005, "method": "lp"},
        "timings_s": {"build": 0.1, "solve": 0.2, "total": 0.4},
        "value": 1234.5,
        "total_spend": "306000.00",
        "production": [
            {"proposal": "line-1", "month": "2026-02", "units": 200},
            {"proposal": "line-2", "month": "2026-04", "units": 10},
        ],
        "funding": [
            {
                "pledge": "pledge-ua",
                "proposal": "line-1",
                "month": "2026-02",
                "units": 200,
                "amount": "101200.00",
            },
            {
                "pledge": "pledge-dk",
                "proposal": "line-2",
                "month": "2026-04",
                "units": 10,
                "amount": "45000.00",
            },
        ],
        "setup": [{"pledge": "pledge-dk", "proposal": "line-2", "amount": "250000.00"}],
        "deliveries": [
            {"requirement": "req-1", "proposal": "line-1", "month": "2026-05", "units": 200},
            {"requirement": "req-2", "proposal": "line-2", "month": "2026-05", "units": 10},
        ],
        "unmet": [
            {"requirement": "req-1", "units": 800, "reason": "insufficient_budget"},
            {"requirement": "req-2", "units": 490, "reason": "insufficient_capacity"},
        ],
        "marginal_value": {"pledges": {"pledge-ua": 12.5, "pledge-dk": 0.0}},
        "baseline": {"value": 1000.0, "total_spend": "300000.00"},
    }
    document.update(changes)
    return Plan.model_validate(document)
