"""Registry use cases -- list, get, create, update, delete, review -- with authorization.

Each use case states who may do it through :mod:`kuznia.services.access.policy` and returns
documents already redacted for the actor. Writing use cases take the commit sequence number
first (:func:`~kuznia.services.kernel.commit_sequence.begin_write`) and report every change to
the unit of work, so the audit trail and the change index follow without the caller doing
anything.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.base import Record
from kuznia.db.registries import PledgeStatus, ProjectStatus, ProposalStatus
from kuznia.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    Problem,
)
from kuznia.services.access.policy import (
    OWNER_FIELD,
    Action,
    Scope,
    Viewer,
    owns,
    scope_of,
)
from kuznia.services.access.policy import owner_value as owner_of
from kuznia.services.kernel.commit_sequence import begin_write
from kuznia.services.kernel.integrity import flush_or_conflict, insert_new, refuse_taken_id
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.catalogue import REGISTRIES, plain
from kuznia.services.registries.lifecycle import (
    REASON_REQUIRED,
    REVIEW_DECISIONS,
    PledgeAction,
    ProjectAction,
    ProposalAction,
    check_pledge,
    check_project,
    check_proposal,
    project_action_towards,
    set_pledge_status,
)
from kuznia.services.registries.listing import ListQuery
from kuznia.services.registries.listing import list_records as list_page
from kuznia.services.registries.project_rules import (
    investment_change_problems,
    investment_problems,
    project_problems,
)
from kuznia.services.registries.projects import enter_proposals
from kuznia.services.registries.record_schemas import SINGULAR
from kuznia.services.registries.rules import (
    derived_kind,
    kind_problems,
    pledge_change_problems,
    site_problems,
)

ID_PREFIX: Mapping[str, str] = {
    "capabilities": "cap",
    "requirements": "req",
    "partners": "partner",
    "companies": "co",
    "sites": "site",
    "proposals": "prop",
    "capacity_projects": "proj",
    "pledges": "pledge",
    "investments": "inv",
}


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def document(row: Record) -> dict[str, Any]:
    """Every column of a row, by name, times in UTC, lists copied to outlive the row."""
    return {c.name: plain(getattr(row, c.name)) for c in row.__table__.columns}


def _label(entity: str, record_id: str) -> str:
    return f"{SINGULAR[entity].lower()} {record_id!r}"


def _model(entity: str) -> type[Record]:
    return REGISTRIES[entity].model


# ---------------------------------------------------------------------------------- reading


def list_records(session: Session, viewer: Viewer, entity: str, query: Mapping[str, Any]) -> Page:
    """One page of the records of ``entity`` the viewer may read (the API's query: equality
    filters, ``sort``, ``cursor``, ``limit``), by the one registry listing: in commit order
    by default, which never skips a record (one changed while a client pages moves to the end
    and is seen again)."""
    filters = {k: query[k] for k in REGISTRIES[entity].filters if query.get(k) is not None}
    listing = list_page(
        session,
        viewer,
        entity,
        ListQuery(
            filters=filters,
            sort=str(query.get("sort") or "seq"),
            limit=int(query.get("limit") or 50),
            cursor=query.get("cursor") or None,
        ),
    )
    return Page(listing.items, listing.next_cursor)


def _visible(
    session: Session, viewer: Viewer, entity: str, record_id: str, *, lock: bool = False
) -> Record:
    """The row if the viewer may read it (locked until commit with ``lock``), else 404."""
    model = _model(entity)
    stmt = select(model).where(model.id == record_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    row = session.scalars(stmt).first()
    if row is None or not owns(viewer.actor, entity, document(row), Action.READ):
        raise NotFound(f"no {_label(entity, record_id)}")
    return row


def get_record(session: Session, viewer: Viewer, entity: str, record_id: str) -> dict[str, Any]:
    scope_of(viewer.actor, entity, Action.READ)
    return viewer.redact(entity, document(_visible(session, viewer, entity, record_id)))


# ---------------------------------------------------------------------------------- checks


def _exists(session: Session, key: Any, record_id: str) -> bool:
    """Whether a row with ``key`` (a primary-key column) equal to ``record_id`` exists."""
    return session.scalar(select(func.count()).select_from(key.table).where(key == record_id)) == 1


def _reference_problems(session: Session, entity: str, data: Mapping[str, Any]) -> list[str]:
    """Paths of fields naming records that do not exist."""
    bad = [
        column.name
        for column in _model(entity).__table__.columns
        for fk in column.foreign_keys
        if data.get(column.name) is not None and not _exists(session, fk.column, data[column.name])
    ]
    for field, key in (
        ("earmark_capabilities", db.Capability.__table__.c.id),
        ("earmark_projects", db.CapacityProject.__table__.c.id),
    ):
        listed = data.get(field) or ()
        bad.extend(f"{field}[{i}]" for i, c in enumerate(listed) if not _exists(session, key, c))
    return bad


def _currency_problem(session: Session, currency: str | None) -> str | None:
    if currency is None:  # most records have no currency: no read of the settings
        return None
    frame = session.get(db.PlanningSettings, 1)
    if frame is None or currency == frame.base_currency:
        return None
    if session.get(db.FxRate, currency) is None:
        return f"no exchange rate for {currency} in the planning settings"
    return None


def _rule_problems(session: Session, entity: str, doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    problems = []
    if entity == "pledges" and doc["valid_from"] > doc["valid_to"]:
        problems.append(("valid_to", "must not be before valid_from"))
    if entity == "investments":
        if doc["from_country"] == doc["to_country"]:
            problems.append(("to_country", "an investment crosses a border"))
        targets = ("target_company_id", "target_site_id", "target_project_id")
        if all(doc.get(t) is None for t in targets):
            problems.append(("target_company_id", "name a target company or a target site"))
    if entity == "investments":
        problems.extend(investment_problems(session, doc))
    if entity == "proposals":
        problems.extend(kind_problems(session, doc) + site_problems(session, doc))
    if entity == "capacity_projects":
        problems.extend(project_problems(session, doc))
    message = _currency_problem(session, doc.get("currency"))
    if message:
        problems.append(("currency", message))
    return problems


def _problems(
    session: Session, entity: str, doc: Mapping[str, Any], changed: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """Every problem of the record in one pass: the references to no record, then the rules
    (each rule reads a missing reference as unknown, so it adds nothing about that field)."""
    missing = _reference_problems(session, entity, changed)
    problems = [(p, "no such record") for p in missing]
    problems.extend(p for p in _rule_problems(session, entity, doc) if p[0] not in missing)
    return problems


def _refuse(
    entity: str, problems: Sequence[tuple[str, str]], conflicts: Sequence[tuple[str, str]] = ()
) -> None:
    """One error carrying every problem: wrong input (422, the state's objections listed with
    it, so a form shows them all at once), else the state forbids the change (409)."""
    if problems:
        found = [Problem(p, m) for p, m in [*problems, *conflicts]]
        raise InvalidInput(found, f"the {entity[:-1]} is not valid")
    if conflicts:
        raise Conflict("; ".join(f"{field}: {message}" for field, message in conflicts))


# ---------------------------------------------------------------------------------- writing


def create_record(uow: UnitOfWork, entity: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Create a record. Within an OWN scope the owner field must name the actor's organisation."""
    begin_write(uow)
    session, actor = uow.session, uow.actor
    fields = dict(data)
    if scope_of(actor, entity, Action.CREATE) is Scope.OWN:
        field = OWNER_FIELD[entity]
        if fields.get(field) != owner_of(actor, entity):
            raise Forbidden(f"{field}: a {actor.role.value} may only create its own {entity}")
    record_id = fields.pop("id", None)
    if record_id:  # a chosen id: the same answer whoever holds it, seen or not
        refuse_taken_id(session, _model(entity), record_id)
    else:  # 48 random bits; should one be taken, the insert's key refuses it (a Conflict)
        record_id = f"{ID_PREFIX[entity]}-{secrets.token_hex(6)}"
    _refuse(entity, _problems(session, entity, fields, fields))
    if entity in {"proposals", "capacity_projects"} and fields.get("kind") is None:
        fields["kind"] = derived_kind(session, fields)
    stored = insert_new(session, _model(entity), {"id": record_id, "version": 1, **fields})
    doc = {name: plain(value) for name, value in stored.items()}
    uow.record(entity, record_id, "create", None, doc)
    return Viewer.of(session, actor).redact(entity, doc)


