"""The bounds of scenario/bounds.py hold in the database itself (issue 12: a pledge of
9223372036854775807 cents, latitude 999.99, dates such as 0001-01-01): every bounded column
has its CHECK constraint after the migrations, and a raw UPDATE past a bound is refused with the
table as it was, on SQLite and PostgreSQL; and no numeric column of any table goes unbounded
unless it is listed below with the reason why."""

from __future__ import annotations

import pytest
from sqlalchemy import Float, Integer, Numeric, inspect, text
from sqlalchemy.exc import DBAPIError

from kuznia.db.bounds import BOUNDS, Bound, Holds
from kuznia.db.migrate import downgrade, upgrade
from kuznia.db.tables import metadata
from kuznia.scenario.bounds import (
    MAX_AMOUNT_CENTS,
    MAX_BUILD_MONTHS,
    MAX_CAPEX_CENTS,
    MAX_MONTHS,
    MAX_UNITS,
)
from kuznia.services.registries import records
from kuznia.services.resilience.classes import put_risk_class
from tests.integration.contracting.world import COORDINATOR, UA_BUDGET, fpv_draft, load_world
from tests.integration.contracting.world import signed as signed_contract
from tests.support.dump import dump_tables
from tests.support.settle import settle

PAST: dict[Holds, object] = {
    Holds.AMOUNT: MAX_AMOUNT_CENTS + 1,
    Holds.UNITS: MAX_UNITS + 1,
    Holds.MONTHS: MAX_MONTHS + 1,
    Holds.MONTH: "2019-05",
    Holds.DATE: "0001-01-01",
    Holds.LATITUDE: "999.99",
    Holds.LONGITUDE: "-180.01",
    Holds.PERCENT: 101,
    Holds.CAPEX: MAX_CAPEX_CENTS + 1,
    Holds.BUILD_MONTHS: MAX_BUILD_MONTHS + 1,
    Holds.SHARE: 1.01,
}
"""A value just past each kind of bound (or far outside the window)."""
AFTER = {"valid_to": "2100-01"}  # before the window, it would come before valid_from
ALSO = {
    "accepted_units": "inspection_adds_up",
    "rejected_units": "inspection_adds_up|rejection_has_claim",
    "monthly_probability": "monthly_probability",
    "capacity_loss": "capacity_loss",
}
"""Columns another constraint bounds too (inspected units never exceed the delivery's; rejected
units need a claim, which SQLite may check first; a risk class's probability and loss have
their own 0..1 checks since migration 0009)."""

UNBOUNDED: dict[str, str] = {
    "version": "a record's optimistic-lock counter, only ever incremented by the use cases",
    "audit_events.id": "a key",
    "audit_events.seq": "the commit sequence number, taken by the database",
    "change_index.seq": "the commit sequence number, taken by the database",
    "commit_sequence.id": "the single row's key",
    "commit_sequence.value": "the commit sequence, incremented under its lock",
    "contract_amendments.id": "a key",
    "ledger_checkpoints.id": "a key",
    "ledger_checkpoints.size": "a tree size, counted by the log",
    "ledger_head.id": "the single row's key",
    "ledger_head.size": "a tree size, counted by the log (checked non-negative)",
    "ledger_leaves.seq": "a leaf's index in the log (checked non-negative)",
    "ledger_nodes.level": "a node's position in the Merkle tree (checked)",
    "ledger_nodes.idx": "a node's position in the Merkle tree (checked)",
    "ledger_openings.seq": "a leaf's index in the log",
    "login_failures.id": "a key",
    "idempotency_keys.status_code": "the HTTP status of the stored answer, written by the API",
    "planning_settings.id": "the single row's key",
    "planning_settings.lateness_decay": "validated by the scenario model (0 < decay <= 1)",
    "requirements.priority": "checked positive; its upper bound is the scenario model's",
    "jobs.progress": "its own 0..1 check",
    "jobs.attempts": "counted by the job queue",
    "plan_scenarios.size": "the stored scenario's length in bytes",
    "plans.number": "a plan's number in sequence",
    "plans.value": "computed by the optimizer",
    "plans.total_spend_cents": "a plan's total, a sum of bounded amounts, computed",
    "risk_evaluations.paths": "checked at least 1; bounded by the evaluation's request model",
    "risk_evaluations.seed": "checked non-negative; any seed is a seed",
    "risk_evaluations.sample_paths": "how many sampled paths the evaluation keeps, computed",
}
"""Numeric columns with no bound in ``BOUNDS``, each with the reason (``version`` in every
table): keys, counters and computed figures no request writes."""


