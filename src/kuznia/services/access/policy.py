"""Who may do what: the access rules of :mod:`~kuznia.services.access.rules` applied, for every
use case, list, export, page and log leaf (services ask here; routes never decide).

* **Use-case rules**: :func:`scope_of` (403 when the role may not do the action at all).
* **Row rules**: :meth:`Viewer.condition` (the SQL condition of the rows an actor may read or
  change) and :meth:`Viewer.may` (the same rule for one record document). Rows outside a
  reader's scope do not exist for it (404), so their existence does not leak.
* **Field rules**: :meth:`Viewer.redact` sets the secret fields a viewer may not see to None
  (:meth:`Viewer.seen_condition`: the rows whose secret fields it sees, in SQL);
  :meth:`Viewer.sees_everywhere` says whether it may sort, filter or search by a field (only
  if it sees that field on every row it may read: ordering by a hidden value reveals it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from kuznia.db.base import Base
from kuznia.errors import Forbidden
from kuznia.services.access.rules import (
    RULES,
    SECRET_FIELDS,
    SECRET_SEEN_BY,
    Action,
    Among,
    By,
    Grant,
    Owned,
    RowRule,
    Scope,
    SeenWith,
    Through,
)
from kuznia.services.kernel.actors import Actor, Role

__all__ = [
    "OWNER_FIELD",
    "RULES",
    "SECRET_FIELDS",
    "Action",
    "Scope",
    "Viewer",
    "columns_of",
    "grant_of",
    "model_of",
    "owner_value",
    "owns",
    "require",
    "row_condition",
    "scope_of",
]


def _owner_fields() -> dict[str, Owned]:
    found: dict[str, Owned] = {}
    for entity, actions in RULES.items():
        for grant in actions.get(Action.CREATE, {}).values():
            owned = (
                [rule for rule in grant if isinstance(rule, Owned)]
                if isinstance(grant, tuple)
                else []
            )
            if owned:
                found[entity] = owned[0]
    return found


_OWNER_RULES = _owner_fields()
OWNER_FIELD: Mapping[str, str] = {e: rule.column for e, rule in _OWNER_RULES.items()}
"""The column a writer with an own grant must set to its own organisation's id on creation
(derived from the create rules: a site's ``company_id``, a pledge's ``partner_id``...)."""


@cache
def _models() -> dict[str, Any]:
    import kuznia.db.tables  # noqa: F401 - every table module, so the registry is full

    return {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}


def model_of(entity: str) -> Any:
    """The ORM class of an entity (entities are named by their tables)."""
    return _models()[entity]


def columns_of(row: Any) -> dict[str, Any]:
    """An ORM row as the document the row rules read: every column by name."""
    return {c.name: getattr(row, c.name) for c in row.__table__.c}


def grant_of(role: Role, entity: str, action: Action = Action.READ) -> Grant | None:
    """What ``role`` may ``action`` of ``entity``: all rows, its own rows, or nothing (None)."""
    return RULES.get(entity, {}).get(action, {}).get(role)


def scope_of(actor: Actor, entity: str, action: Action) -> Scope:
    """The scope in which ``actor`` may do ``action`` on ``entity``; Forbidden if none."""
    grant = grant_of(actor.role, entity, action)
    if grant is None:
        raise Forbidden(f"a {actor.role.value} may not {action.value} {entity}")
    return grant if isinstance(grant, Scope) else Scope.OWN


def owner_value(actor: Actor, entity: str) -> str | None:
    """The id an actor owns (writes) records of ``entity`` by: its partner id or company id."""
    rule = _OWNER_RULES.get(entity)
    return None if rule is None else getattr(actor, rule.by.value)


@dataclass(frozen=True, slots=True)
class Viewer:
    """An actor with what the rules need to know about it (its partner's country), and the
    session that rules reaching through another record (:class:`Through`, :class:`SeenWith`)
    read with."""

    actor: Actor
    partner_country: str | None = None
    session: Session | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, session: Session, actor: Actor) -> Viewer:
        country = None
        if actor.role is Role.PARTNER and actor.partner_id:
            # The registries' tables only for a partner: a reader granted everything (the
            # operator reading the log) loads no table but the ones it reads.
            from kuznia.db.registries import Partner

            partner = session.get(Partner, actor.partner_id)
            country = partner.country if partner else None
        return cls(actor, country, session)

    # ------------------------------------------------------------------------------- rows

    def grant(self, entity: str, action: Action = Action.READ) -> Grant | None:
        return grant_of(self.actor.role, entity, action)

    def scope(self, entity: str, action: Action = Action.READ) -> Scope:
        return scope_of(self.actor, entity, action)

    def condition(self, entity: str, action: Action = Action.READ) -> ColumnElement[bool]:
        """The SQL condition selecting the rows the actor may ``action`` (Forbidden if none)."""
        self.scope(entity, action)
        return self._sql(entity, grant_of(self.actor.role, entity, action))

    def seen_condition(self, entity: str) -> ColumnElement[bool]:
        """The SQL condition selecting the rows of ``entity`` whose secret fields the actor
        sees (every row of an entity without secrets; none for a role that sees none)."""
        if entity not in SECRET_FIELDS:
            return true()
        return self._sql(entity, SECRET_SEEN_BY[entity].get(self.actor.role))

    def may(self, entity: str, row: Mapping[str, Any], action: Action = Action.READ) -> bool:
        """Whether the record document ``row`` of ``entity`` is within the actor's grant."""
        return self._matches(grant_of(self.actor.role, entity, action), row)

    def sql_identity(self) -> tuple[object, ...]:
        """All that this viewer's SQL conditions (:meth:`condition`, :meth:`seen_condition`)
        depend on: its role (the rules are constants) and each value a row rule compares rows
        with. Two viewers with the same identity select the same rows, so a statement built for
        one may be reused for the other (``registries/listing.py``), never for another."""
        return (self.actor.role, *(self._key(by) for by in By))

    def _key(self, by: By) -> str | None:
        if by is By.PARTNER_COUNTRY:
            return self.partner_country
        value: str | None = getattr(self.actor, by.value)
        return value

    def _sql(self, entity: str, grant: Grant | None) -> ColumnElement[bool]:
        if grant is None:
            return false()
        if not isinstance(grant, tuple):  # Scope.ALL
            return true()
        model = model_of(entity)
        return or_(false(), *(self._rule_sql(model, rule) for rule in grant))

    def _rule_sql(self, model: Any, rule: RowRule) -> ColumnElement[bool]:
        column = model.__table__.c[rule.column]
        if isinstance(rule, Among):
            listed: ColumnElement[bool] = column.in_(sorted(rule.values))
            return listed
        if isinstance(rule, Owned):
            key = self._key(rule.by)
            return false() if key is None else column == key
        target = model_of(rule.entity)
        inner = (
            self.seen_condition(rule.entity)
            if isinstance(rule, SeenWith)
            else self._sql(rule.entity, grant_of(self.actor.role, rule.entity))
        )
        condition: ColumnElement[bool] = column.in_(select(target.id).where(inner))
        return condition

    def _matches(self, grant: Grant | None, row: Mapping[str, Any]) -> bool:
        if grant is None:
            return False
        if not isinstance(grant, tuple):  # Scope.ALL
            return True
        return any(self._rule_matches(rule, row) for rule in grant)

    def _rule_matches(self, rule: RowRule, row: Mapping[str, Any]) -> bool:
        value = row.get(rule.column)
        if value is None:
            return False
        if isinstance(rule, Among):
            return str(value) in rule.values
        if isinstance(rule, Owned):
            key = self._key(rule.by)
            return key is not None and value == key
        target = self._referenced(rule, value)
        if target is None:
            return False
        if isinstance(rule, SeenWith):
            return self.sees_secrets(rule.entity, target)
        return self.may(rule.entity, target)

    def _referenced(self, rule: Through | SeenWith, record_id: Any) -> dict[str, Any] | None:
        if self.session is None:
            raise TypeError(f"{rule} reads another record: make the viewer with Viewer.of")
        row = self.session.get(model_of(rule.entity), record_id)
        return None if row is None else columns_of(row)

    # ----------------------------------------------------------------------------- fields

    def sees_secrets(self, entity: str, row: Mapping[str, Any]) -> bool:
        """Whether the viewer sees the secret fields of this record of ``entity``."""
        if entity not in SECRET_FIELDS:
            return True
        return self._matches(SECRET_SEEN_BY[entity].get(self.actor.role), row)

    def sees_some_secrets(self, entity: str) -> bool:
        """Whether the viewer's role sees the secret fields of some rows of ``entity``."""
        return entity not in SECRET_FIELDS or self.actor.role in SECRET_SEEN_BY[entity]

    def hidden_fields(self, entity: str, row: Mapping[str, Any]) -> frozenset[str]:
        """The secret fields of ``row`` withheld from this viewer (none if it sees them)."""
        secret = SECRET_FIELDS.get(entity, frozenset())
        return frozenset() if not secret or self.sees_secrets(entity, row) else secret

    def redact(self, entity: str, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` with the secret fields this viewer may not see set to None."""
        hidden = self.hidden_fields(entity, row)
        if not hidden:
            return row
        return {k: (None if k in hidden else v) for k, v in row.items()}

    def redact_all(
        self, entity: str, rows: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[frozenset[str]]]:
        """Each of ``rows`` as :meth:`redact` gives it, and for each the secret fields withheld
        from this viewer that hold a value (a page marks them). One look for an entity that has
        no secret fields, where a page of 50 asked twice for each row."""
        if entity not in SECRET_FIELDS:
            return rows, [frozenset()] * len(rows)
        hidden = [self.hidden_fields(entity, row) for row in rows]
        pairs = list(zip(rows, hidden, strict=True))
        items = [
            {k: (None if k in h else v) for k, v in row.items()} if h else row for row, h in pairs
        ]
        withheld = [frozenset(f for f in h if row[f] is not None) for row, h in pairs]
        return items, withheld

    def sees_everywhere(self, entity: str, name: str) -> bool:
        """Whether the viewer sees ``name`` on every row of ``entity`` it may read: only then
        may it sort, filter or search by it (an order by hidden values would reveal them)."""
        if name not in SECRET_FIELDS.get(entity, frozenset()):
            return True
        seen = SECRET_SEEN_BY[entity].get(self.actor.role)
        read = grant_of(self.actor.role, entity)
        if seen is None or read is None:
            return False
        if seen is Scope.ALL:
            return True
        return isinstance(read, tuple) and set(read) <= set(seen)


def row_condition(actor: Actor, entity: str, action: Action) -> ColumnElement[bool]:
    """The SQL condition selecting the rows ``actor`` may ``action`` (raises if none)."""
    return Viewer(actor).condition(entity, action)


def owns(actor: Actor, entity: str, row: Mapping[str, Any], action: Action) -> bool:
    """Whether ``row`` (a record document) is within ``actor``'s scope for ``action``."""
    return Viewer(actor).may(entity, row, action)


def require(actor: Actor, *roles: Role) -> None:
    """For use cases that are no action on an entity: only ``roles`` may do them."""
    if actor.role not in roles:
        raise Forbidden(f"a {actor.role.value} may not do this")
