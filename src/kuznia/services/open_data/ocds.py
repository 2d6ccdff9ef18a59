"""Contracts, their money flows and deliveries as OCDS 1.1 release packages (and capacity
projects with the investments into them as planning releases: ``ocds_projects.py``).

Each contract is one contracting process (``ocid = {prefix}-{contract id}``) with up to four
releases: ``planning`` (the pledge as the budget, the partner as funder), ``award`` (the
supplier, the items and the value), ``contract`` (status, period from the delivery schedule,
signature date) and ``implementation`` (money flows as transactions, the schedule and the
deliveries as delivery milestones). A release's id is a digest of its content, so publishing
the same state twice gives the same ids, and any change gives a new release.

Disclosure tiers: ``public`` holds contracts both parties signed, and no secret field (delivery
destinations, site locations, stock levels never appear); ``confidential`` (coordinator only)
also holds drafts and contracts terminated unsigned, and each delivery milestone carries its
destination in a ``kuznia:destination`` extension field. Every package is checked against the
OCDS 1.1.5 schema kept in ``kuznia/data/ocds`` (offline: :func:`validation_errors`).

Money is written as JSON numbers (OCDS ``Value.amount``) from the integer cents, digit for
digit (see :func:`package_bytes`): no float ever holds an amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from kuznia.db.base import as_utc
from kuznia.db.contracting import (
    Contract,
    ContractStatus,
    DeliveryStatus,
    MoneyFlow,
)
from kuznia.errors import Forbidden, NotFound
from kuznia.services.contracting.lifecycle import ended_as_draft
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.open_data.ocds_common import (
    OcdsOptions,
    month_end,
    month_start,
    release,
    timestamp,
    value,
)
from kuznia.services.open_data.ocds_processes import Process, Tier, load_processes
from kuznia.services.open_data.ocds_projects import project_releases

__all__ = ["OcdsOptions", "release_package", "releases", "timestamp", "value"]

OCDS_VERSION = "1.1"
CONTRACT_STATUS = {
    ContractStatus.DRAFT: "pending",
    ContractStatus.SIGNED: "active",
    ContractStatus.IN_PRODUCTION: "active",
    ContractStatus.COMPLETED: "terminated",
    ContractStatus.TERMINATED: "terminated",
}
MILESTONE_STATUS = {
    DeliveryStatus.REPORTED: "scheduled",
    DeliveryStatus.ACCEPTED: "met",
    DeliveryStatus.PARTIALLY_ACCEPTED: "partiallyMet",
    DeliveryStatus.REJECTED: "notMet",
}
DESTINATION_FIELD = "kuznia:destination"


# --- reading what a package holds ------------------------------------------------------------


# --- building releases (plain functions over the rows read) ----------------------------------


def _parties(p: Process, options: OcdsOptions) -> list[dict[str, Any]]:
    c = p.contract
    return [
        {"id": options.buyer_id, "name": options.buyer_name, "roles": ["buyer"]},
        {"id": c.partner_id, "name": p.partner_name, "roles": ["funder", "payer"]},
        {"id": c.company_id, "name": p.company_name, "roles": ["supplier", "payee"]},
    ]


def _items(p: Process) -> list[dict[str, Any]]:
    cap = p.capability
    item: dict[str, Any] = {
        "id": "1",
        "description": cap.name,
        "classification": {"scheme": "kuznia-capability", "id": cap.id, "description": cap.name},
        "quantity": int(p.contract.units),
        "unit": {"name": cap.unit},
    }
    return [item]


def _planning(p: Process) -> dict[str, Any]:
    g = p.pledge
    return {
        "rationale": f"Financed from pledge {g.id} of {p.partner_name}",
        "budget": {
            "id": g.id,
            "description": f"Pledge {g.id} ({g.valid_from} to {g.valid_to})",
            "amount": value(g.amount_cents, g.currency),
        },
    }


def _award(p: Process) -> dict[str, Any]:
    c = p.contract
    return {
        "id": f"{c.id}-award",
        "title": c.title,
        "status": "cancelled" if ended_as_draft(c) else "active",
        "date": timestamp(c.coordinator_signed_at or c.created_at),
        "value": value(c.amount_cents, c.currency),
        "suppliers": [{"id": c.company_id, "name": p.company_name}],
        "items": _items(p),
    }


def _signed(c: Contract) -> datetime | None:
    if c.coordinator_signed_at is None or c.partner_signed_at is None:
        return None
    return max(as_utc(c.coordinator_signed_at), as_utc(c.partner_signed_at))


def _contract(p: Process) -> dict[str, Any]:
    c = p.contract
    document: dict[str, Any] = {
        "id": c.id,
        "awardID": f"{c.id}-award",
        "title": c.title,
        "status": "cancelled" if ended_as_draft(c) else CONTRACT_STATUS[c.status],
        "value": value(c.amount_cents, c.currency),
        "items": _items(p),
        "dateSigned": timestamp(_signed(c)),
    }
    if p.amendments:
        document["amendments"] = [
            {
                "id": f"{c.id}-v{a.version}",
                "date": timestamp(a.amended_at),
                "rationale": a.reason,
                "description": "changed: "
                + ", ".join(sorted(k for k in a.after if a.before.get(k) != a.after.get(k))),
            }
            for a in p.amendments
        ]
    if p.schedule:
        document["period"] = {
            "startDate": month_start(p.schedule[0][0]),
            "endDate": month_end(p.schedule[-1][0]),
        }
    return document


def _transaction(f: MoneyFlow, p: Process) -> dict[str, Any]:
    c = p.contract
    return {
        "id": f.id,
        "date": timestamp(f.value_date),
        "value": value(f.amount_cents, f.currency),
        "payer": {"id": c.partner_id, "name": p.partner_name},
        "payee": {"id": c.company_id, "name": p.company_name},
        "kuznia:transactionType": f.kind,
    }


def _milestones(p: Process, tier: Tier) -> list[dict[str, Any]]:
    unit = p.capability.unit
    milestones: list[dict[str, Any]] = [
        {
            "id": f"due-{month}",
            "title": f"{units} {unit} due",
            "type": "delivery",
            "dueDate": month_end(month),
            "status": "scheduled",
        }
        for month, units in p.schedule
    ]
    for d in p.deliveries:
        milestone = {
            "id": d.id,
            "title": f"{d.units} {unit} delivered",
            "description": f"{d.accepted_units} accepted, {d.rejected_units} rejected",
            "type": "delivery",
            "dateMet": timestamp(d.delivered_on),
            "dateModified": timestamp(d.inspected_at or d.updated_at),
            "status": MILESTONE_STATUS.get(d.status, "scheduled"),
        }
        if tier is Tier.CONFIDENTIAL and d.destination:
            milestone[DESTINATION_FIELD] = d.destination
        milestones.append(milestone)
    return milestones


def _latest(moments: Iterable[datetime | date | None]) -> datetime | date | None:
    known = [
        as_utc(m) if isinstance(m, datetime) else datetime.combine(m, time(0), tzinfo=UTC)
        for m in moments
        if m is not None
    ]
    return max(known, default=None)


def releases(p: Process, tier: Tier, options: OcdsOptions) -> list[dict[str, Any]]:
    """The planning, award, contract and (if anything happened) implementation releases."""
    c = p.contract
    ocid = f"{options.ocid_prefix}-{c.id}"
    buyer = {"id": options.buyer_id, "name": options.buyer_name}
    common = {"parties": _parties(p, options), "buyer": buyer}
    out = [
        release(ocid, "planning", timestamp(c.created_at), {**common, "planning": _planning(p)}),
        release(ocid, "award", _award(p)["date"], {**common, "awards": [_award(p)]}),
        release(
            ocid,
            "contract",
            timestamp(_signed(c) or c.updated_at),
            {**common, "contracts": [_contract(p)]},
        ),
    ]
    if p.flows or p.deliveries:
        implementation = {
            "transactions": [_transaction(f, p) for f in p.flows],
            "milestones": _milestones(p, tier),
        }
        moments = [
            c.updated_at,
            *(f.created_at for f in p.flows),
            *(d.updated_at for d in p.deliveries),
        ]
        contract = {"id": c.id, "awardID": f"{c.id}-award", "implementation": implementation}
        out.append(
            release(
                ocid,
                "implementation",
                timestamp(_latest(moments)),
                {**common, "contracts": [contract]},
            )
        )
    return out


def release_package(
    session: Session,
    actor: Actor,
    *,
    tier: Tier = Tier.PUBLIC,
    options: OcdsOptions | None = None,
    published: datetime | None = None,
) -> dict[str, Any]:
    """The OCDS release package of every contract the tier holds (see the module docstring).

    Anyone may have the public tier; only the coordinator the confidential one. ``published``
    defaults to now. Raises :class:`NotFound` when the tier holds no contract yet (a package
    has at least one release).
    """
    if tier is Tier.CONFIDENTIAL and actor.role is not Role.COORDINATOR:
        raise Forbidden("only the coordinator may publish the confidential tier")
    options = options or OcdsOptions()
    found = [r for p in load_processes(session, tier) for r in releases(p, tier, options)]
    found += project_releases(session, options)
    if not found:  # a package holds at least one release (OCDS minItems)
        raise NotFound(f"no contract to publish in the {tier.value} tier yet (nor any project)")
    return {
        "uri": options.package_uri,
        "version": OCDS_VERSION,
        "publishedDate": timestamp(published or datetime.now(UTC)),
        "publisher": {"name": options.publisher_name},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "publicationPolicy": f"{options.package_uri}#{tier.value}",
        "releases": found,
    }


# --- writing and checking ----------------------------------------------------------------------
