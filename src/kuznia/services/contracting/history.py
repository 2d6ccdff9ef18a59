"""A contract's history as its readers may see it, read back from the transparency log (every
change of a contract is a leaf there, with who, when, and the record after it), and what changed
since a version someone read: what a stale form shows (``If-Match`` answered 412).

The log is read under need-to-know (``transparency.log.leaves_of``): a reader who may not read
the contract gets nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db.contracting import Delivery, MoneyFlow
from kuznia.errors import NotFound
from kuznia.services.access.policy import Viewer
from kuznia.services.contracting.reading import contract_document, get_contract, schedule_of
from kuznia.services.kernel.actors import Actor
from kuznia.services.transparency.log import LeafView, leaves_of

SHOWN_FIELDS = (
    "title",
    "status",
    "units",
    "amount_cents",
    "schedule",
    "coordinator_signed_by",
    "partner_signed_by",
    "terminated_reason",
    "offtake_until",
    "offtake_condition",
    "capacity_after",
    "ip_owner",
    "export_licence_status",
    "export_licence_reference",
    "export_licence_expiry",
)
"""The fields of a contract a person compares (not timestamps nor internal keys)."""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change of a contract: its log entry (``seq``, for its inclusion proof), when, by
    whom, the version and status it left, and which fields it changed."""

    seq: int
    entity: str
    record_id: str
    at: str
    role: str
    name: str
    action: str
    version: int | None
    status: str | None
    changed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FieldChange:
    name: str
    before: Any
    after: Any


def _changed(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> tuple[str, ...]:
    if before is None or after is None:
        return ()
    return tuple(name for name in SHOWN_FIELDS if before.get(name) != after.get(name))


def _entry(view: LeafView) -> HistoryEntry:
    leaf = json.loads(view.leaf or b"{}")
    after = leaf.get("after") or {}
    who = leaf.get("actor") or {}
    return HistoryEntry(
        view.seq,
        str(view.entity),
        str(view.record_id),
        str(leaf.get("at", "")),
        str(who.get("role", "")),
        str(who.get("name", "")),
        str(leaf.get("action", "")),
        after.get("version"),
        after.get("status"),
        _changed(leaf.get("before"), after) if view.entity == "contracts" else (),
    )


def history_of(session: Session, actor: Actor, contract_id: str) -> list[HistoryEntry]:
    """Every logged change of the contract, its money flows and its deliveries, in log order
    (404 unless ``actor`` may read the contract; flows and deliveries as the policy lets it)."""
    get_contract(session, actor, contract_id)
    viewer = Viewer.of(session, actor)
    records = [("contracts", contract_id)]
    for entity, model in (("money_flows", MoneyFlow), ("deliveries", Delivery)):
        ids = select(model.id).where(model.contract_id == contract_id, viewer.condition(entity))
        records += [(entity, str(i)) for i in session.scalars(ids)]
    views: list[LeafView] = []
    for entity, record_id in records:
        try:
            views += leaves_of(session, actor, entity, record_id)
        except NotFound:  # a record logged before the log began (none in practice)
            continue
    return [_entry(v) for v in sorted(views, key=lambda v: v.seq) if v.leaf is not None]


def _logged_versions(session: Session, actor: Actor, contract_id: str) -> dict[int, Any]:
    versions: dict[int, Any] = {}
    for view in leaves_of(session, actor, "contracts", contract_id):
        if view.leaf is not None:
            after = json.loads(view.leaf).get("after") or {}
            if isinstance(after.get("version"), int):
                versions[after["version"]] = after
    return versions


def changes_since(
    session: Session, actor: Actor, contract_id: str, version: int
) -> Sequence[FieldChange]:
    """What differs between version ``version`` of the contract (as the log kept it) and the
    contract now: the fields a stale form's reader should look at again."""
    contract = get_contract(session, actor, contract_id)
    then = _logged_versions(session, actor, contract_id).get(version)
    if then is None:
        return []
    now = json.loads(
        json.dumps(contract_document(contract, schedule_of(session, contract_id)), default=str)
    )
    return [
        FieldChange(name, then.get(name), now.get(name))
        for name in SHOWN_FIELDS
        if then.get(name) != now.get(name)
    ]
