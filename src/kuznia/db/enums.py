"""The statuses and roles the tables store, as plain enums importable without the tables.

The access rules, the actors and the commands name them; importing them from here loads no ORM
table and no scenario model (``kuznia log proof`` reads the log without the registries' tables).
The table modules (``db.identity``, ``db.registries``) use them as their columns' types and
export them too.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """The roles of the mechanism (``services.kernel.actors`` acts with them). A user has one
    of the others; ``public`` is whoever is not logged in."""

    COORDINATOR = "coordinator"
    PARTNER = "partner"
    COMPANY = "company"
    AUDITOR = "auditor"
    PUBLIC = "public"
    INVESTOR = "investor"
    """a firm or fund that invests in capacity: its pledges (as a partner record) and its
    investments (as a company record)"""


class ProposalStatus(StrEnum):
    """A proposal's review; how it moves is ``services/registries/lifecycle.py``."""

    SUBMITTED = "submitted"
    VETTED = "vetted"
    REJECTED = "rejected"


class PledgeStatus(StrEnum):
    """A pledge's standing; how it moves is ``services/registries/lifecycle.py``."""

    OFFERED = "offered"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


class ProjectStatus(StrEnum):
    """A capacity project's review (as a proposal's) and then its build; how it moves is
    ``services/registries/lifecycle.py`` (``PROJECT``)."""

    SUBMITTED = "submitted"
    VETTED = "vetted"
    REJECTED = "rejected"
    FINANCED = "financed"
    UNDER_CONSTRUCTION = "under_construction"
    PRODUCING = "producing"
