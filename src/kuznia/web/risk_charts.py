"""Fan charts of a risk evaluation: cumulative units delivered of a capability by month, the
band between the levels reached in 90 % and in 10 % of paths, the median path, and the plan.

Drawn on the server as inline SVG like :mod:`kuznia.web.charts`, with the same figures as a
table under each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from kuznia.web.charts import Chart, LegendItem, divisions, nice_max
from kuznia.web.svg import empty, svg, text

BAND, MEDIAN, PLANNED = "#9ecae1", "#0072B2", "#E69F00"
LEFT, WIDTH, PLOT_H = 64, 520, 170


def _points(values: Sequence[float], top: float) -> list[tuple[float, float]]:
    n = max(len(values) - 1, 1)
    return [
        (LEFT + (WIDTH - LEFT - 10) * k / n, 10 + PLOT_H * (1 - v / top))
        for k, v in enumerate(values)
    ]


def _path(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _axes(top: float, months: Sequence[str]) -> list[Markup]:
    parts: list[Markup] = []
    count = divisions(top)
    for i in range(count + 1):
        y = 10 + PLOT_H * (1 - i / count)
        parts.append(empty("line", x1=float(LEFT), x2=float(WIDTH - 10), y1=y, y2=y, class_="grid"))
        parts.append(
            text(LEFT - 6, y + 4, f"{top * i / count:,.0f}", class_="tick", text_anchor="end")
        )
    last = len(months) - 1
    for k in sorted({0, last // 2, last}):
        x = LEFT + (WIDTH - LEFT - 10) * k / max(last, 1)
        anchor = "start" if k == 0 else "end" if k == last else "middle"
        parts.append(text(x, PLOT_H + 26, months[k], class_="tick", text_anchor=anchor))
    return parts


def fan_chart(
    ident: str,
    title: str,
    unit: str,
    months: Sequence[str],
    fan: dict[str, Any],
    labels: dict[str, str],
) -> Chart:
    """``fan``: ``planned``, ``p90``, ``p50``, ``p10`` (cumulative units by month)."""
    top = nice_max(max([*fan["planned"], *fan["p10"], 1.0]))
    low, high = _points(fan["p90"], top), _points(fan["p10"], top)
    parts = _axes(top, months)
    parts.append(empty("polygon", points=_path(low + high[::-1]), fill=BAND, stroke="none"))
    parts.append(
        empty(
            "polyline",
            points=_path(_points(fan["p50"], top)),
            fill="none",
            stroke=MEDIAN,
            stroke_width=2,
        )
    )
    parts.append(
        empty(
            "polyline",
            points=_path(_points(fan["planned"], top)),
            fill="none",
            stroke=PLANNED,
            stroke_width=2,
            stroke_dasharray="5 3",
        )
    )
    image = svg(WIDTH, PLOT_H + 36, parts, title=title, desc=unit, ident=ident)
    legend = (
        LegendItem(labels["band"], BAND),
        LegendItem(labels["median"], MEDIAN),
        LegendItem(labels["planned"], PLANNED),
    )
    rows = tuple(
        (m, *(f"{fan[k][i]:,.0f}" for k in ("planned", "p90", "p50", "p10")))
        for i, m in enumerate(months)
    )
    headers = (labels["month"], labels["planned"], "P90", "P50", "P10")
    return Chart(
        ident=ident, title=title, unit=unit, image=image, legend=legend, headers=headers, rows=rows
    )


def shortfall(fan: dict[str, Any]) -> float:
    """How far the band's low edge ends below the plan, as a share of the plan."""
    planned = fan["planned"][-1] if fan["planned"] else 0.0
    return (planned - fan["p90"][-1]) / planned if planned else 0.0
