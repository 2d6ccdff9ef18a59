"""Aggregates behind the charts: needs coverage over time, capacity against need, money by
partner and the funding flows of the Sankey diagram.

Where names of partners could leak, the functions take the actor: partners whose pledges it may
not read (the ``authz`` rule for ``pledges``) are folded into one "other partners" entry, so an
aggregate never says more than the registries would.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import Forbidden
from kuznia.money import FxRates, Money, round_cents
from kuznia.months import month_index, month_range
from kuznia.scenario.kinds import ProposalKind, kind_of_proposal
from kuznia.scenario.lines import plan_lines
from kuznia.scenario.model import Scenario
from kuznia.scenario.plan import Plan, spend_by_pledge
from kuznia.services.access.policy import Action, Scope, scope_of
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.lifecycle import PLANNED_PROPOSALS
from kuznia.services.registries.summary import line_capacity_in_horizon

ACRONYMS = frozenset({"fpv", "ew", "uav", "usv", "ugv", "sam"})


def category_label(key: str) -> str:
    """``fpv-bomber-drones`` as ``FPV bomber drones``."""
    words = [w.upper() if w in ACRONYMS else w for w in key.replace("_", "-").split("-")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


OTHER_PARTNERS = "*others"
"""The key of the entry standing for every partner the viewer may not name."""


def fx_of(scenario: Scenario) -> FxRates:
    rates = {c: r for c, r in scenario.fx_rates.items() if c != scenario.base_currency}
    return FxRates.parse(scenario.base_currency, rates)


def cents(amount: object) -> int:
    """Integer cents of a plan's decimal money field."""
    return round_cents(amount)  # type: ignore[arg-type]


# --- who may be named -------------------------------------------------------------------------


def named_partners(actor: Actor, partner_ids: Iterable[str]) -> frozenset[str]:
    """Partners the actor may see by name: all, its own, or none (by the ``pledges`` read rule)."""
    try:
        scope = scope_of(actor, "pledges", Action.READ)
    except Forbidden:
        return frozenset()
    if scope is Scope.ALL:
        return frozenset(partner_ids)
    return frozenset({actor.partner_id} & set(partner_ids)) if actor.partner_id else frozenset()


def partner_names(session: Session, lang: str = "en") -> dict[str, str]:
    """Partners' names, in Ukrainian for ``lang`` "uk" where a partner has a Ukrainian name."""
    rows = session.execute(select(db.Partner.id, db.Partner.name, db.Partner.name_uk))
    return {str(i): str(uk if lang == "uk" and uk else n) for i, n, uk in rows}


# --- needs coverage over time -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CoverageRow:
    capability_id: str
    name: str
    shares: tuple[float | None, ...]


def coverage_over_time(scenario: Scenario, plan: Plan) -> tuple[list[str], list[CoverageRow]]:
    """Per capability and month m: the share of the units due by m that the plan delivers to
    those needs by m (``None`` while nothing is due). Needs weigh by their units."""
    months = month_range(scenario.start_month, scenario.horizon_months)
    n = len(months)
    due: dict[str, list[int]] = defaultdict(lambda: [0] * n)
    met: dict[str, list[int]] = defaultdict(lambda: [0] * n)
    req_index = {r.id: r for r in scenario.requirements}
    for r in scenario.requirements:
        at = min(max(month_index(scenario.start_month, r.due_month), 0), n - 1)
        due[r.capability][at] += r.quantity
    for d in plan.deliveries:
        r = req_index[d.requirement]
        at = max(
            month_index(scenario.start_month, d.month),
            month_index(scenario.start_month, r.due_month),
            0,
        )
        if at < n:
            met[r.capability][at] += d.units
    rows = []
    for c in scenario.capabilities:
        shares: list[float | None] = []
        total_due = total_met = 0
        for m in range(n):
            total_due += due[c.id][m]
            total_met += met[c.id][m]
            shares.append(min(1.0, total_met / total_due) if total_due else None)
        if total_due:
            rows.append(CoverageRow(c.id, c.name, tuple(shares)))
    return months, rows


