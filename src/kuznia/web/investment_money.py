"""The money section of an investment's record page: its balance (amount, committed, paid,
left), its flows, and the forms to commit (optionally from a pledge with purpose investment)
and to record a payment, for who may (the investor, the coordinator). The forms carry the
investment's version (a commitment against a changed investment is refused) and a one-time id
(the same form sent twice records once), as the contract page's money forms do."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import FlowKind, MoneyFlow
from kuznia.money import Money
from kuznia.services.access.policy import Viewer
from kuznia.services.contracting import investment_money
from kuznia.services.contracting.investment_reading import get_investment, may_fund
from kuznia.services.kernel.actors import Actor
from kuznia.web.contract_forms import FLOW_FIELDS, UNDER_COMMITMENT, FormState
from kuznia.web.forms import Field, Gettext, bind
from kuznia.web.navigation import N_
from kuznia.web.record_forms import options_for

FROM_PLEDGE = Field(
    "pledge_id", N_("Paid from pledge"), "select", required=False, options="investment_pledges",
    hint=N_("A pledge with purpose investment that may pay this project; none: own money."),
)  # fmt: skip
AMOUNT = Field(
    "amount", N_("Amount"), "money", "amount_cents",
    hint=N_("In the investment's currency unless you choose another, e.g. 250000.00."),
)  # fmt: skip
MONEY_FIELDS = (AMOUNT, *(f for f in FLOW_FIELDS if f.name != "amount"))
FORMS: Mapping[str, Sequence[Field]] = {
    "commit": (FROM_PLEDGE, *MONEY_FIELDS),
    "disburse": (UNDER_COMMITMENT, *MONEY_FIELDS),
}
PREFIXES = {"commit": "comm", "disburse": "disb"}


def once_ids() -> dict[str, str]:
    """Fresh one-time ids of the two forms (the ids of the flows they record)."""
    return {form: f"{prefix}-{uuid.uuid4().hex[:20]}" for form, prefix in PREFIXES.items()}


def _pledge_options(session: Session, actor: Actor, _: Gettext) -> list[tuple[str, str]]:
    """No pledge (the investor's own money), or a pledge the reader may read with purpose
    investment (the service says why one may not pay this investment)."""
    own_money = [("", _("none: own money"))]
    if Viewer(actor).grant("pledges") is None:
        return own_money
    readable = Viewer.of(session, actor).condition("pledges")
    pledges = session.scalars(select(db.Pledge).where(readable).order_by(db.Pledge.id))
    chosen = [
        (g.id, f"{g.id} · {Money(g.amount_cents, g.currency).display()}")
        for g in pledges
        if db.PledgePurpose.INVESTMENT in (g.purposes or ())
    ]
    return [*own_money, *chosen]


def _commitments(flows: Sequence[MoneyFlow]) -> list[tuple[str, str]]:
    return [
        (f.id, f"{Money(f.amount_cents, f.currency).display()} · {f.value_date.isoformat()}")
        for f in flows
        if f.kind is FlowKind.COMMITMENT
    ]


def _row(flow: MoneyFlow) -> dict[str, Any]:
    """A flow as plain values: the page renders after the reading session ends."""
    original = (
        Money(flow.original_amount_cents, flow.original_currency)
        if flow.original_amount_cents is not None and flow.original_currency
        else None
    )
    return {
        "id": flow.id, "kind": flow.kind.value, "value_date": flow.value_date.isoformat(),
        "amount": Money(flow.amount_cents, flow.currency), "original": original,
        "under": flow.commitment_id or flow.id, "pledge_id": flow.pledge_id,
        "reference": flow.reference, "recorded_by": flow.recorded_by,
    }  # fmt: skip


def money_context(
    session: Session,
    actor: Actor,
    investment_id: str,
    _: Gettext,
    states: Mapping[str, FormState] | None = None,
) -> dict[str, Any]:
    """What ``partials/investment_money.html`` shows, the forms bound to ``states``."""
    states = states or {}
    investment = get_investment(session, actor, investment_id)
    flows = investment_money.flows_of_investment(session, actor, investment_id)
    commitments = _commitments(flows)
    pledges = _pledge_options(session, actor, _)

    def options(f: Field) -> list[tuple[str, str]]:
        if f.options == "commitments":
            return commitments
        if f.options == "investment_pledges":
            return pledges
        return options_for(session, actor, f.options, _)

    today = datetime.now(UTC).date().isoformat()
    defaults = {"currency": investment.currency, "value_date": today}
    forms = {
        name: bind(fields, {**defaults, **states.get(name, FormState()).values},
                   states.get(name, FormState()).errors, options, _)
        for name, fields in FORMS.items()
    }  # fmt: skip
    funds = may_fund(actor, investment)
    return {
        "money": investment_money.investment_money(session, actor, investment_id),
        "money_flows": [_row(f) for f in flows],
        "money_steps": {"commit": funds, "disburse": funds and bool(commitments)},
        "money_forms": forms,
        "money_states": states,
        "once": once_ids(),
    }
