"""Who may do what: the one statement of the access rules, for every use case.

Three kinds of rule, all decided here and applied by the services (never by routes):

* **Use-case rules**: which roles may read, create, update, delete each kind of record, and
  whether over all records (``ALL``) or only their organisation's own (``OWN``).
* **Row rules**: what "own" means per entity, as a SQL condition (a partner's pledges, a
  company's sites, proposals and investments). Rows outside a reader's scope do not exist for it
  (404), so their existence does not leak.
* **Field rules**: secret fields (a site's address and coordinates, a delivery's destination)
  are redacted for everyone who may not see them: the coordinator sees all, a company its own
  sites, a partner the sites in its own country; auditors and everyone else never. Here a
  delivery's destination is the coordinator's only (the delivering company reads it through
  ``services.deliveries``, which checks the contract).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import Forbidden
from kuznia.services.kernel.actors import Actor, Role

SECRET_FIELDS: Mapping[str, frozenset[str]] = {
    "sites": frozenset({"address", "latitude", "longitude"}),
    "deliveries": frozenset({"destination"}),
}
"""Fields redacted for whoever may not see them (:class:`Viewer`), in records, lists and the
audit trail's before/after: a site's location, a delivery's destination (the coordinator's, and
the delivering company's, never an auditor's)."""


class Scope(StrEnum):
    ALL = "all"
    OWN = "own"


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    REVIEW = "review"


C, P, K, A = Role.COORDINATOR, Role.PARTNER, Role.COMPANY, Role.AUDITOR
ALL, OWN = Scope.ALL, Scope.OWN

_EVERYONE_READS = {C: ALL, P: ALL, K: ALL, A: ALL}
_COORDINATOR_WRITES = {Action.CREATE: {C: ALL}, Action.UPDATE: {C: ALL}, Action.DELETE: {C: ALL}}
_COMPANY_WRITES = {
    Action.CREATE: {C: ALL, K: OWN},
    Action.UPDATE: {C: ALL, K: OWN},
    Action.DELETE: {C: ALL, K: OWN},
}

RULES: Mapping[str, Mapping[Action, Mapping[Role, Scope]]] = {
    "capabilities": {Action.READ: _EVERYONE_READS, **_COORDINATOR_WRITES},
    "requirements": {Action.READ: _EVERYONE_READS, **_COORDINATOR_WRITES},
    "partners": {Action.READ: _EVERYONE_READS, **_COORDINATOR_WRITES},
    "companies": {Action.READ: {C: ALL, P: ALL, A: ALL, K: OWN}, **_COORDINATOR_WRITES},
    "sites": {Action.READ: {C: ALL, P: ALL, A: ALL, K: OWN}, **_COMPANY_WRITES},
    "proposals": {
        Action.READ: {C: ALL, P: ALL, A: ALL, K: OWN},
        **_COMPANY_WRITES,
        Action.REVIEW: {C: ALL},
    },
    "pledges": {
        Action.READ: {C: ALL, A: ALL, P: OWN},
        Action.CREATE: {C: ALL, P: OWN},
        Action.UPDATE: {C: ALL, P: OWN},
        Action.DELETE: {C: ALL, P: OWN},
    },
    "investments": {Action.READ: {C: ALL, A: ALL, K: OWN}, **_COMPANY_WRITES},
}
"""entity -> action -> role -> scope. A role absent from an action may not do it at all."""

OWNER_FIELD: Mapping[str, str] = {
    "companies": "id",
    "sites": "company_id",
    "proposals": "company_id",
    "pledges": "partner_id",
    "investments": "investor_company_id",
}
"""The column naming the owning organisation's record; a writer's "own" means this is theirs."""

OWNED_TABLES: Mapping[str, type[db.Company | db.Site | db.Proposal | db.Pledge | db.Investment]] = {
    "companies": db.Company,
    "sites": db.Site,
    "proposals": db.Proposal,
    "pledges": db.Pledge,
    "investments": db.Investment,
}


def owner_value(actor: Actor, entity: str) -> str | None:
    """The id an actor owns records of ``entity`` by: its partner id or its company id."""
    return actor.partner_id if entity == "pledges" else actor.company_id


def scope_of(actor: Actor, entity: str, action: Action) -> Scope:
    """The scope in which ``actor`` may do ``action`` on ``entity``; Forbidden if none."""
    scope = RULES[entity].get(action, {}).get(actor.role)
    if scope is None:
        raise Forbidden(f"a {actor.role.value} may not {action.value} {entity}")
    return scope


def row_condition(actor: Actor, entity: str, action: Action) -> ColumnElement[bool]:
    """The SQL condition selecting the rows ``actor`` may ``action`` (raises if none)."""
    if scope_of(actor, entity, action) is Scope.ALL:
        return true()
    own = owner_value(actor, entity)
    if own is None:
        return false()
    if entity == "investments" and action is Action.READ:
        return or_(db.Investment.investor_company_id == own, db.Investment.target_company_id == own)
    column: ColumnElement[Any] = getattr(OWNED_TABLES[entity], OWNER_FIELD[entity])
    return column == own


def owns(actor: Actor, entity: str, row: Mapping[str, Any], action: Action) -> bool:
    """Whether ``row`` (a record document) is within ``actor``'s scope for ``action``."""
    if scope_of(actor, entity, action) is Scope.ALL:
        return True
    own = owner_value(actor, entity)
    if own is None:
        return False
    if entity == "investments" and action is Action.READ:
        return own in (row.get("investor_company_id"), row.get("target_company_id"))
    return row.get(OWNER_FIELD[entity]) == own


@dataclass(frozen=True, slots=True)
class Viewer:
    """An actor with what field rules need to know about it (a partner's country)."""

    actor: Actor
    partner_country: str | None = None

    @classmethod
    def of(cls, session: Session, actor: Actor) -> Viewer:
        country = None
        if actor.role is Role.PARTNER and actor.partner_id:
            partner = session.get(db.Partner, actor.partner_id)
            country = partner.country if partner else None
        return cls(actor, country)

    def may_see_secrets(self, entity: str, row: Mapping[str, Any]) -> bool:
        role = self.actor.role
        if role is Role.COORDINATOR:
            return True
        if entity != "sites":
            return False
        if role is Role.COMPANY:
            return self.actor.company_id is not None and row.get("company_id") == (
                self.actor.company_id
            )
        if role is Role.PARTNER:
            return self.partner_country is not None and row.get("country") == (self.partner_country)
        return False

    def redact(self, entity: str, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` with the secret fields this viewer may not see set to None."""
        hidden = SECRET_FIELDS.get(entity, frozenset())
        if not hidden or self.may_see_secrets(entity, row):
            return row
        return {k: (None if k in hidden else v) for k, v in row.items()}


def require(actor: Actor, *roles: Role) -> None:
    """For use cases outside the registries: only ``roles`` may do them."""
    if actor.role not in roles:
        raise Forbidden(f"a {actor.role.value} may not do this")
