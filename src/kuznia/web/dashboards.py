"""Charts of the overview and funding-flows pages, built from the aggregates of
``services.views`` with labels in the viewer's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kuznia.money import Money
from kuznia.scenario.kinds import ProposalKind
from kuznia.services.planning.aggregates import (
    OTHER_PARTNERS,
    CapacityRow,
    CoverageRow,
    FlowGraph,
    PartnerMoney,
    category_label,
)
from kuznia.web.charts import PALETTE, Chart, Series, hbar_chart, heatmap
from kuznia.web.navigation import N_
from kuznia.web.sankey import Link, Node, sankey
from kuznia.web.templating import millions, month_parts, number, percent

Gettext = Callable[[str], str]

KIND_LABELS = {
    ProposalKind.IN_UKRAINE: N_("Ukrainian firms in Ukraine"),
    ProposalKind.UKRAINIAN_ABROAD: N_("Ukrainian firms abroad"),
    ProposalKind.FOREIGN_IN_UKRAINE: N_("Foreign firms in Ukraine"),
    ProposalKind.PARTNER_DOMESTIC: N_("Partner's domestic industry"),
}


def partner_label(partner_id: str, name: str, _: Gettext, *, alone: bool = False) -> str:
    if partner_id != OTHER_PARTNERS:
        return name
    return _("All partners") if alone else _("Other partners")


def coverage_chart(
    months: Sequence[str], rows: Sequence[CoverageRow], _: Gettext, locale: str
) -> Chart:
    return heatmap(
        "coverage",
        _("Needs coverage by capability over time"),
        _("Share of the units due by each month that the current plan delivers by then (%)"),
        [r.name for r in rows],
        [month_parts(m, locale) for m in months],
        [r.shares for r in rows],
        lambda v: percent(v, locale),
        [_("under 20%"), _("20–40%"), _("40–60%"), _("60–80%"), _("80% and more")],
        _("nothing due yet"),
    )


def by_category(rows: Sequence[CapacityRow]) -> list[CapacityRow]:
    """Rows summed per capability category (units of one category are alike: drones, rounds)."""
    groups: dict[str, list[CapacityRow]] = {}
    for r in rows:
        groups.setdefault(r.category or r.capability_id, []).append(r)
    return [
        CapacityRow(
            key, category_label(key), "", sum(r.needed for r in g),
            sum(r.declared for r in g), sum(r.funded for r in g),
            None if any(r.delivered is None for r in g) else sum(r.delivered or 0 for r in g),
            key,
        )
        for key, g in groups.items()
    ]  # fmt: skip


def capacity_chart(rows: Sequence[CapacityRow], _: Gettext, locale: str) -> Chart:
    """Declared, funded and delivered units as a share of the need, so capabilities with
    different units share one axis; by category when there are more than 20 capabilities."""
    grouped = len(rows) > 20
    if grouped:
        rows = by_category(rows)

    def share(value: int | None, row: CapacityRow) -> float | None:
        if value is None or not row.needed:
            return None
        return value / row.needed

    series = [
        Series(_("Declared capacity"), tuple(share(r.declared, r) for r in rows), PALETTE[4]),
        Series(_("Funded by the plan"), tuple(share(r.funded, r) for r in rows), PALETTE[0]),
        Series(_("Delivered"), tuple(share(r.delivered, r) for r in rows), PALETTE[2]),
    ]
    chart = hbar_chart(
        "capacity",
        _("Declared, funded and delivered capacity against need"),
        _("Units over the planning horizon as a share of the units needed (%); bars stop at 200%"),
        [r.name for r in rows],
        series,
        lambda v: percent(v, locale),
        cap=2.0,
    )
    notes = [_("Grouped by capability category.")] if grouped else []
    if any(r.delivered is None for r in rows):
        notes.append(_("No deliveries are recorded yet: the ledger has none."))
    return _with_note(chart, " ".join(notes)) if notes else chart


def money_chart(rows: Sequence[PartnerMoney], _: Gettext, locale: str) -> Chart:
    base = rows[0].pledged.currency if rows else "EUR"
    alone = len(rows) == 1

    def values(pick: Callable[[PartnerMoney], Money | None]) -> tuple[float | None, ...]:
        return tuple(None if (v := pick(r)) is None else float(v.amount) for r in rows)

    series = [
        Series(_("Pledged"), values(lambda r: r.pledged), PALETTE[4]),
        Series(_("Planned"), values(lambda r: r.planned), PALETTE[0]),
        Series(_("Committed"), values(lambda r: r.committed), PALETTE[1]),
        Series(_("Disbursed"), values(lambda r: r.disbursed), PALETTE[2]),
    ]
    chart = hbar_chart(
        "money",
        _("Money pledged, planned, committed and disbursed by partner"),
        _("Millions of %(currency)s (converted at the scenario's rates)") % {"currency": base},
        [partner_label(r.partner_id, r.name, _, alone=alone) for r in rows],
        series,
        lambda v: millions(v, locale),
    )
    if rows and rows[0].committed is None:
        return _with_note(
            chart, _("Contracts and payments appear here once the ledger records them.")
        )
    return chart


def flows_chart(graph: FlowGraph, _: Gettext, locale: str) -> Chart:
    alone = len(graph.partners) == 1
    nodes = [
        *(Node(f"partner:{p}", partner_label(p, n, _, alone=alone), 0) for p, n in graph.partners),
        *(Node(f"kind:{k.value}", _(KIND_LABELS[k]), 1) for k in graph.kinds),
        *(Node(f"capability:{c}", n, 2) for c, n in graph.capabilities),
    ]
    links = [Link(f.source, f.target, f.cents / 100) for f in graph.flows]
    return sankey(
        "flows",
        _("Where the plan's money goes: partner, where production happens, capability"),
        _("Millions of %(currency)s planned") % {"currency": graph.base_currency},
        nodes,
        links,
        lambda v: millions(v, locale),
        (_("From"), _("To"), _("Millions of %(currency)s") % {"currency": graph.base_currency}),
    )


def _with_note(chart: Chart, note: str) -> Chart:
    from dataclasses import replace

    return replace(chart, note=note)


def units(value: int, locale: str) -> str:
    return number(value, locale)
