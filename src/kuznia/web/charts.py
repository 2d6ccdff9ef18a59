"""Server-rendered charts: horizontal bars, grouped columns and a heatmap, as inline SVG.

Each function takes labels already translated and values already in the unit the title names,
and returns a :class:`Chart`: the SVG, its legend and the same numbers as a table (shown under
the chart for screen readers and for anyone who wants the figures).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from kuznia.web.svg import el, empty, rect, svg, text

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#7f7f7f", "#882255",
    "#44AA99", "#999933", "#332288", "#AA4499",
)  # fmt: skip
SEQUENTIAL = ("#f1f5fb", "#c6dbef", "#6baed6", "#2b7bba", "#08306b")
LABEL_W = 210
BAR_W = 480
Formatter = Callable[[float], str]


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    colour: str


@dataclass(frozen=True, slots=True)
class LegendItem:
    name: str
    colour: str


@dataclass(frozen=True)
class Chart:
    ident: str
    title: str
    unit: str
    image: Markup
    legend: tuple[LegendItem, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    classes: tuple[str, ...] = field(default=())
    text_columns: int = 1
    """How many leading columns of the table hold text (the rest are numbers)."""


NICE_STEPS = ((1, 5), (1.5, 3), (2, 4), (2.5, 5), (3, 3), (4, 4), (5, 5), (6, 3), (8, 4), (10, 5))
"""Axis maxima as multiples of a power of ten, and into how many round intervals each splits."""


def nice_max(value: float) -> float:
    """The smallest round axis maximum (see :data:`NICE_STEPS`) that is at least ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step, _ in NICE_STEPS:
        if step * power >= value - 1e-12:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def divisions(top: float) -> int:
    """How many grid intervals make round tick values up to ``top`` (a :func:`nice_max`)."""
    lead = top / 10 ** math.floor(math.log10(top)) if top > 0 else 1.0
    return next((count for step, count in NICE_STEPS if abs(step - lead) < 1e-9), 5)


def shorten(label: str, limit: int = 27) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _ticks(top: float, x0: float, width: float, y0: float, y1: float, fmt: Formatter) -> Markup:
    parts = []
    count = divisions(top)
    for i in range(count + 1):
        value = top * i / count
        x = x0 + width * i / count
        parts.append(empty("line", x1=x, x2=x, y1=y0, y2=y1, class_="grid"))
        parts.append(text(x, y1 + 14, fmt(value), class_="tick", text_anchor="middle"))
    return Markup("").join(parts)


def _series_chart(
    ident: str, title: str, unit: str, image: Markup, labels: Sequence[str],
    series: Sequence[Series], fmt: Formatter,
) -> Chart:  # fmt: skip
    """A chart whose legend is its series and whose table has a row per label."""
    rows = tuple(
        (label, *("–" if s.values[i] is None else fmt(s.values[i] or 0.0) for s in series))
        for i, label in enumerate(labels)
    )
    legend = tuple(LegendItem(s.name, s.colour) for s in series)
    return Chart(ident, title, unit, image, legend, ("", *(s.name for s in series)), rows)


def _row_label(label: str, x: float, y: float) -> Markup:
    """A row's name at the left, shortened, the full name as its tooltip."""
    return el("text", [el("title", label), shorten(label)], x=float(x), y=float(y),
              text_anchor="end", class_="label")  # fmt: skip


def hbar_chart(
    ident: str,
    title: str,
    unit: str,
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: Formatter,
    *,
    cap: float | None = None,
) -> Chart:
    """Grouped horizontal bars, one group per category; values beyond ``cap`` are drawn at the cap
    (the label still shows the true value). A series with no values at all is left out."""
    series = [s for s in series if any(v is not None for v in s.values)]
    bar_h, gap, top_pad = 11, 12, 6
    group_h = len(series) * (bar_h + 2) + gap
    height = top_pad + group_h * len(categories) + 24
    present = [v for s in series for v in s.values if v is not None]
    top = nice_max(min(max(present, default=0.0), cap) if cap else max(present, default=0.0))
    parts = [_ticks(top, LABEL_W, BAR_W, top_pad, height - 22, fmt)]
    for i, category in enumerate(categories):
        y = top_pad + i * group_h + gap / 2
        parts.append(_row_label(category, LABEL_W - 8, y + len(series) * (bar_h + 2) / 2 + 4))
        for j, s in enumerate(series):
            value, by = s.values[i], y + j * (bar_h + 2)
            if value is None:
                continue
            w = BAR_W * min(value, top) / top
            tip = f"{category}, {s.name}: {fmt(value)}"
            parts.append(el("g", [el("title", tip), rect(LABEL_W, by, w, bar_h, s.colour)]))
            if value:  # zeros are in the table; a column of "0" labels only adds noise
                parts.append(text(LABEL_W + w + 4, by + bar_h - 1, fmt(value), class_="value"))
    image = svg(LABEL_W + BAR_W + 70, height, parts, title=title, desc=unit, ident=ident)
    return _series_chart(ident, title, unit, image, categories, series, fmt)


