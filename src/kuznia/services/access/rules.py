"""The access rules as data: who may do what to each entity, which rows are "own", which fields
are secret and who sees them. Evaluated by :mod:`kuznia.services.access.policy`; nothing else
decides access.

An entity is named by its table (the name the unit of work records changes and the log keeps
leaves under). For each entity, action and role the rules give a :data:`Grant`: ``ALL`` rows,
or a tuple of row rules (any one matching makes a row the actor's own). A role absent from an
action may not do it at all (403); rows outside a reader's grant do not exist for it (404).

Row rules:

* :class:`Owned` -- the row's ``column`` holds the actor's partner, company, organisation or
  user id (or, for site locations, its partner's country);
* :class:`Through` -- the row's ``column`` names a record of another entity that the actor may
  read by that entity's own rule (a company's deliveries are the deliveries of its contracts);
* :class:`Among` -- the row's ``column`` holds one of some values (the capacity projects open
  to investors are the vetted and financed ones);
* :class:`SeenWith` -- (for secret fields) the row's ``column`` names a record of another
  entity whose secret fields the actor sees by that entity's own rule (a site's risk class is
  seen by whoever sees the site's location).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from kuznia.db.enums import ProjectStatus
from kuznia.services.kernel.actors import Role


class Scope(StrEnum):
    ALL = "all"
    OWN = "own"


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    REVIEW = "review"


class By(StrEnum):
    """What of the actor a row must hold to be its own (an :class:`~Actor` attribute, or the
    country of the actor's partner)."""

    PARTNER = "partner_id"
    COMPANY = "company_id"
    ORGANISATION = "organisation_id"
    USER = "user_id"
    PARTNER_COUNTRY = "partner_country"


@dataclass(frozen=True, slots=True)
class Owned:
    """The row's ``column`` equals the actor's ``by`` (never when the actor has none)."""

    column: str
    by: By


@dataclass(frozen=True, slots=True)
class Through:
    """The row's ``column`` names a record of ``entity`` that the actor may read."""

    column: str
    entity: str


@dataclass(frozen=True, slots=True)
class Among:
    """The row's ``column`` holds one of ``values``."""

    column: str
    values: frozenset[str]


@dataclass(frozen=True, slots=True)
class SeenWith:
    """The row's ``column`` names a record of ``entity`` whose secret fields the actor sees
    (:data:`SECRET_SEEN_BY` of ``entity``): a secret kept exactly as another record's."""

    column: str
    entity: str


RowRule = Owned | Through | Among | SeenWith
Grant = Scope | tuple[RowRule, ...]
"""``Scope.ALL`` (every row), or the rules of which one must match (the actor's own rows)."""

C, P, K, A, PUBLIC = Role.COORDINATOR, Role.PARTNER, Role.COMPANY, Role.AUDITOR, Role.PUBLIC
INV = Role.INVESTOR
ALL = Scope.ALL
LOGGED_IN = (C, P, K, A, INV)

_COMPANY = By.COMPANY
_own_company = (Owned("company_id", _COMPANY),)
_own_partner = (Owned("partner_id", By.PARTNER),)
_of_own_contract = (Through("contract_id", "contracts"),)
_of_readable_investment = Through("investment_id", "investments")
_flows_of_own = (*_of_own_contract, _of_readable_investment)
_own_user = (Owned("user_id", By.USER),)
_seen_with_site = (SeenWith("site_id", "sites"),)
OPEN_FOR_INVESTMENT = frozenset({ProjectStatus.VETTED.value, ProjectStatus.FINANCED.value})
"""The capacity projects an investor sees (besides its own): vetted, not yet built."""
_open_or_own_project = (
    Among("status", OPEN_FOR_INVESTMENT),
    Owned("company_id", _COMPANY),
)


def _everyone_reads() -> dict[Role, Grant]:
    return dict.fromkeys(LOGGED_IN, ALL)


def _ministry_writes(*actions: Action) -> dict[Action, dict[Role, Grant]]:
    return {action: {C: ALL} for action in actions}


_WRITES = (Action.CREATE, Action.UPDATE, Action.DELETE)
_COMPANY_WRITES: dict[Action, dict[Role, Grant]] = {
    action: {C: ALL, K: _own_company} for action in _WRITES
}
_PROJECT_WRITES: dict[Action, dict[Role, Grant]] = {
    action: {C: ALL, K: _own_company, INV: _own_company} for action in _WRITES
}

RULES: Mapping[str, Mapping[Action, Mapping[Role, Grant]]] = {
    # registries: needs and reference data are everyone's, a company sees only itself
    "capabilities": {Action.READ: _everyone_reads(), **_ministry_writes(*_WRITES)},
    "requirements": {Action.READ: _everyone_reads(), **_ministry_writes(*_WRITES)},
    "partners": {Action.READ: _everyone_reads(), **_ministry_writes(*_WRITES)},
    "companies": {
        Action.READ: {
            C: ALL,
            P: ALL,
            A: ALL,
            K: (Owned("id", _COMPANY),),
            INV: (Owned("id", _COMPANY),),
        },
        **_ministry_writes(*_WRITES),
    },
    "sites": {Action.READ: {C: ALL, P: ALL, A: ALL, K: _own_company}, **_COMPANY_WRITES},
    "proposals": {
        Action.READ: {C: ALL, P: ALL, A: ALL, K: _own_company},
        **_COMPANY_WRITES,
        Action.REVIEW: {C: ALL},
    },
    # capacity projects as proposals: the site's location stays in ``sites`` (secret there)
    # an investor sees the projects open for investment (no site locations: it reads no
    # sites) and its own; an investor firm proposes projects as a company does
    "capacity_projects": {
        Action.READ: {C: ALL, P: ALL, A: ALL, K: _own_company, INV: _open_or_own_project},
        **_PROJECT_WRITES,
        Action.REVIEW: {C: ALL, K: _own_company, INV: _own_company},
    },
    # an investor fund pledges as a partner does (its partner record)
    "pledges": {
        Action.READ: {C: ALL, A: ALL, P: _own_partner, INV: _own_partner},
        **{action: {C: ALL, P: _own_partner, INV: _own_partner} for action in _WRITES},
    },
    "investments": {
        # a company (or an investor firm) reads the investments it makes and those it
        # receives, writes its own
        Action.READ: {
            C: ALL,
            A: ALL,
            K: (Owned("investor_company_id", _COMPANY), Owned("target_company_id", _COMPANY)),
            INV: (Owned("investor_company_id", _COMPANY), Owned("target_company_id", _COMPANY)),
        },
        **{
            action: {
                C: ALL,
                K: (Owned("investor_company_id", _COMPANY),),
                INV: (Owned("investor_company_id", _COMPANY),),
            }
            for action in _WRITES
        },
    },
    "planning_settings": {Action.READ: _everyone_reads(), **_ministry_writes(Action.UPDATE)},
    "fx_rates": {Action.READ: _everyone_reads(), **_ministry_writes(Action.UPDATE)},
    # identity: everyone sees their own organisation and themselves
    "organisations": {
        Action.READ: {
            C: ALL,
            A: ALL,
            P: (Owned("id", By.ORGANISATION),),
            K: (Owned("id", By.ORGANISATION),),
            INV: (Owned("id", By.ORGANISATION),),
        },
        **_ministry_writes(Action.CREATE),
    },
    "users": {
        Action.READ: {
            C: ALL,
            A: ALL,
            P: (Owned("id", By.USER),),
            K: (Owned("id", By.USER),),
            INV: (Owned("id", By.USER),),
        },
        **_ministry_writes(Action.CREATE, Action.UPDATE),
    },
    "api_tokens": {
        Action.READ: {
            C: ALL,
            A: ALL,
            P: (Owned("user_id", By.USER),),
            K: (Owned("user_id", By.USER),),
            INV: (Owned("user_id", By.USER),),
        },
    },
    # plans: the ministry runs them; partners and auditors read them; companies do not
    "plans": {Action.READ: {C: ALL, P: ALL, A: ALL}, **_ministry_writes(Action.CREATE)},
    "plan_scenarios": {Action.READ: {C: ALL, P: ALL, A: ALL}},
    # resilience: risk classes are reference data, set by the ministry; which class a site is
    # in is read with the site and secret like its location; evaluations are read like plans
    "risk_classes": {Action.READ: _everyone_reads(), **_ministry_writes(*_WRITES)},
    "site_risks": {
        Action.READ: {C: ALL, P: ALL, A: ALL, K: (Through("site_id", "sites"),)},
        **_ministry_writes(*_WRITES),
    },
    "risk_evaluations": {
        Action.READ: {C: ALL, P: ALL, A: ALL},
        **_ministry_writes(Action.CREATE),
    },
    # jobs: everyone sees and may cancel (update) the jobs they submitted; the ministry and
    # auditors see all, the ministry cancels any (what a job may run is its kind's rule)
    "jobs": {
        Action.READ: {C: ALL, A: ALL, P: _own_user, K: _own_user, INV: _own_user},
        Action.UPDATE: {C: ALL, A: _own_user, P: _own_user, K: _own_user, INV: _own_user},
    },
    # contracting: a partner's contracts are those paid from its pledges (``partner_id`` is the
    # paying pledge's partner, fixed at creation), a company's those it is contracted for; the
    # schedule, amendments, money flows and deliveries of a contract are read with it
    "contracts": {
        Action.READ: {C: ALL, A: ALL, P: _own_partner, K: _own_company},
    },
    "contract_schedule": {Action.READ: {C: ALL, A: ALL, P: _of_own_contract, K: _of_own_contract}},
    "contract_amendments": {
        Action.READ: {C: ALL, A: ALL, P: _of_own_contract, K: _of_own_contract},
    },
    # an investment's flows are read with the investment (its investor and the firm it goes
    # to), and by the partner whose pledge pays them
    "money_flows": {
        Action.READ: {
            C: ALL,
            A: ALL,
            P: (*_of_own_contract, Through("pledge_id", "pledges")),
            K: _flows_of_own,
            INV: (_of_readable_investment, Through("pledge_id", "pledges")),
        }
    },
    "deliveries": {Action.READ: {C: ALL, A: ALL, P: _of_own_contract, K: _of_own_contract}},
    # transparency: anyone receives leaf hashes, proofs and checkpoints; a leaf's content
    # follows the rule of the record it logs (LOG_CONTENT); the audit trail is for auditing
    "ledger_leaves": {Action.READ: dict.fromkeys((*LOGGED_IN, PUBLIC), ALL)},
    "ledger_nodes": {Action.READ: dict.fromkeys((*LOGGED_IN, PUBLIC), ALL)},
    "ledger_checkpoints": {
        Action.READ: dict.fromkeys((*LOGGED_IN, PUBLIC), ALL),
        **_ministry_writes(Action.CREATE),
    },
    "ledger_openings": {Action.READ: dict.fromkeys(LOGGED_IN, ALL)},
    "audit_events": {Action.READ: {C: ALL, A: ALL}},
}
"""entity -> action -> role -> grant. The one statement of who may do what."""

LIFECYCLE_WRITES: Mapping[str, str] = {
    "contracts": "services.contracting.contracts (create, sign, amend, produce, end)",
    "contract_schedule": "services.contracting.contracts (written with its contract)",
    "contract_amendments": "services.contracting.contracts (amend_contract)",
    "money_flows": "services.contracting.money_flows (commit, disburse, spend) and "
    "investment_money (an investment's commitments: by who may update the investment)",
    "deliveries": "services.contracting.deliveries (report, inspect)",
    "api_tokens": "services.identity.sessions (a user's own tokens)",
    "ledger_leaves": "appended by the log listener with every change, never by a user",
    "ledger_nodes": "appended with the leaves",
    "ledger_openings": "appended with the leaves",
    "audit_events": "appended by the audit listener with every change",
    "plan_scenarios": "stored with the plans made from them (services.planning.runs)",
    "jobs": "services.jobs.queue (submit by the kind's rule, claim, finish; a transition table)",
}
"""Entities whose writes are decided by their lifecycle (a transition table or a listener) and
not by :data:`RULES`: this policy states who reads them and which fields are secret."""

LOG_CONTENT = "a leaf's entity, record id, action and canonical JSON follow RULES[entity][READ]"
"""``ledger_leaves``: its hash, index and proofs are everyone's; the rest is the content."""
LOG_OPENINGS = "an opening (salt and value of a secret field) follows SECRET_SEEN_BY[entity]"
"""``ledger_openings``: read only by who may read the record and see that secret field."""

INTERNAL_TABLES: Mapping[str, str] = {
    "user_sessions": "sign-in state, read only by authentication",
    "login_failures": "throttling state, read only by authentication",
    "idempotency_keys": "stored answers, replayed only to the actor that made them",
    "commit_sequence": "the counter numbering commits",
    "change_index": "each record's last commit sequence, joined into lists for paging",
    "ledger_head": "the log's size, one row",
}
"""Tables that are no entity of anyone's reading: no route, list, export or page reads them."""


class ProjectsShown(StrEnum):
    """Which capacity projects the investor view (``services.investment``) lists."""

    ALL = "all"
    READABLE = "readable"  # those the ``capacity_projects`` read rule gives the role
    ELIGIBLE = "eligible"  # those a pledge of the actor's own may pay the capex of
    NONE = "none"


INVESTMENT_VIEW: Mapping[Role, ProjectsShown] = {
    C: ProjectsShown.ALL,
    A: ProjectsShown.ALL,
    P: ProjectsShown.ELIGIBLE,
    K: ProjectsShown.READABLE,  # its own
    INV: ProjectsShown.READABLE,  # open for investment, and its own
    PUBLIC: ProjectsShown.NONE,  # aggregates per capability only
}
"""The investor view's projects by role: where capacity is missing, ranked by value per capex.
No project there carries its site (locations stay in ``sites``), and the matching on a
project's page names a pledge only to who may read it (``pledges``)."""

SPLIT_MIN_FIRMS = 3
"""The investor view splits a capability by site country and kind of line for who reads every
proposal (the ``proposals`` read rule: coordinator, partners, auditors); for everyone else only
the cells holding lines of at least this many firms, the rest folded into one cell, so that no
figure is one firm's capacity."""


SECRET_FIELDS: Mapping[str, frozenset[str]] = {
    "sites": frozenset({"address", "latitude", "longitude"}),
    "deliveries": frozenset({"destination"}),
    "site_risks": frozenset({"risk_class_id"}),
}
"""The secret fields, listed once: redacted in records, lists, exports and the audit trail for
whoever may not see them, and logged only as salted commitments."""

SECRET_SEEN_BY: Mapping[str, Mapping[Role, Grant]] = {
    # a site's location: the coordinator, the owning company, the partner of its country
    "sites": {C: ALL, K: _own_company, P: (Owned("country", By.PARTNER_COUNTRY),)},
    # a delivery's destination: the coordinator and the delivering company
    "deliveries": {C: ALL, K: (Through("contract_id", "contracts"),)},
    # a site's risk class: whoever sees the site's location (the coordinator, the owning
    # company, the partner of the site's country), by the sites rule above
    "site_risks": {C: ALL, K: _seen_with_site, P: _seen_with_site},
}
"""entity -> role -> whose rows' secret fields the role sees. Auditors never see them."""
