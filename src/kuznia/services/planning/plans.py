"""Plans: run the optimizer on the database's current scenario, keep the result, list, show and
compare plans.

A run exports the scenario (vetted proposals, confirmed pledges; optionally also those not yet
reviewed), takes the SHA-256 of its canonical bytes, solves it, and stores the plan document
beside that digest, so anyone holding the same scenario file can check what the plan was made
from. Who may see what: the ministry runs plans; the ministry, auditors and partners read them;
a partner sees the money of its own pledges only (funding, setup and marginal value rows of
other partners' pledges are left out). Companies learn of financing through contracts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.base import as_utc
from kuznia.db.planning import StoredPlan
from kuznia.errors import InvalidInput, NotFound
from kuznia.money import format_cents, parse_decimal_amount, round_cents
from kuznia.services.access.policy import Action, Viewer
from kuznia.services.kernel.actors import Role


@dataclass(frozen=True, slots=True)
class PlanPage:
    items: list[dict[str, Any]]
    next_cursor: int | None


def summary(row: StoredPlan) -> dict[str, Any]:
    created = as_utc(row.created_at)
    return {
        "id": row.id,
        "number": row.number,
        "created_at": created,
        "created_by": row.created_by,
        "label": row.label,
        "scenario_sha256": row.scenario_sha256,
        "include_unreviewed": row.include_unreviewed,
        "status": row.status,
        "value": row.value,
        "total_spend": format_cents(row.total_spend_cents),
        "base_currency": row.base_currency,
    }


def list_plans(
    session: Session, viewer: Viewer, *, before: int | None = None, limit: int = 50
) -> PlanPage:
    """Plans, newest first; ``before`` is the ``next_cursor`` of the previous page."""
    viewer.scope("plans", Action.READ)
    stmt = select(StoredPlan).order_by(StoredPlan.number.desc()).limit(limit + 1)
    if before is not None:
        stmt = stmt.where(StoredPlan.number < before)
    rows = list(session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    return PlanPage([summary(r) for r in rows], rows[-1].number if more and rows else None)


def _stored(session: Session, viewer: Viewer, plan_id: str) -> StoredPlan:
    viewer.scope("plans", Action.READ)
    row = session.get(StoredPlan, plan_id)
    if row is None:
        raise NotFound(f"no plan {plan_id!r}")
    return row


def _own_pledges(session: Session, viewer: Viewer) -> set[str] | None:
    """The pledges whose money this viewer may see in a plan; None means all."""
    if viewer.actor.role is not Role.PARTNER:
        return None
    stmt = select(db.Pledge.id).where(db.Pledge.partner_id == viewer.actor.partner_id)
    return set(session.scalars(stmt))


def _visible_document(document: dict[str, Any], pledges: set[str] | None) -> dict[str, Any]:
    if pledges is None:
        return document
    shown = dict(document)
    for part in ("funding", "setup"):
        shown[part] = [r for r in document.get(part, []) if r["pledge"] in pledges]
    marginal = document.get("marginal_value", {}).get("pledges", {})
    shown["marginal_value"] = {"pledges": {k: v for k, v in marginal.items() if k in pledges}}
    return shown


def get_plan(session: Session, viewer: Viewer, plan_id: str) -> dict[str, Any]:
    """A plan's summary and its document (a partner sees only its own pledges' money)."""
    row = _stored(session, viewer, plan_id)
    document = _visible_document(row.document, _own_pledges(session, viewer))
    return {**summary(row), "plan": document}


def _totals(rows: Iterable[dict[str, Any]], key: str, amount: str) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        value = row[amount]
        sums[row[key]] += parse_decimal_amount(value) if isinstance(value, str) else Decimal(value)
    return sums


def _differences(
    a: dict[str, Decimal], b: dict[str, Decimal], key: str, *, money: bool = False
) -> list[dict[str, Any]]:
    def shown(value: Decimal) -> Any:
        return format_cents(round_cents(value)) if money else int(value)

    zero = Decimal(0)
    return [
        {key: k, "a": shown(a.get(k, zero)), "b": shown(b.get(k, zero))}
        for k in sorted(set(a) | set(b))
        if a.get(k, zero) != b.get(k, zero)
    ]


def compare_plans(session: Session, viewer: Viewer, plan_a: str, plan_b: str) -> dict[str, Any]:
    """What changed from plan ``a`` to plan ``b``: headline figures, then units delivered per
    requirement, units produced per proposal and money spent per pledge, where they differ."""
    if plan_a == plan_b:
        raise InvalidInput.single("with", "compare a plan with another plan")
    rows = _stored(session, viewer, plan_a), _stored(session, viewer, plan_b)
    pledges = _own_pledges(session, viewer)
    docs = [_visible_document(r.document, pledges) for r in rows]

    def spend(doc: dict[str, Any]) -> dict[str, Decimal]:
        money = _totals(doc.get("funding", []), "pledge", "amount")
        for pledge, amount in _totals(doc.get("setup", []), "pledge", "amount").items():
            money[pledge] += amount
        return money

    delivered = [_totals(d.get("deliveries", []), "requirement", "units") for d in docs]
    produced = [_totals(d.get("production", []), "proposal", "units") for d in docs]
    return {
        "a": summary(rows[0]),
        "b": summary(rows[1]),
        "same_scenario": rows[0].scenario_sha256 == rows[1].scenario_sha256,
        "value_change": rows[1].value - rows[0].value,
        "spend_change": format_cents(rows[1].total_spend_cents - rows[0].total_spend_cents),
        "requirements": _differences(delivered[0], delivered[1], "requirement"),
        "proposals": _differences(produced[0], produced[1], "proposal"),
        "pledges": _differences(spend(docs[0]), spend(docs[1]), "pledge", money=True),
    }


def public_plan(session: Session) -> dict[str, Any]:
    """The newest plan as aggregates anyone may read: per capability, units needed and units
    the plan delivers; the plan's status and total spend. No pledge, proposal or company."""
    row = session.scalars(select(StoredPlan).order_by(StoredPlan.number.desc()).limit(1)).first()
    if row is None:
        raise NotFound("no plan has been run yet")
    pairs = select(db.Requirement.id, db.Requirement.capability_id)
    capability_of: dict[str, str] = {r[0]: r[1] for r in session.execute(pairs)}
    needed: dict[str, int] = defaultdict(int)
    for cap, quantity in session.execute(
        select(db.Requirement.capability_id, db.Requirement.quantity)
    ):
        needed[cap] += quantity
    planned: dict[str, int] = defaultdict(int)
    for delivery in row.document.get("deliveries", []):
        planned[capability_of.get(delivery["requirement"], "unknown")] += delivery["units"]
    head = summary(row)
    return {
        **{k: head[k] for k in ("number", "created_at", "status", "total_spend", "base_currency")},
        "scenario_sha256": row.scenario_sha256,
        "capabilities": [
            {"capability_id": c, "needed_units": needed.get(c, 0), "planned_units": planned[c]}
            for c in sorted(set(needed) | set(planned))
        ],
    }


def plan_of_scenario(session: Session, viewer: Viewer, sha256: str) -> dict[str, Any]:
    """The newest stored plan of the scenario with digest ``sha256`` (as :func:`get_plan`)."""
    viewer.scope("plans", Action.READ)
    stmt = select(StoredPlan.id).where(StoredPlan.scenario_sha256 == sha256)
    plan_id = session.scalars(stmt.order_by(StoredPlan.number.desc())).first()
    if plan_id is None:
        raise NotFound(f"no stored plan of scenario {sha256}")
    return get_plan(session, viewer, plan_id)
