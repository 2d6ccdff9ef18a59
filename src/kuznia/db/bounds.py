"""The bounds of ``scenario/bounds.py`` as CHECK constraints, so that the database itself cannot
store what the scenario format, the optimizer and SQL sums cannot carry (a raw INSERT or UPDATE
is refused as surely as a request). One row per column: its table, its column and what it holds;
``attach`` adds them to the tables' metadata, migration 0007 to the database (the same SQL: a
test compares them on SQLite and PostgreSQL).

Named ``ck_<table>_<column>_bounded``. Amounts are cents (at most ``MAX_AMOUNT_CENTS``), units
and quantities at most ``MAX_UNITS``, month counts at most ``MAX_MONTHS``, months and dates in
the mechanism's window, coordinates in degrees (they are stored as decimal text).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import CheckConstraint, MetaData

from kuznia.scenario.bounds import (
    EARLIEST_DATE,
    EARLIEST_MONTH,
    LATEST_DATE,
    LATEST_MONTH,
    MAX_AMOUNT_CENTS,
    MAX_MONTHS,
    MAX_UNITS,
)


class Holds(StrEnum):
    """What a bounded column holds, and so its bound."""

    AMOUNT = "amount"  # cents, 0..MAX_AMOUNT_CENTS
    UNITS = "units"  # 0..MAX_UNITS
    MONTHS = "months"  # a count of months, 0..MAX_MONTHS
    MONTH = "month"  # "YYYY-MM" in the window
    DATE = "date"  # a date in the window
    LATITUDE = "latitude"  # degrees, -90..90, as text
    LONGITUDE = "longitude"  # degrees, -180..180, as text
    PERCENT = "percent"  # 1..100


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
        match self.holds:
            case Holds.AMOUNT:
                test = f"{c} BETWEEN 0 AND {MAX_AMOUNT_CENTS}"
            case Holds.UNITS:
                test = f"{c} BETWEEN 0 AND {MAX_UNITS}"
            case Holds.MONTHS:
                test = f"{c} BETWEEN 0 AND {MAX_MONTHS}"
            case Holds.MONTH:
                test = f"{c} BETWEEN '{EARLIEST_MONTH}' AND '{LATEST_MONTH}'"
            case Holds.DATE:
                test = f"{c} BETWEEN '{EARLIEST_DATE.isoformat()}' AND '{LATEST_DATE.isoformat()}'"
            case Holds.LATITUDE:
                test = f"CAST({c} AS NUMERIC) BETWEEN -90 AND 90"
            case Holds.LONGITUDE:
                test = f"CAST({c} AS NUMERIC) BETWEEN -180 AND 180"
            case Holds.PERCENT:
                test = f"{c} BETWEEN 1 AND 100"
        return f"{c} IS NULL OR {test}" if self.nullable else test


def _b(table: str, holds: Holds, *columns: str, nullable: bool = False) -> Iterator[Bound]:
    return (Bound(table, column, holds, nullable) for column in columns)


BOUNDS: tuple[Bound, ...] = (
    *_b("planning_settings", Holds.MONTH, "start_month"),
    *_b("planning_settings", Holds.MONTHS, "horizon_months"),
    *_b("requirements", Holds.UNITS, "quantity"),
    *_b("requirements", Holds.MONTH, "due_month"),
    *_b("sites", Holds.LATITUDE, "latitude", nullable=True),
    *_b("sites", Holds.LONGITUDE, "longitude", nullable=True),
    *_b("proposals", Holds.AMOUNT, "unit_cost_cents", "setup_cost_cents"),
    *_b("proposals", Holds.UNITS, "monthly_capacity", "min_total_units"),
    *_b("proposals", Holds.MONTHS, "lead_time_months", "ramp_up_months", "ship_lag_months"),
    *_b("proposals", Holds.MONTH, "offtake_until", nullable=True),
    *_b("proposals", Holds.PERCENT, "offtake_share_percent", nullable=True),
    *_b("pledges", Holds.AMOUNT, "amount_cents"),
    *_b("pledges", Holds.MONTH, "valid_from", "valid_to"),
    *_b("investments", Holds.AMOUNT, "amount_cents"),
    *_b("investments", Holds.MONTH, "month"),
    *_b("contracts", Holds.UNITS, "units"),
    *_b("contracts", Holds.AMOUNT, "amount_cents"),
    *_b("contracts", Holds.DATE, "offtake_until", "export_licence_expiry", nullable=True),
    *_b("contract_schedule", Holds.MONTH, "month"),
    *_b("contract_schedule", Holds.UNITS, "units"),
    *_b("money_flows", Holds.AMOUNT, "amount_cents"),
    *_b("money_flows", Holds.AMOUNT, "original_amount_cents", nullable=True),
    *_b("money_flows", Holds.DATE, "value_date"),
    *_b("deliveries", Holds.MONTH, "month"),
    *_b("deliveries", Holds.DATE, "delivered_on"),
    *_b("deliveries", Holds.UNITS, "units", "accepted_units", "rejected_units"),
)
"""Every bounded column of the tables (the same list as migration 0007)."""


def attach(metadata: MetaData) -> None:
    """Add each bound to its table (once: ``db/tables.py`` calls it)."""
    for bound in BOUNDS:
        table = metadata.tables[bound.table]
        names = {c.name for c in table.constraints}
        if f"ck_{bound.table}_{bound.name}" not in names and bound.name not in names:
            table.append_constraint(CheckConstraint(bound.sql, name=bound.name))
