"""Small hand-made scenarios for tests (documents as plain dicts, so tests can break them)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

# The end of a test pledge's validity: it covers today whenever the tests run (commitments are
# dated today unless told otherwise, and must lie inside their pledge's validity), so no test
# world expires: December 2030, or of the year after the current one once that is later.
OPEN_UNTIL = f"{max(2030, datetime.now(UTC).year + 1)}-12"

BASE_DOCUMENT: dict[str, Any] = {
    "format": "kuznia.scenario/1",
    "start_month": "2026-01",
    "horizon_months": 12,
    "base_currency": "EUR",
    "fx_rates": {"USD": "0.92", "DKK": "0.134"},
    "lateness_decay": 0.97,
    "capabilities": [
        {"id": "fpv", "name": "FPV drone", "unit": "drone", "category": "drones"},
        {"id": "shell-155", "name": "155 mm shell", "unit": "round"},
    ],
    "requirements": [
        {
            "id": "req-1",
            "capability": "fpv",
            "quantity": 1000,
            "due_month": "2026-03",
            "priority": 2.0,
        },
        {
            "id": "req-2",
            "capability": "shell-155",
            "quantity": 500,
            "due_month": "2026-06",
            "priority": 9.5,
        },
    ],
    "proposals": [
        {
            "id": "line-1",
            "company": "co-ua-1",
            "company_country": "UA",
            "site_country": "UA",
            "capability": "fpv",
            "unit_cost": "550.00",
            "currency": "USD",
            "monthly_capacity": 400,
            "lead_time_months": 1,
            "ramp_up_months": 2,
            "setup_cost": "0.00",
            "min_total_units": 0,
            "ship_lag_months": 0,
            "kind": "in_ukraine",
        },
        {
            "id": "line-2",
            "company": "co-ua-2",
            "company_country": "UA",
            "site_country": "DK",
            "capability": "shell-155",
            "unit_cost": "4500.00",
            "currency": "EUR",
            "monthly_capacity": 100,
            "lead_time_months": 2,
            "ramp_up_months": 3,
            "setup_cost": "250000.00",
            "min_total_units": 100,
            "ship_lag_months": 1,
            "kind": "ukrainian_abroad",
            "offtake_until": "2027-12",
            "offtake_share_percent": 100,
        },
    ],
    "pledges": [
        {
            "id": "pledge-ua",
            "partner": "ua-budget",
            "amount": "300000.00",
            "currency": "EUR",
            "valid_from": "2026-01",
            "valid_to": OPEN_UNTIL,
            "capabilities": [],
            "site_countries": [],
            "company_countries": [],
        },
        {
            "id": "pledge-dk",
            "partner": "dk",
            "amount": "15000000.00",
            "currency": "DKK",
            "valid_from": "2025-06",
            "valid_to": OPEN_UNTIL,
            "capabilities": [],
            "site_countries": ["DK"],
            "company_countries": ["UA"],
        },
    ],
}


def scenario_document(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE_DOCUMENT)
    doc.update(changes)
    return doc


def scenario_bytes(doc: dict[str, Any] | None = None) -> bytes:
    return json.dumps(doc if doc is not None else BASE_DOCUMENT, indent=2).encode("utf-8")


def format2_document() -> dict[str, Any]:
    """The base scenario in format 2 with a foreign firm's FPV plant in Ukraine that the only
    FPV need cannot do without (the one FPV line covers a small part of it), and money for it."""
    doc = scenario_document(format="kuznia.scenario/2")
    doc["requirements"][0].update(quantity=3000, due_month="2026-10")
    doc["projects"] = [
        {
            "id": "proj-fpv", "company": "co-de-1", "company_country": "DE",
            "site_country": "UA", "capability": "fpv", "kind": "foreign_in_ukraine",
            "capex": "20000.00", "currency": "EUR", "earliest_start": "2026-01",
            "build_months": 1, "unit_cost": "300.00", "monthly_capacity": 600,
            "ramp_up_months": 1, "min_total_units": 0, "ship_lag_months": 0,
        }
    ]  # fmt: skip
    doc["pledges"].append(
        {
            "id": "pledge-invest", "partner": "de", "amount": "900000.00", "currency": "EUR",
            "valid_from": "2026-01", "valid_to": OPEN_UNTIL, "capabilities": [],
            "site_countries": [], "company_countries": [],
            "purposes": ["production", "investment"],
        }
    )  # fmt: skip
    return doc