# --- capacity against need --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CapacityRow:
    capability_id: str
    name: str
    unit: str
    needed: int
    declared: int
    funded: int
    delivered: int | None
    category: str | None = None


def capacity_rows(
    session: Session, scenario: Scenario, plan: Plan, delivered: Mapping[str, int] | None = None
) -> list[CapacityRow]:
    """Units needed, declared by vetted lines within the horizon, funded by the plan, and
    delivered (from the ledger's deliveries when given) per capability."""
    needed: dict[str, int] = defaultdict(int)
    for r in scenario.requirements:
        needed[r.capability] += r.quantity
    declared: dict[str, int] = defaultdict(int)
    vetted = select(db.Proposal).where(db.Proposal.status.in_(PLANNED_PROPOSALS))
    for p in session.scalars(vetted):
        declared[p.capability_id] += line_capacity_in_horizon(p, scenario.horizon_months)
    line_cap = {ident: p.capability for ident, p in plan_lines(scenario, plan).items()}
    funded: dict[str, int] = defaultdict(int)
    for row in plan.production:
        funded[line_cap[row.proposal]] += row.units
    return [
        CapacityRow(
            c.id, c.name, c.unit, needed[c.id], declared[c.id], funded[c.id],
            None if delivered is None else delivered.get(c.id, 0), c.category,
        )
        for c in scenario.capabilities
        if needed[c.id] or declared[c.id]
    ]  # fmt: skip


# --- money by partner -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartnerMoney:
    partner_id: str
    name: str
    pledged: Money
    planned: Money
    committed: Money | None = None
    disbursed: Money | None = None


def money_by_partner(
    session: Session,
    actor: Actor,
    scenario: Scenario,
    plan: Plan,
    ledger: Mapping[str, tuple[int, int]] | None = None,
    *,
    max_partners: int = 12,
    lang: str = "en",
) -> list[PartnerMoney]:
    """Pledged (confirmed, in base currency), planned by the plan, and committed and disbursed
    (``ledger``: partner -> cents, when the ledger provides them), per partner the actor may
    name, with the rest in one :data:`OTHER_PARTNERS` entry (and partners beyond the
    ``max_partners`` largest pledgers too, so the chart stays readable)."""
    fx, base = fx_of(scenario), scenario.base_currency
    owner = {g.id: g.partner for g in scenario.pledges}
    names = partner_names(session, lang)
    pledged: dict[str, int] = defaultdict(int)
    for g in scenario.pledges:
        pledged[g.partner] += fx.to_base(Money(cents(g.amount), g.currency)).cents
    ranked = sorted(named_partners(actor, names), key=lambda p: -pledged[p])
    visible = frozenset(ranked[:max_partners])
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for g in scenario.pledges:
        key = g.partner if g.partner in visible else OTHER_PARTNERS
        sums[key][0] += fx.to_base(Money(cents(g.amount), g.currency)).cents
    for pledge_id, spent in spend_by_pledge(plan).items():
        key = owner[pledge_id] if owner[pledge_id] in visible else OTHER_PARTNERS
        sums[key][1] += spent
    for partner_id, (committed, disbursed) in (ledger or {}).items():
        key = partner_id if partner_id in visible else OTHER_PARTNERS
        sums[key][2] += committed
        sums[key][3] += disbursed
    rows = [
        PartnerMoney(
            key, names.get(key, key), Money(v[0], base), Money(v[1], base),
            None if ledger is None else Money(v[2], base),
            None if ledger is None else Money(v[3], base),
        )
        for key, v in sums.items()
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (r.partner_id == OTHER_PARTNERS, -r.pledged.cents))


# --- funding flows ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Flow:
    source: str
    target: str
    cents: int


@dataclass(frozen=True, slots=True)
class FlowGraph:
    """Money of the plan from partner (``partner:ID``) to where production happens
    (``kind:KIND``) to capability or category (``capability:ID``)."""

    partners: tuple[tuple[str, str], ...]
    kinds: tuple[ProposalKind, ...]
    capabilities: tuple[tuple[str, str], ...]
    flows: tuple[Flow, ...]
    base_currency: str


