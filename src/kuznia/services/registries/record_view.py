"""One registry record as its page shows it: every field the reader may see, the names of the
records it refers to, and what the reader may do to it now (by the access policy and the
record's lifecycle, never decided by the page)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import Forbidden
from kuznia.services.access.policy import Action, Viewer, owns, scope_of
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries import records
from kuznia.services.registries.browse import Name, names_of
from kuznia.services.registries.catalogue import REGISTRIES
from kuznia.services.registries.lifecycle import (
    PledgeAction,
    ProposalAction,
    pledge_actions,
    proposal_actions,
)

REVIEW_STEPS = (ProposalAction.VET, ProposalAction.REJECT, ProposalAction.REOPEN)
PLEDGE_STEPS = (PledgeAction.CONFIRM, PledgeAction.WITHDRAW)
LIST_REFERENCES = {"earmark_capabilities": "capabilities"}
"""List fields whose items name records of another registry."""


@dataclass(frozen=True, slots=True)
class RecordView:
    entity: str
    record: dict[str, Any]
    """Every field, the secret ones the reader may not see set to None."""
    hidden: frozenset[str]
    names: dict[str, Name]
    """The names of the records it refers to that the reader may read, by id."""
    may_edit: bool
    steps: tuple[str, ...]
    """The status steps the reader may take now: vet, reject, reopen; confirm, withdraw."""


def references(entity: str) -> dict[str, str]:
    """The fields of ``entity`` naming records of another registry, and that registry."""
    table = REGISTRIES[entity].model.__table__
    found = {
        c.name: fk.column.table.name
        for c in table.columns
        for fk in c.foreign_keys
        if fk.column.table.name in REGISTRIES
    }
    found.update({k: v for k, v in LIST_REFERENCES.items() if k in table.c})
    return found


def reference_names(
    session: Session, actor: Actor, entity: str, docs: list[dict[str, Any]]
) -> dict[str, Name]:
    """The names of every record ``docs`` (of ``entity``) refer to that the actor may read."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for field, target in references(entity).items():
        for doc in docs:
            value = doc.get(field)
            wanted[target].update(value if isinstance(value, list) else [value] if value else [])
    names: dict[str, Name] = {}
    for target, ids in wanted.items():
        names.update(names_of(session, actor, target, ids))
    return names


def _may(actor: Actor, entity: str, raw: dict[str, Any], action: Action) -> bool:
    try:
        scope_of(actor, entity, action)
    except Forbidden:
        return False
    return owns(actor, entity, raw, action)


def _steps(actor: Actor, row: Any, raw: dict[str, Any]) -> tuple[tuple[str, ...], bool]:
    """The status steps the actor may take, and whether its lifecycle lets it edit the row."""
    if isinstance(row, db.Proposal):
        allowed: tuple[Any, ...] = proposal_actions(actor, row)
        review = _may(actor, "proposals", raw, Action.REVIEW)
        steps = tuple(a.value for a in REVIEW_STEPS if a in allowed and review)
        return steps, ProposalAction.EDIT in allowed
    if isinstance(row, db.Pledge):
        allowed = pledge_actions(actor, row)
        update = _may(actor, "pledges", raw, Action.UPDATE)
        return tuple(a.value for a in PLEDGE_STEPS if a in allowed and update), (
            PledgeAction.EDIT in allowed
        )
    return (), True


def view_record(session: Session, actor: Actor, entity: str, record_id: str) -> RecordView:
    """The record as ``actor`` may see it (NotFound if it may not read it)."""
    viewer = Viewer.of(session, actor)
    shown = records.get_record(session, viewer, entity, record_id)
    row = session.get(REGISTRIES[entity].model, record_id)
    raw = records.document(row) if row is not None else shown
    steps, editable = _steps(actor, row, raw)
    return RecordView(
        entity,
        shown,
        viewer.hidden_fields(entity, raw),
        reference_names(session, actor, entity, [shown]),
        editable and _may(actor, entity, raw, Action.UPDATE),
        steps,
    )
