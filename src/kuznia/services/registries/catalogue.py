"""Listing the registries with filters, for the CLI (the API adds authorization on top)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.base import Record
from kuznia.errors import InvalidInput
from kuznia.money import format_cents
from kuznia.services.access.policy import SECRET_FIELDS


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
                "from_country",
                "to_country",
                "instrument",
                "amount_cents",
                "currency",
                "month",
            ),
            ("investor_company_id", "from_country", "to_country", "instrument"),
        ),
    )
}


def _coerce(model: type[Record], field: str, text: str) -> Any:
    column = model.__table__.c[field]
    if column.type.python_type is bool:
        if text.lower() not in {"true", "false", "yes", "no", "1", "0"}:
            raise InvalidInput.single(field, f"expected true or false, got {text!r}")
        return text.lower() in {"true", "yes", "1"}
    return text


def display_value(field: str, value: Any) -> Any:
    if field.endswith("_cents") and isinstance(value, int):
        return format_cents(value)
    if isinstance(value, list):
        return ",".join(value) or "-"
    return value


def list_records(
    session: Session,
    registry: str,
    filters: Mapping[str, str],
    *,
    search: str | None = None,
    sort: str = "id",
    limit: int = 50,
    offset: int = 0,
    show_secret: bool = False,
) -> tuple[int, list[dict[str, Any]], Sequence[str]]:
    """Rows of one registry matching equality ``filters`` and a name/id ``search``.

    Returns the total matched, the page of rows and the columns shown. Secret fields are left
    out unless ``show_secret``.
    """
    reg = REGISTRIES[registry]
    model = reg.model
    stmt = select(model)
    for field, text in filters.items():
        if field not in reg.filters:
            raise InvalidInput.single(
                field, f"cannot filter {registry} by {field}; try {', '.join(reg.filters)}"
            )
        stmt = stmt.where(getattr(model, field) == _coerce(model, field, text))
    if search:
        pattern = f"%{search.lower()}%"
        conditions = [func.lower(model.id).like(pattern)]
        if "name" in reg.columns:
            conditions.append(func.lower(model.__table__.c.name).like(pattern))
        stmt = stmt.where(or_(*conditions))
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in reg.columns:
        raise InvalidInput.single(
            "sort", f"cannot sort {registry} by {key}; try {', '.join(reg.columns)}"
        )
    order = getattr(model, key)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = session.scalars(
        stmt.order_by(order.desc() if descending else order, model.id).limit(limit).offset(offset)
    )
    hidden = set() if show_secret else SECRET_FIELDS.get(registry, frozenset())
    columns = [c for c in reg.columns if c not in hidden]
    rows = [{c: display_value(c, getattr(rec, c)) for c in columns} for rec in page]
    return total, rows, columns
