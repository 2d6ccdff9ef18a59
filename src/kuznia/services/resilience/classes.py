"""The coordinator's disruption model: risk classes, and which class each site is in.

Every write checks its input with the ``kuznia.risk/1`` models (the same rules as a risk file),
names the field of every problem, and is recorded in the unit of work (audit trail and log; a
site's class is a secret field, logged as a salted commitment).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kuznia.db.registries import Site
from kuznia.db.resilience import RiskClassRow, SiteRisk
from kuznia.errors import Conflict, InvalidInput, NotFound
from kuznia.risk.model import RiskClass
from kuznia.scenario.io import pydantic_problems
from kuznia.services.access.policy import Action, Viewer, scope_of
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.records import document


def checked_class(fields: dict[str, Any]) -> RiskClass:
    """A risk class from a request body or form: every problem named by its field."""
    try:
        return RiskClass.model_validate(fields)
    except ValidationError as exc:
        raise InvalidInput(pydantic_problems(exc), "the risk class is not valid") from None


def parse_durations(text: str) -> list[dict[str, Any]]:
    """``"1:0.5, 2:0.3, 4:0.2"`` (months:probability) as the durations of a risk class."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        months, sep, probability = part.partition(":")
        try:
            out.append({"months": int(months), "probability": float(probability)})
        except ValueError:
            msg = f"{part!r} is not months:probability (e.g. 1:0.5, 2:0.5)"
            raise InvalidInput.single("durations", msg) from None
        if not sep:
            raise InvalidInput.single("durations", f"{part!r} is not months:probability")
    return out


def class_fields(c: RiskClass) -> dict[str, Any]:
    return {
        "name": c.name or c.id,
        "monthly_probability": c.monthly_probability,
        "capacity_loss": c.capacity_loss,
        "durations": [d.model_dump() for d in c.durations],
    }


def put_risk_class(uow: UnitOfWork, fields: dict[str, Any]) -> dict[str, Any]:
    """Create or replace a risk class (the coordinator only)."""
    c = checked_class(fields)
    row = uow.session.get(RiskClassRow, c.id)
    if row is None:
        scope_of(uow.actor, "risk_classes", Action.CREATE)
        row = RiskClassRow(id=c.id, version=1, **class_fields(c))
        uow.session.add(row)
        uow.session.flush()
        uow.record("risk_classes", c.id, "create", None, document(row))
        return document(row)
    scope_of(uow.actor, "risk_classes", Action.UPDATE)
    before = document(row)
    for name, value in class_fields(c).items():
        setattr(row, name, value)
    row.version += 1
    uow.session.flush()
    uow.record("risk_classes", c.id, "update", before, document(row))
    return document(row)


def delete_risk_class(uow: UnitOfWork, class_id: str) -> None:
    scope_of(uow.actor, "risk_classes", Action.DELETE)
    row = uow.session.get(RiskClassRow, class_id)
    if row is None:
        raise NotFound(f"no risk class {class_id!r}")
    stmt = select(func.count()).select_from(SiteRisk).where(SiteRisk.risk_class_id == class_id)
    used = uow.session.scalar(stmt) or 0
    if used:
        msg = f"id: risk class {class_id!r} is the class of {used} site(s): move them first"
        raise Conflict(msg)
    before = document(row)
    uow.session.delete(row)
    uow.session.flush()
    uow.record("risk_classes", class_id, "delete", before, None)


def set_site_class(uow: UnitOfWork, site_id: str, class_id: str | None) -> dict[str, Any] | None:
    """Put a site in a risk class, or (``None``) take it out of every class."""
    if uow.session.get(Site, site_id) is None:
        raise InvalidInput.single("site_id", f"unknown site {site_id!r}")
    if class_id is not None and uow.session.get(RiskClassRow, class_id) is None:
        raise InvalidInput.single("risk_class_id", f"unknown risk class {class_id!r}")
    row = uow.session.get(SiteRisk, site_id)
    if row is None and class_id is None:
        return None
    if row is None:
        scope_of(uow.actor, "site_risks", Action.CREATE)
        row = SiteRisk(id=site_id, site_id=site_id, risk_class_id=class_id, version=1)
        uow.session.add(row)
        uow.session.flush()
        uow.record("site_risks", site_id, "create", None, document(row))
        return document(row)
    before = document(row)
    if class_id is None:
        scope_of(uow.actor, "site_risks", Action.DELETE)
        uow.session.delete(row)
        uow.session.flush()
        uow.record("site_risks", site_id, "delete", before, None)
        return None
    scope_of(uow.actor, "site_risks", Action.UPDATE)
    row.risk_class_id, row.version = class_id, row.version + 1
    uow.session.flush()
    uow.record("site_risks", site_id, "update", before, document(row))
    return document(row)


def list_risk_classes(session: Session, viewer: Viewer) -> list[dict[str, Any]]:
    """Every risk class, with how many of the sites whose class the viewer sees are in it
    (None for a role that sees no site's class: a count of one would name a site's class)."""
    viewer.scope("risk_classes", Action.READ)
    rows = session.scalars(select(RiskClassRow).order_by(RiskClassRow.id))
    if not viewer.sees_some_secrets("site_risks"):
        return [{**document(r), "sites": None} for r in rows]
    stmt = (
        select(SiteRisk.risk_class_id, func.count())
        .where(viewer.seen_condition("site_risks"))
        .group_by(SiteRisk.risk_class_id)
    )
    counts = {str(k): int(n) for k, n in session.execute(stmt)}
    return [{**document(r), "sites": counts.get(r.id, 0)} for r in rows]
