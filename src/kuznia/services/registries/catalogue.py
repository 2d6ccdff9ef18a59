"""The registries: each one's table, the columns a list shows and the fields it filters by.

Listing them (filter, search, sort, page, under the access policy) is ``registries.listing``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import ARRAY, JSON, DateTime, FromClause

from kuznia.db import registries as db
from kuznia.db.base import Record
from kuznia.money import format_cents


@dataclass(frozen=True, slots=True)
class Registry:
    name: str
    model: type[Record]
    columns: tuple[str, ...]
    filters: tuple[str, ...]


REGISTRIES: Mapping[str, Registry] = {
    r.name: r
    for r in (
        Registry("capabilities", db.Capability, ("id", "name", "unit", "category"), ("category",)),
        Registry(
            "requirements",
            db.Requirement,
            ("id", "capability_id", "quantity", "due_month", "priority"),
            ("capability_id", "due_month"),
        ),
        Registry("partners", db.Partner, ("id", "name", "country", "kind"), ("country", "kind")),
        Registry(
            "companies",
            db.Company,
            ("id", "name", "country", "ukrainian", "state_owned"),
            ("country", "ukrainian", "state_owned"),
        ),
        Registry(
            "sites",
            db.Site,
            ("id", "company_id", "name", "country", "address", "latitude", "longitude"),
            ("company_id", "country"),
        ),
        Registry(
            "proposals",
            db.Proposal,
            (
                "id",
                "company_id",
                "site_country",
                "capability_id",
                "kind",
                "unit_cost_cents",
                "currency",
                "monthly_capacity",
                "lead_time_months",
                "status",
            ),
            ("company_id", "site_country", "capability_id", "kind", "status", "currency"),
        ),
        Registry(
            "capacity_projects",
            db.CapacityProject,
            (
                "id",
                "company_id",
                "site_country",
                "capability_id",
                "kind",
                "capex_cents",
                "currency",
                "earliest_start",
                "build_months",
                "monthly_capacity",
                "status",
            ),
            ("company_id", "site_country", "capability_id", "kind", "status", "currency"),
        ),
        Registry(
            "pledges",
            db.Pledge,
            (
                "id",
                "partner_id",
                "amount_cents",
                "currency",
                "valid_from",
                "valid_to",
                "earmark_capabilities",
                "earmark_site_countries",
                "earmark_company_countries",
                "earmark_projects",
                "purposes",
                "status",
            ),
            ("partner_id", "status", "currency"),
        ),
        Registry(
            "investments",
            db.Investment,
            (
                "id",
                "investor_company_id",
                "target_company_id",
                "target_site_id",
                "target_project_id",
                "from_country",
                "to_country",
                "instrument",
                "amount_cents",
                "currency",
                "month",
            ),
            (
                "investor_company_id",
                "target_project_id",
                "from_country",
                "to_country",
                "instrument",
            ),
        ),
    )
}


@cache
def unplain_columns(table: FromClause) -> tuple[str, ...]:
    """The columns of ``table`` whose values :func:`plain` may change (times and JSON): a list
    converts only these, instead of every value of every row."""
    return tuple(
        c.name
        for c in table.columns
        if isinstance(getattr(c.type, "impl_instance", c.type), DateTime | JSON | ARRAY)
    )


def plain(value: Any) -> Any:
    """A column value that outlives its row: lists copied, times in UTC (SQLite drops the zone)."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def display_value(field: str, value: Any) -> Any:
    if field.endswith("_cents") and isinstance(value, int):
        return format_cents(value)
    if isinstance(value, list):
        return ",".join(value) or "-"
    return value