def _month_axis(
    labels: Sequence[tuple[str, str]], x0: float, slot: float, y: float, step: int
) -> list[Markup]:
    """Month names under the columns (every ``step``-th) and the year wherever it changes."""
    parts = []
    for k, (month, year) in enumerate(labels):
        x = x0 + k * slot + slot / 2
        if k % step == 0:
            parts.append(text(x, y, month, class_="tick", text_anchor="middle"))
        if k == 0 or year != labels[k - 1][1]:
            parts.append(text(x, y + 14, year, class_="tick", text_anchor="middle"))
    return parts


def column_chart(
    ident: str,
    title: str,
    unit: str,
    x_labels: Sequence[tuple[str, str]],
    series: Sequence[Series],
    fmt: Formatter,
) -> Chart:
    """Grouped columns over time: (month, year) labels on the x axis, the year written where it
    changes, every third month labelled when crowded."""
    left, plot_h, width = 64, 240, 760
    slot = (width - left - 10) / max(len(x_labels), 1)
    bar_w = max(2.0, (slot - 4) / max(len(series), 1))
    top = nice_max(max((v for s in series for v in s.values if v is not None), default=0.0))
    count = divisions(top)
    parts: list[Markup] = []
    for i in range(count + 1):
        y = 10 + plot_h * (1 - i / count)
        parts.append(empty("line", x1=float(left), x2=float(width - 10), y1=y, y2=y, class_="grid"))
        parts.append(text(left - 6, y + 4, fmt(top * i / count), class_="tick", text_anchor="end"))
    parts += _month_axis(x_labels, left, slot, plot_h + 24, 1 if len(x_labels) <= 18 else 3)
    labels = [f"{m} {y}" for m, y in x_labels]
    for k, label in enumerate(labels):
        for j, s in enumerate(series):
            value = s.values[k]
            if value:
                h = plot_h * value / top
                bar = rect(left + k * slot + 2 + j * bar_w, 10 + plot_h - h, bar_w, h, s.colour)
                parts.append(el("g", [el("title", f"{label}, {s.name}: {fmt(value)}"), bar]))
    image = svg(width, plot_h + 44, parts, title=title, desc=unit, ident=ident)
    return _series_chart(ident, title, unit, image, labels, series, fmt)


def bin_colour(share: float) -> tuple[str, str]:
    """Fill and text colour of a heatmap cell for a share in [0, 1]."""
    index = min(int(share * len(SEQUENTIAL)), len(SEQUENTIAL) - 1)
    return SEQUENTIAL[index], ("#ffffff" if index >= 3 else "#1a1a1a")


def _heat_cell(
    x: float, y: float, w: float, share: float | None, tip: str, fmt: Formatter
) -> Markup:
    h = 21.0
    if share is None:
        return rect(x, y, w - 1, h, "#ffffff", class_="blank")
    fill, ink = bin_colour(share)
    cell = [el("title", f"{tip}: {fmt(share)}"), rect(x, y, w - 1, h, fill)]
    if w >= 30:
        cell.append(text(x + w / 2, y + 15, fmt(share), fill=ink, class_="cell",
                         text_anchor="middle"))  # fmt: skip
    return el("g", cell)


def heatmap(
    ident: str,
    title: str,
    unit: str,
    row_labels: Sequence[str],
    col_labels: Sequence[tuple[str, str]],
    shares: Sequence[Sequence[float | None]],
    fmt: Formatter,
    bin_names: Sequence[str],
    blank_name: str,
) -> Chart:
    """Rows by columns of shares in [0, 1]; ``None`` cells (nothing due yet) stay blank.

    Columns are months given as (month, year) labels; the year is written where it changes."""
    cell_w = max(14.0, min(46.0, 552 / max(len(col_labels), 1)))
    cell_h, top = 22, 34
    parts = _month_axis(col_labels, LABEL_W, cell_w, top - 20, 1 if cell_w >= 30 else 3)
    for i, label in enumerate(row_labels):
        y = top + i * cell_h
        parts.append(_row_label(label, LABEL_W - 8, y + 15))
        for k, share in enumerate(shares[i]):
            tip = f"{label}, {' '.join(col_labels[k])}"
            parts.append(_heat_cell(LABEL_W + k * cell_w, y, cell_w, share, tip, fmt))
    width = LABEL_W + cell_w * len(col_labels) + 10
    height = top + cell_h * len(row_labels) + 6
    image = svg(width, height, parts, title=title, desc=unit, ident=ident)
    legend = (
        *(LegendItem(n, c) for n, c in zip(bin_names, SEQUENTIAL, strict=True)),
        LegendItem(blank_name, "#ffffff"),
    )
    rows = tuple(
        (label, *("–" if s is None else fmt(s) for s in shares[i]))
        for i, label in enumerate(row_labels)
    )
    headers = ("", *(" ".join(c) for c in col_labels))
    return Chart(ident, title, unit, image, legend, headers, rows)
