"""Contracts changing state: signed twice, put in production, completed or terminated.

Where a contract may go, and who may take it there, is the transition table of
``lifecycle.py``; these use cases load and lock the contract, ask :func:`lifecycle.advance`,
record what the step records (a signature, a reason) and report the change to the unit of work
(so it reaches the transparency log). Drawing up contracts is ``drafting.py``, amending them
``amendments.py``, reading them ``reading.py``.

Changes that answer to an ETag (the API's ``If-Match``) pass ``expected_version``: checked
after every other rule, so a stale read answers 412 only when the change would otherwise have
been allowed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kuznia.db.contracting import Contract
from kuznia.errors import InvalidInput, NotFound, PreconditionFailed
from kuznia.services.access.policy import Viewer
from kuznia.services.contracting.lifecycle import (
    ContractAction,
    advance,
    check_abroad_terms,
    check_role,
    check_settled,
)
from kuznia.services.contracting.reading import (
    contract_document,
    may_read,
    schedule_of,
    settlement_of,
)
from kuznia.services.kernel.actors import Role
from kuznia.services.kernel.locking import locked
from kuznia.services.kernel.unit_of_work import UnitOfWork


def check_version(contract: Contract, expected: int | None) -> None:
    """The client changes the version it read (``If-Match``), or nothing (412)."""
    if expected is not None and contract.version != expected:
        raise PreconditionFailed(
            f"contract {contract.id!r} is at version {contract.version}, not {expected}: "
            "read it again and retry"
        )


def locked_contract(uow: UnitOfWork, contract_id: str) -> tuple[Contract, dict[str, Any]]:
    """The contract, locked until commit, and its document before the change: 404 unless
    ``uow.actor`` may read it, 403 for a role that reads no contract at all (``get_contract``)."""
    Viewer(uow.actor).scope("contracts")
    contract = locked(uow.session, Contract, contract_id)
    if contract is None or not may_read(uow.actor, contract):
        raise NotFound(f"no contract {contract_id!r}")
    return contract, contract_document(contract, schedule_of(uow.session, contract_id))


def _changed(
    uow: UnitOfWork, contract: Contract, before: dict[str, Any], expected_version: int | None
) -> Contract:
    check_version(contract, expected_version)
    contract.version += 1
    uow.session.flush()
    after = contract_document(contract, before["schedule"])
    uow.record("contracts", contract.id, "update", before, after)
    return contract


def sign_contract(
    uow: UnitOfWork, contract_id: str, *, expected_version: int | None = None
) -> Contract:
    """Sign as the coordinator (for Ukraine) or as the paying partner; both signatures, in
    either order, make it ``signed``. A line abroad is signed only with its terms stated."""
    contract, before = locked_contract(uow, contract_id)
    actor, now = uow.actor, datetime.now(UTC)
    for_ukraine = actor.role is Role.COORDINATOR
    action = ContractAction.SIGN_FOR_UKRAINE if for_ukraine else ContractAction.SIGN_FOR_PARTNER
    advance(contract, action, actor)
    check_abroad_terms(contract)
    if for_ukraine:
        contract.coordinator_signed_by, contract.coordinator_signed_at = actor.name, now
    else:
        contract.partner_signed_by, contract.partner_signed_at = actor.name, now
    return _changed(uow, contract, before, expected_version)


def start_production(
    uow: UnitOfWork, contract_id: str, *, expected_version: int | None = None
) -> Contract:
    """signed -> in_production: by the contracted company or the coordinator."""
    contract, before = locked_contract(uow, contract_id)
    advance(contract, ContractAction.START_PRODUCTION, uow.actor)
    return _changed(uow, contract, before, expected_version)


def complete_contract(
    uow: UnitOfWork, contract_id: str, *, expected_version: int | None = None
) -> Contract:
    """in_production -> completed: by the coordinator, once every unit is accepted and every
    commitment settled (the whole amount committed and disbursed); otherwise terminate it,
    saying why."""
    check_role(ContractAction.COMPLETE, uow.actor)
    contract, before = locked_contract(uow, contract_id)
    advance(contract, ContractAction.COMPLETE, uow.actor)
    check_settled(contract, settlement_of(uow.session, contract))
    return _changed(uow, contract, before, expected_version)


def terminate_contract(
    uow: UnitOfWork, contract_id: str, reason: str, *, expected_version: int | None = None
) -> Contract:
    """Any open stage -> terminated, saying why: by the coordinator."""
    check_role(ContractAction.TERMINATE, uow.actor)
    if not reason.strip():
        raise InvalidInput.single("reason", "say why the contract is terminated")
    contract, before = locked_contract(uow, contract_id)
    advance(contract, ContractAction.TERMINATE, uow.actor)
    contract.terminated_reason = reason
    return _changed(uow, contract, before, expected_version)