def funding_flows(
    session: Session,
    actor: Actor,
    scenario: Scenario,
    plan: Plan,
    *,
    max_partners: int = 10,
    lang: str = "en",
) -> FlowGraph:
    """The plan's money in three steps; capabilities are grouped by category when there are
    more than 15, and partners beyond the ``max_partners`` largest join the other partners."""
    lines = plan_lines(scenario, plan)
    owner = {g.id: g.partner for g in scenario.pledges}
    by_category = len(scenario.capabilities) > 15
    cap_group = {c.id: (c.category or c.id) if by_category else c.id for c in scenario.capabilities}
    cap_label = {c.id: c.name for c in scenario.capabilities}
    if by_category:
        cap_label = {g: category_label(g) for g in set(cap_group.values())}
    spend = _spend_by_pledge_line(plan)
    names = partner_names(session, lang)
    visible = _largest(named_partners(actor, names), spend, owner, max_partners)
    first: dict[tuple[str, str], int] = defaultdict(int)
    second: dict[tuple[str, str], int] = defaultdict(int)
    for (pledge_id, line_id), amount in spend.items():
        partner = owner[pledge_id] if owner[pledge_id] in visible else OTHER_PARTNERS
        kind = kind_of_proposal(lines[line_id]).value
        group = cap_group[lines[line_id].capability]
        first[(f"partner:{partner}", f"kind:{kind}")] += amount
        second[(f"kind:{kind}", f"capability:{group}")] += amount
    return _graph(first, second, names, cap_label, scenario.base_currency)


def _spend_by_pledge_line(plan: Plan) -> dict[tuple[str, str], int]:
    spend: dict[tuple[str, str], int] = defaultdict(int)
    for f in plan.funding:
        spend[(f.pledge, f.proposal)] += cents(f.amount)
    for s in plan.setup:
        spend[(s.pledge, s.proposal)] += cents(s.amount)
    return spend


def _largest(
    visible: frozenset[str],
    spend: Mapping[tuple[str, str], int],
    owner: Mapping[str, str],
    limit: int,
) -> frozenset[str]:
    per_partner: dict[str, int] = defaultdict(int)
    for (pledge_id, _), amount in spend.items():
        per_partner[owner[pledge_id]] += amount
    ranked = sorted((p for p in visible if per_partner[p]), key=lambda p: -per_partner[p])
    return frozenset(ranked[:limit])


def _graph(
    first: Mapping[tuple[str, str], int],
    second: Mapping[tuple[str, str], int],
    names: Mapping[str, str],
    cap_label: Mapping[str, str],
    base: str,
) -> FlowGraph:
    out: dict[str, int] = defaultdict(int)
    for (source, _), amount in first.items():
        out[source] += amount
    partners = sorted(
        {s.removeprefix("partner:") for s, _ in first}, key=lambda p: (p == OTHER_PARTNERS, -out[
            f"partner:{p}"])
    )  # fmt: skip
    into: dict[str, int] = defaultdict(int)
    for (_, target), amount in second.items():
        into[target] += amount
    caps = sorted({t.removeprefix("capability:") for _, t in second},
                  key=lambda c: -into[f"capability:{c}"])  # fmt: skip
    kinds = tuple(k for k in ProposalKind if any(t == f"kind:{k.value}" for _, t in first))
    ranked = [
        *sorted(first.items(), key=lambda i: -i[1]),
        *sorted(second.items(), key=lambda i: -i[1]),
    ]
    flows = [Flow(s, t, v) for (s, t), v in ranked if v > 0]
    return FlowGraph(
        tuple((p, names.get(p, p)) for p in partners),
        kinds,
        tuple((c, cap_label.get(c, c)) for c in caps),
        tuple(flows),
        base,
    )


def pledge_labels(
    session: Session, actor: Actor, scenario: Scenario, lang: str = "en"
) -> dict[str, str]:
    """``pledge id -> "id (partner)"`` for the pledges of partners the actor may name."""
    names = partner_names(session, lang)
    visible = named_partners(actor, names)
    return {
        g.id: f"{g.id} ({names.get(g.partner, g.partner)})"
        for g in scenario.pledges
        if g.partner in visible
    }
