"""Charts of the investor view (``/invest``): where capacity is missing by capability over time
(a heatmap of the share of the need due by each month that is not delivered by then), and the
value each capacity project adds per million of capex (bars, built and not built apart)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from kuznia.services.investment.gaps import CapabilityGap
from kuznia.services.investment.value import ProjectValue
from kuznia.web.charts import PALETTE, Chart, Series, hbar_chart, heatmap
from kuznia.web.templating import month_parts, number, percent

Gettext = Callable[[str], str]
ROWS = 15


def missing_shares(row: CapabilityGap, due_by: Sequence[int]) -> tuple[float | None, ...]:
    """Per month, the share of the units due by then that are not delivered by then."""
    return tuple(g / d if d else None for g, d in zip(row.gap_by_month, due_by, strict=True))


def gap_chart(
    months: Sequence[str],
    rows: Sequence[CapabilityGap],
    due_by: dict[str, tuple[int, ...]],
    _: Gettext,
    locale: str,
) -> Chart:
    shown = [r for r in rows if r.capability in due_by][:ROWS]
    return heatmap(
        "missing",
        _("Where capacity is missing, by capability over time"),
        _("Share of the units due by each month that the current plan does not deliver by then"),
        [r.name for r in shown],
        [month_parts(m, locale) for m in months],
        [missing_shares(r, due_by[r.capability]) for r in shown],
        lambda v: percent(v, locale),
        [_("under 20%"), _("20–40%"), _("40–60%"), _("60–80%"), _("80% and more")],
        _("nothing due yet"),
    )


def value_chart(
    projects: Sequence[ProjectValue], names: Mapping[str, str], _: Gettext, locale: str
) -> Chart:
    shown = list(projects[:ROWS])
    built = tuple(p.value_per_million if p.built_from else None for p in shown)
    not_built = tuple(None if p.built_from else p.value_per_million for p in shown)
    return hbar_chart(
        "value-per-capex",
        _("Value per million of capex"),
        _("Value points a project adds per million of capital cost (estimate: see below)"),
        [f"{p.project} ({names.get(p.capability, p.capability)})" for p in shown],
        [
            Series(_("built by the plan"), built, PALETTE[2]),
            Series(_("not built"), not_built, PALETTE[1]),
        ],
        lambda v: number(v, locale, 0 if v >= 100 else 1),
    )