def _writable(
    uow: UnitOfWork, entity: str, record_id: str, action: Action, expected: int | None
) -> Record:
    """The row ``uow.actor`` may ``action``: 403 if never, 404 if unseen, 412 if stale."""
    scope_of(uow.actor, entity, action)
    viewer = Viewer(uow.actor)
    row = _visible(uow.session, viewer, entity, record_id, lock=True)
    if not owns(uow.actor, entity, document(row), action):
        raise Forbidden(f"this {_label(entity, record_id)} is not yours to {action.value}")
    if expected is not None and row.version != expected:
        raise PreconditionFailed(
            f"{_label(entity, record_id)} is at version {row.version}, not {expected}: "
            "read it again and retry"
        )
    return row


def _lifecycle_rule(uow: UnitOfWork, row: Record, action: Action, status: Any = None) -> None:
    """Ask the record's lifecycle (proposals, pledges) whether ``action`` may be taken on it in
    its current state; a pledge's new ``status`` (a PATCH sets it) names its own action."""
    actor = uow.actor
    deleting = action is Action.DELETE
    if isinstance(row, db.Proposal):
        check_proposal(row, ProposalAction.DELETE if deleting else ProposalAction.EDIT, actor)
    elif isinstance(row, db.CapacityProject):
        check_project(row, ProjectAction.DELETE if deleting else ProjectAction.EDIT, actor)
    elif isinstance(row, db.Pledge):
        check_pledge(row, PledgeAction.DELETE if deleting else PledgeAction.EDIT, actor)
        if status is not None:
            set_pledge_status(row, PledgeStatus(status), actor)


