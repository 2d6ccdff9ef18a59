"""The bounds of ``scenario/bounds.py`` as CHECK constraints, so that the database itself cannot
store what the scenario format, the optimizer and SQL sums cannot carry (a raw INSERT or UPDATE
is refused as surely as a request). One row per column: its table, its column and what it holds;
``attach`` adds them to the tables' metadata, migrations 0007 and 0011 to the database (the same
SQL: a test compares them on SQLite and PostgreSQL, and another fails for a numeric column of
any table that is neither bounded here nor exempted with its reason).

Named ``ck_<table>_<column>_bounded``. Amounts are cents (at most ``MAX_AMOUNT_CENTS``; a
project's capex above 0 and at most ``MAX_CAPEX_CENTS``), units and quantities at most
``MAX_UNITS``, month counts at most ``MAX_MONTHS`` (build months ``MAX_BUILD_MONTHS``), months and
dates in the mechanism's window, coordinates in degrees (they are stored as decimal text),
percentages 1..100, probabilities and shares 0..1.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import CheckConstraint, MetaData

from kuznia.scenario.bounds import (
    EARLIEST_DATE,
    EARLIEST_MONTH,
    LATEST_DATE,
    LATEST_MONTH,
    MAX_AMOUNT_CENTS,
    MAX_BUILD_MONTHS,
    MAX_CAPEX_CENTS,
    MAX_MONTHS,
    MAX_UNITS,
)


class Holds(StrEnum):
    """What a bounded column holds, and so its bound (:data:`RANGES`)."""

    AMOUNT = "amount"  # cents, 0..MAX_AMOUNT_CENTS
    CAPEX = "capex"  # cents, 1..MAX_CAPEX_CENTS
    UNITS = "units"  # 0..MAX_UNITS
    MONTHS = "months"  # a count of months, 0..MAX_MONTHS
    BUILD_MONTHS = "build_months"  # 0..MAX_BUILD_MONTHS
    MONTH = "month"  # "YYYY-MM" in the window
    DATE = "date"  # a date in the window
    LATITUDE = "latitude"  # degrees, -90..90, as text
    LONGITUDE = "longitude"  # degrees, -180..180, as text
    PERCENT = "percent"  # 1..100
    SHARE = "share"  # a probability or a share, 0..1


RANGES: Mapping[Holds, tuple[object, object]] = {
    Holds.AMOUNT: (0, MAX_AMOUNT_CENTS),
    Holds.CAPEX: (1, MAX_CAPEX_CENTS),
    Holds.UNITS: (0, MAX_UNITS),
    Holds.MONTHS: (0, MAX_MONTHS),
    Holds.BUILD_MONTHS: (0, MAX_BUILD_MONTHS),
    Holds.MONTH: (f"'{EARLIEST_MONTH}'", f"'{LATEST_MONTH}'"),
    Holds.DATE: (f"'{EARLIEST_DATE.isoformat()}'", f"'{LATEST_DATE.isoformat()}'"),
    Holds.LATITUDE: (-90, 90),
    Holds.LONGITUDE: (-180, 180),
    Holds.PERCENT: (1, 100),
    Holds.SHARE: (0, 1),
}
"""The inclusive range of each kind of column, as SQL literals."""
AS_TEXT = frozenset({Holds.LATITUDE, Holds.LONGITUDE})
"""Numbers stored as decimal text, compared as numbers."""


@dataclass(frozen=True, slots=True)
class Bound:
    table: str
    column: str
    holds: Holds
    nullable: bool = False

    @property
    def name(self) -> str:
        """The constraint's name before the naming convention adds ``ck_<table>_``."""
        return f"{self.column}_bounded"

    @property
    def sql(self) -> str:
        c = self.column
        low, high = RANGES[self.holds]
        value = f"CAST({c} AS NUMERIC)" if self.holds in AS_TEXT else c
        test = f"{value} BETWEEN {low} AND {high}"
        return f"{c} IS NULL OR {test}" if self.nullable else test


def _table(
    table: str, columns: Mapping[Holds, tuple[str, ...]], *, nullable: Iterable[str] = ()
) -> Iterator[Bound]:
    """The bounds of one table: the columns holding each kind, ``nullable`` those that may be
    empty."""
    empty = frozenset(nullable)
    return (
        Bound(table, column, holds, column in empty)
        for holds, names in columns.items()
        for column in names
    )


A, U, M, MO, D = Holds.AMOUNT, Holds.UNITS, Holds.MONTHS, Holds.MONTH, Holds.DATE
BOUNDS: tuple[Bound, ...] = (
    *_table("planning_settings", {MO: ("start_month",), M: ("horizon_months",)}),
    *_table("requirements", {U: ("quantity",), MO: ("due_month",)}),
    *_table(
        "sites",
        {Holds.LATITUDE: ("latitude",), Holds.LONGITUDE: ("longitude",)},
        nullable=("latitude", "longitude"),
    ),
    *_table(
        "proposals",
        {
            A: ("unit_cost_cents", "setup_cost_cents"),
            U: ("monthly_capacity", "min_total_units"),
            M: ("lead_time_months", "ramp_up_months", "ship_lag_months"),
            MO: ("offtake_until",),
            Holds.PERCENT: ("offtake_share_percent",),
        },
        nullable=("offtake_until", "offtake_share_percent"),
    ),
    *_table("pledges", {A: ("amount_cents",), MO: ("valid_from", "valid_to")}),
    *_table("investments", {A: ("amount_cents",), MO: ("month",)}),
    *_table(
        "contracts",
        {U: ("units",), A: ("amount_cents",), D: ("offtake_until", "export_licence_expiry")},
        nullable=("offtake_until", "export_licence_expiry"),
    ),
    *_table("contract_schedule", {MO: ("month",), U: ("units",)}),
    *_table(
        "money_flows",
        {A: ("amount_cents", "original_amount_cents"), D: ("value_date",)},
        nullable=("original_amount_cents",),
    ),
    *_table(
        "deliveries",
        {MO: ("month",), D: ("delivered_on",), U: ("units", "accepted_units", "rejected_units")},
    ),
    # migration 0011
    *_table(
        "capacity_projects",
        {
            Holds.CAPEX: ("capex_cents",),
            MO: ("earliest_start", "offtake_until"),
            Holds.BUILD_MONTHS: ("build_months",),
            A: ("unit_cost_cents",),
            U: ("monthly_capacity", "min_total_units"),
            M: ("ramp_up_months", "ship_lag_months"),
            Holds.PERCENT: ("offtake_share_percent",),
        },
        nullable=("offtake_until", "offtake_share_percent"),
    ),
    *_table("risk_classes", {Holds.SHARE: ("monthly_probability", "capacity_loss")}),
)
"""Every bounded column of the tables (migration 0007, then 0011 for the tables after it)."""


def attach(metadata: MetaData) -> None:
    """Add each bound to its table (once: ``db/tables.py`` calls it)."""
    for bound in BOUNDS:
        table = metadata.tables[bound.table]
        names = {c.name for c in table.constraints}
        if f"ck_{bound.table}_{bound.name}" not in names and bound.name not in names:
            table.append_constraint(CheckConstraint(bound.sql, name=bound.name))
