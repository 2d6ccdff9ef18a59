"""The bounds of scenario/bounds.py hold in the database itself (issue 12: a pledge of
9223372036854775807 cents, latitude 999.99, dates such as 0001-01-01): every bounded column
has its CHECK constraint after the migrations, and a raw UPDATE past a bound is refused with the
table as it was, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from kuznia.db.bounds import BOUNDS, Bound, Holds
from kuznia.db.migrate import downgrade, upgrade
from kuznia.db.tables import metadata
from kuznia.scenario.bounds import MAX_AMOUNT_CENTS, MAX_MONTHS, MAX_UNITS
from kuznia.services.registries import records
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
}
"""A value just past each kind of bound (or far outside the window)."""
AFTER = {"valid_to": "2100-01"}  # before the window, it would come before valid_from
ALSO = {
    "accepted_units": "inspection_adds_up",
    "rejected_units": "inspection_adds_up|rejection_has_claim",
}
"""Columns another constraint bounds too (inspected units never exceed the delivery's; rejected
units need a claim, which SQLite may check first)."""


@pytest.fixture
def world(database):
    """A row in every bounded table: the test scenario, a site with coordinates, an investment
    into it, and a contract committed, paid and delivered."""
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


def test_migration_0007_keeps_every_row_of_a_database_in_use(world) -> None:
    """Adding the constraints rebuilds SQLite's tables (copy, drop, rename) while contracts,
    deliveries and money flows reference them: down to 0006 and up again, every row stays and
    every foreign key holds."""
    counts = {name: len(rows) for name, rows in dump_tables(world).items()}
    downgrade(world.engine, "0006")
    upgrade(world.engine)
    assert {name: len(rows) for name, rows in dump_tables(world).items()} == counts
    if world.engine.dialect.name == "sqlite":
        with world.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