def update_record(
    uow: UnitOfWork,
    entity: str,
    record_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None,
) -> dict[str, Any]:
    """Change some fields of a record (``changes`` holds only the fields sent)."""
    begin_write(uow)
    row = _writable(uow, entity, record_id, Action.UPDATE, expected_version)
    before = document(row)
    _lifecycle_rule(uow, row, Action.UPDATE, changes.get("status"))
    after = {**before, **changes}
    problems = _problems(uow.session, entity, after, changes)
    conflicts: list[tuple[str, str]] = []
    if isinstance(row, db.Pledge):
        conflicts = pledge_change_problems(uow.session, before, {**after, "status": row.status})
    if isinstance(row, db.Investment):
        conflicts = investment_change_problems(uow.session, before, after)
    _refuse(entity, problems, conflicts)
    return _apply(uow, entity, row, before, changes)


def _apply(
    uow: UnitOfWork,
    entity: str,
    row: Record,
    before: dict[str, Any],
    changes: Mapping[str, Any],
) -> dict[str, Any]:
    changed = {k: v for k, v in changes.items() if before.get(k) != v}
    if changed:
        for key, value in changed.items():
            setattr(row, key, value)
        row.version = before["version"] + 1
        flush_or_conflict(uow.session, f"the change to {_label(entity, row.id)}")
        uow.record(entity, row.id, "update", before, document(row))
    return Viewer.of(uow.session, uow.actor).redact(entity, document(row))


def delete_record(
    uow: UnitOfWork, entity: str, record_id: str, expected_version: int | None
) -> None:
    begin_write(uow)
    row = _writable(uow, entity, record_id, Action.DELETE, expected_version)
    _lifecycle_rule(uow, row, Action.DELETE)
    before = document(row)
    uow.session.delete(row)
    flush_or_conflict(
        uow.session, f"deleting {_label(entity, record_id)} (other records refer to it)"
    )
    uow.record(entity, record_id, "delete", before, None)


def review_proposal(
    uow: UnitOfWork,
    record_id: str,
    decision: ProposalStatus,
    expected_version: int | None,
    reason: str | None = None,
) -> dict[str, Any]:
    """The ministry vets or rejects a proposal (or reopens it as submitted): the decision is
    the status it gives, taken through the proposal's lifecycle, with its reason (a rejection
    must give one: the company reads it)."""
    begin_write(uow)
    row = _writable(uow, "proposals", record_id, Action.REVIEW, expected_version)
    assert isinstance(row, db.Proposal)
    text = (reason or "").strip() or None
    action = REVIEW_DECISIONS[ProposalStatus(decision)]
    if action in REASON_REQUIRED and text is None:
        raise InvalidInput.single("reason", "say why the proposal is rejected")
    before = document(row)
    status = check_proposal(row, action, uow.actor)
    return _apply(uow, "proposals", row, before, {"status": status, "review_reason": text})


def change_project_status(
    uow: UnitOfWork, record_id: str, target: ProjectStatus, expected_version: int | None
) -> dict[str, Any]:
    """A step of a capacity project's review or build, named by the status it leads to,
    through the project's lifecycle; reaching ``producing`` enters its line in the proposals
    (vetted, linked as ``proposal_id``) in the same unit of work."""
    begin_write(uow)
    row = _writable(uow, "capacity_projects", record_id, Action.REVIEW, expected_version)
    assert isinstance(row, db.CapacityProject)
    before = document(row)
    action = project_action_towards(row, ProjectStatus(target))
    status = check_project(row, action, uow.actor)
    changes: dict[str, Any] = {"status": status}
    if status is ProjectStatus.PRODUCING:
        changes["proposal_id"] = enter_proposals(uow, row)
    return _apply(uow, "capacity_projects", row, before, changes)