@pytest.fixture
def world(database):
    """A row in every bounded table: the test scenario, a site with coordinates, an investment
    into it, a capacity project there, a risk class, and a contract committed, paid and
    delivered."""
    load_world(database)
    with database.unit_of_work(COORDINATOR) as uow:
        site = records.create_record(uow, "sites", {
            "company_id": "co-ua-2", "name": "Plant", "country": "DK",
            "latitude": "55.40", "longitude": "10.38",
        })["id"]  # fmt: skip
        records.create_record(uow, "investments", {
            "investor_company_id": "co-ua-2", "target_site_id": site, "from_country": "UA",
            "to_country": "DK", "instrument": "equity", "amount_cents": 100_00,
            "currency": "EUR", "month": "2026-02",
        })  # fmt: skip
        records.create_record(uow, "capacity_projects", {
            "company_id": "co-ua-2", "site_id": site, "site_country": "DK",
            "capability_id": "shell-155", "capex_cents": 1_200_000_000, "currency": "EUR",
            "earliest_start": "2026-03", "build_months": 6, "unit_cost_cents": 11_000,
            "monthly_capacity": 500, "ramp_up_months": 2, "min_total_units": 0,
            "ship_lag_months": 1, "offtake_until": "2030-12", "offtake_share_percent": 80,
        })  # fmt: skip
        put_risk_class(uow, {
            "id": "exposed", "monthly_probability": 0.05, "capacity_loss": 0.5,
            "durations": [{"months": 2, "probability": 1.0}],
        })  # fmt: skip
    signed_contract(database, fpv_draft(), UA_BUDGET)
    settle(database, COORDINATOR, "contract-1")
    return database


def test_every_bound_is_a_check_constraint_of_the_migrated_database(database):
    with database.engine.connect() as conn:
        inspector = inspect(conn)
        for bound in BOUNDS:
            names = {c["name"] for c in inspector.get_check_constraints(bound.table)}
            assert f"ck_{bound.table}_{bound.name}" in names, bound
    declared = {
        c.name for t in metadata.tables.values() for c in t.constraints if "_bounded" in str(c.name)
    }
    assert declared == {f"ck_{b.table}_{b.name}" for b in BOUNDS}


@pytest.mark.parametrize("bound", BOUNDS, ids=lambda b: f"{b.table}.{b.column}")
def test_a_raw_update_past_a_bound_is_refused_and_changes_nothing(world, bound: Bound) -> None:
    with world.engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {bound.table}")).scalar_one() > 0
    before = dump_tables(world)
    value = AFTER.get(bound.column, PAST[bound.holds])
    names = f"ck_{bound.table}_({bound.name}|{ALSO.get(bound.column, bound.name)})"
    with pytest.raises(DBAPIError, match=names), world.engine.begin() as conn:
        conn.execute(text(f"UPDATE {bound.table} SET {bound.column} = :v"), {"v": value})
    assert dump_tables(world) == before


def test_values_at_the_bounds_are_stored(world) -> None:
    with world.engine.begin() as conn:
        conn.execute(text("UPDATE pledges SET amount_cents = :v"), {"v": MAX_AMOUNT_CENTS})
        conn.execute(text("UPDATE sites SET latitude = '-90', longitude = '180.0'"))
        conn.execute(text("UPDATE requirements SET due_month = '2099-12'"))


def test_every_numeric_column_of_every_table_is_bounded_or_says_why_not() -> None:
    bounded = {f"{b.table}.{b.column}" for b in BOUNDS}
    numeric = {
        f"{table.name}.{column.name}"
        for table in metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, (Integer, Float, Numeric)) and column.name != "version"
    }
    missing = sorted(numeric - bounded - set(UNBOUNDED))
    assert not missing, f"add a Bound to db/bounds.BOUNDS (and a migration) for {missing}"
    assert not bounded & set(UNBOUNDED), "a column is bounded and listed as unbounded"
    assert set(UNBOUNDED) - {"version"} <= numeric, "an exempted column no longer exists"


@pytest.mark.parametrize(
    ("revision", "later_tables"),
    [("0006", {"capacity_projects", "risk_classes"}), ("0011", set())],
    ids=["0007", "0012"],
)
def test_adding_the_bounds_keeps_every_row_of_a_database_in_use(
    world, revision: str, later_tables: set[str]
) -> None:
    """Adding the constraints (0007, then 0012) rebuilds SQLite's tables (copy, drop, rename)
    while contracts, deliveries, money flows and projects reference them: down to the revision
    before and up again, every row stays and every foreign key holds (but in the tables that
    revision had not yet: they go, and come back empty)."""
    counts = {name: len(rows) for name, rows in dump_tables(world).items()}
    assert counts["capacity_projects"] == counts["risk_classes"] == 1
    downgrade(world.engine, revision)
    upgrade(world.engine)
    counts.update(dict.fromkeys(later_tables, 0))
    assert {name: len(rows) for name, rows in dump_tables(world).items()} == counts
    if world.engine.dialect.name == "sqlite":
        with world.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
