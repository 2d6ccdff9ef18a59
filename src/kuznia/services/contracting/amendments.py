"""Amending a contract: its terms change (the coordinator's, while it is open), and the terms
before and after are kept with the version the amendment made.

Reading the amendments is ``reading.py`` (``amendments_of``, ``amendments_page``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from kuznia.db.contracting import ContractAmendment
from kuznia.errors import Conflict, InvalidInput
from kuznia.money import Money
from kuznia.services.contracting.contracts import check_version, locked_contract
from kuznia.services.contracting.drafting import write_schedule
from kuznia.services.contracting.lifecycle import ContractAction, advance, check_role
from kuznia.services.contracting.reading import committed_to, contract_document
from kuznia.services.contracting.terms import check_terms
from kuznia.services.kernel.unit_of_work import UnitOfWork

TERM_FIELDS = (
    "title",
    "units",
    "amount_cents",
    "offtake_until",
    "offtake_condition",
    "capacity_after",
    "ip_owner",
    "export_licence_status",
    "export_licence_reference",
    "export_licence_expiry",
)
"""What an amendment may change (besides the schedule)."""


def amend_contract(
    uow: UnitOfWork,
    contract_id: str,
    changes: Mapping[str, Any],
    reason: str,
    *,
    schedule: Mapping[str, int] | None = None,
    expected_version: int | None = None,
) -> ContractAmendment:
    """Change a contract's terms (coordinator only), keeping before/after and the new version.

    The amount may not drop below the money committed to the contract already. A larger amount
    commits nothing by itself: the paying partner commits more with a new commitment.
    """
    check_role(ContractAction.AMEND, uow.actor)
    unknown = sorted(set(changes) - set(TERM_FIELDS))
    if unknown:
        raise InvalidInput.single("changes", f"cannot amend {', '.join(unknown)}")
    contract, before = locked_contract(uow, contract_id)
    advance(contract, ContractAction.AMEND, uow.actor)
    for name, value in changes.items():
        setattr(contract, name, value)
    new_schedule = dict(schedule) if schedule is not None else before["schedule"]
    check_terms(uow.session, contract, new_schedule)
    committed = committed_to(uow.session, contract_id)
    if contract.amount_cents < committed:
        shown = Money(committed, contract.currency).display()
        raise Conflict(f"amount: {shown} is committed to contract {contract_id} already")
    check_version(contract, expected_version)
    if schedule is not None:
        write_schedule(uow.session, contract_id, new_schedule)
    contract.version += 1
    uow.session.flush()
    return _record(uow, before, contract_document(contract, new_schedule), reason)


def _record(
    uow: UnitOfWork, before: dict[str, Any], after: dict[str, Any], reason: str
) -> ContractAmendment:
    """Keep the amendment (terms before and after, why, by whom) and report the change."""
    amendment = ContractAmendment(
        contract_id=after["id"],
        version=after["version"],
        before=_terms(before),
        after=_terms(after),
        reason=reason,
        amended_by=uow.actor.name,
    )
    uow.session.add(amendment)
    uow.session.flush()  # its id and time, for the answer
    uow.record("contracts", after["id"], "update", before, after)
    return amendment


def _terms(document: Mapping[str, Any]) -> dict[str, Any]:
    """The amendable terms as JSON (dates as ISO strings)."""
    terms = {k: document[k] for k in (*TERM_FIELDS, "schedule")}
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in terms.items()}
