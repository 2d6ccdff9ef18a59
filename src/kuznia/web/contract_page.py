"""What the contract page shows: the terms, the schedule against deliveries, the money and its
balances, the history from the log, and the forms of the steps the reader may take now.

Which forms show is asked of the services' own rules (``lifecycle.next_stage`` for the contract's
transition table, ``check_inspector`` for inspections, the parties of ``parties_of`` for money),
so a form is offered exactly when its step would be allowed; the services check again on submit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from kuznia.db.contracting import Contract, FlowKind, MoneyFlow
from kuznia.errors import KuzniaError, NotFound
from kuznia.money import Money
from kuznia.services.contracting import deliveries, history, money_flows, reading, views
from kuznia.services.contracting.lifecycle import (
    UNINSPECTED,
    ContractAction,
    Party,
    check_inspector,
    check_settled,
    next_stage,
    parties_of,
    stage_of,
)
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.transparency.checkpoints import NoCheckpoint, latest_checkpoint
from kuznia.web.contract_forms import (
    AMEND_FIELDS,
    DELIVERY_FIELDS,
    FLOW_FIELDS,
    INSPECTION_FIELDS,
    TERMINATE_FIELDS,
    UNDER_COMMITMENT,
    FormState,
    contract_title,
    schedule_text,
)
from kuznia.web.fields import VALUE_LABELS
from kuznia.web.forms import Bound, Field, Gettext, bind
from kuznia.web.navigation import N_, ROLE_LABELS
from kuznia.web.record_forms import options_for

LICENCE_LABELS: Mapping[str, str] = {
    "not_required": N_("not required"),
    "applied": N_("applied for"),
    "granted": N_("granted"),
    "refused": N_("refused"),
    "expired": N_("expired"),
}
STAGE_LABELS: Mapping[str, str] = {
    "draft": N_("draft, not signed yet"),
    "coordinator_signed": N_("draft, signed for Ukraine; waits for the partner"),
    "partner_signed": N_("draft, signed by the partner; waits for Ukraine"),
    "signed": N_("signed"),
    "in_production": N_("in production"),
    "completed": N_("completed"),
    "terminated": N_("terminated"),
}

TERM_LABELS: Mapping[str, str] = {
    "title": N_("Title"),
    "status": N_("Status"),
    "units": N_("Units"),
    "amount_cents": N_("Amount"),
    "schedule": N_("Schedule"),
    "coordinator_signed_by": N_("Signed for Ukraine"),
    "partner_signed_by": N_("Signed by the partner"),
    "terminated_reason": N_("Terminated because"),
    "offtake_until": N_("Output goes to Ukraine until"),
    "offtake_condition": N_("Or until this condition"),
    "capacity_after": N_("Capacity after the offtake"),
    "ip_owner": N_("Owner of the intellectual property"),
    "export_licence_status": N_("Export licence"),
    "export_licence_reference": N_("Licence reference"),
    "export_licence_expiry": N_("Licence expiry"),
}
RECORD_LABELS: Mapping[str, str] = {
    "contracts": N_("contract"),
    "money_flows": N_("money"),
    "deliveries": N_("delivery"),
}


def shown_term(currency: str, _: Gettext) -> Callable[[str, Any], str]:
    """How a term's value reads in a list of changes (amounts in the contract's currency)."""

    def shown(name: str, value: Any) -> str:
        if value is None or value == "":
            return "–"
        if name == "status":
            return _(VALUE_LABELS.get(str(value), str(value)))
        if name == "export_licence_status":
            return _(LICENCE_LABELS.get(str(value), str(value)))
        if name == "amount_cents" and isinstance(value, int):
            return Money(value, currency).display()
        if name == "schedule" and isinstance(value, Mapping):
            return schedule_text(value)
        return str(value)

    return shown


@dataclass(frozen=True, slots=True)
class Balances:
    """The contract's money so far, and its pledge's (None if the reader may not see it)."""

    amount: Money
    committed: Money
    disbursed: Money
    spent: Money
    pledge: money_flows.PledgeBalance | None

    @property
    def left_to_commit(self) -> Money:
        return self.amount - self.committed


def _allowed(contract: Contract, action: ContractAction, actor: Actor) -> bool:
    try:
        next_stage(contract, action, actor)
    except KuzniaError:
        return False
    return True


def _may_inspect(actor: Actor) -> bool:
    try:
        check_inspector(actor)
    except KuzniaError:
        return False
    return True


def _settled(session: Session, contract: Contract) -> bool:
    try:
        check_settled(contract, reading.settlement_of(session, contract))
    except KuzniaError:
        return False
    return True


def allowed_steps(
    session: Session, contract: Contract, actor: Actor, commitments: int
) -> dict[str, bool]:
    """Which of the page's forms ``actor`` may use now."""
    parties = parties_of(actor, contract)
    sign = ContractAction.SIGN_FOR_UKRAINE if actor.role is Role.COORDINATOR else (
        ContractAction.SIGN_FOR_PARTNER)  # fmt: skip
    return {
        "sign": _allowed(contract, sign, actor),
        "amend": _allowed(contract, ContractAction.AMEND, actor),
        "terminate": _allowed(contract, ContractAction.TERMINATE, actor),
        "complete": _allowed(contract, ContractAction.COMPLETE, actor)
        and _settled(session, contract),
        "start": _allowed(contract, ContractAction.START_PRODUCTION, actor),
        "commit": _allowed(contract, ContractAction.COMMIT_FUNDS, actor),
        "disburse": bool(commitments and parties & {Party.COORDINATOR, Party.PAYING_PARTNER}),
        "spend": bool(commitments and parties & {Party.COORDINATOR, Party.CONTRACTED_COMPANY}),
        "deliver": _allowed(contract, ContractAction.DELIVER, actor),
        "inspect": _may_inspect(actor),
    }


def balances(
    session: Session, actor: Actor, contract: Contract, flows: Sequence[MoneyFlow]
) -> Balances:
    sums = dict.fromkeys(FlowKind, 0)
    for flow in flows:
        sums[flow.kind] += flow.amount_cents
    try:
        pledge = money_flows.pledge_balance(session, actor, contract.pledge_id)
    except NotFound:
        pledge = None
    currency = contract.currency
    return Balances(
        Money(contract.amount_cents, currency),
        Money(sums[FlowKind.COMMITMENT], currency),
        Money(sums[FlowKind.DISBURSEMENT], currency),
        Money(sums[FlowKind.EXPENDITURE], currency),
        pledge,
    )


def _checkpoint_size(session: Session) -> int | None:
    try:
        return latest_checkpoint(session).size
    except NoCheckpoint:
        return None


def _commitment_options(flows: Sequence[MoneyFlow]) -> list[tuple[str, str]]:
    return [
        (f.id, f"{Money(f.amount_cents, f.currency).display()} · {f.value_date.isoformat()}")
        for f in flows
        if f.kind is FlowKind.COMMITMENT
    ]


def _binder(
    session: Session, actor: Actor, _: Gettext, commitments: list[tuple[str, str]]
) -> Callable[[Sequence[Field], FormState, Mapping[str, Any]], list[Bound]]:
    def options(f: Field) -> list[tuple[str, str]]:
        if f.options == "commitments":
            return commitments
        if f.options.startswith("enum:contracts."):
            return [(k, _(v)) for k, v in LICENCE_LABELS.items()]
        return options_for(session, actor, f.options, _)

    def bound(
        fields: Sequence[Field], state: FormState, defaults: Mapping[str, Any]
    ) -> list[Bound]:
        return bind(fields, {**defaults, **state.values}, state.errors, options, _)

    return bound


def _form_defaults(contract: Contract, schedule: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    today = datetime.now(UTC).date().isoformat()
    terms = {
        name: "" if getattr(contract, name) is None else str(getattr(contract, name))
        for name in ("offtake_until", "offtake_condition", "capacity_after", "ip_owner",
                     "export_licence_status", "export_licence_reference", "export_licence_expiry")
    }  # fmt: skip
    return {
        "amend": {"title": contract.title, "units": str(contract.units),
                  "amount": str(Money(contract.amount_cents, contract.currency).amount),
                  "schedule": schedule_text(schedule), **terms},
        "commit": {"currency": contract.currency, "value_date": today},
        "disburse": {"currency": contract.currency, "value_date": today},
        "spend": {"currency": contract.currency, "value_date": today},
        "deliver": {"delivered_on": today},
    }  # fmt: skip


FORMS: Mapping[str, Sequence[Field]] = {
    "amend": AMEND_FIELDS,
    "terminate": TERMINATE_FIELDS,
    "commit": FLOW_FIELDS,
    "disburse": (UNDER_COMMITMENT, *FLOW_FIELDS),
    "spend": (UNDER_COMMITMENT, *FLOW_FIELDS),
    "deliver": DELIVERY_FIELDS,
}


def contract_context(
    session: Session,
    actor: Actor,
    contract_id: str,
    _: Gettext,
    states: Mapping[str, FormState],
    lang: str = "en",
) -> dict[str, Any]:
    """Everything ``contract.html`` shows, with the forms bound to ``states`` (what was typed
    and the messages, for a form sent back)."""
    contract = reading.get_contract(session, actor, contract_id)
    schedule = reading.schedule_of(session, contract_id)
    flows = money_flows.flows_of_contract(session, actor, contract_id)
    commitments = _commitment_options(flows)
    bound = _binder(session, actor, _, commitments)
    defaults = _form_defaults(contract, schedule)
    forms = {
        name: bound(fields, states.get(name, FormState()), defaults.get(name, {}))
        for name, fields in FORMS.items()
    }
    inspections = {
        key: bound(INSPECTION_FIELDS, state, {}) for key, state in states.items()
        if key.startswith("inspect:")
    }  # fmt: skip
    as_of = datetime.now(UTC).strftime("%Y-%m")
    parties = views.party_names(session, actor, views.Wanted().add(contract))
    return {
        "contract": contract,
        "parties": parties,
        "title": contract_title(contract.title, _, parties, lang),
        "stage": _(STAGE_LABELS[stage_of(contract).value]),
        "licence": _licence(contract, _),
        "schedule_plan": schedule,
        "as_of": as_of,
        "schedule": deliveries.schedule_status(session, actor, contract_id, as_of),
        "deliveries": deliveries.deliveries_of(session, actor, contract_id),
        "uninspected": UNINSPECTED,
        "flows": flows,
        "balances": balances(session, actor, contract, flows),
        "amendments": reading.amendments_of(session, actor, contract_id),
        "history": history.history_of(session, actor, contract_id),
        "checkpoint_size": _checkpoint_size(session),
        "steps": allowed_steps(session, contract, actor, len(commitments)),
        "forms": forms,
        "inspections": inspections,
        "states": states,
        "inspection_fields": lambda: bound(INSPECTION_FIELDS, FormState(), {}),
        **_labels(contract.currency, _),
    }


def _licence(contract: Contract, _: Gettext) -> str | None:
    status = contract.export_licence_status
    return _(LICENCE_LABELS[status]) if status else None


def _labels(currency: str, _: Gettext) -> dict[str, Any]:
    return {
        "term_labels": TERM_LABELS,
        "record_labels": RECORD_LABELS,
        "role_labels": {role.value: label for role, label in ROLE_LABELS.items()},
        "shown": shown_term(currency, _),
    }
