"""A three-column Sankey diagram drawn as inline SVG.

Columns are laid out left to right; a node is as tall as the larger of the money flowing in and
out; links are filled cubic bands, stacked at both ends in the order of the node they come from or
go to, so bands cross as little as a fixed node order allows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from kuznia.web.charts import PALETTE, Chart, Formatter, LegendItem
from kuznia.web.svg import el, rect, svg

NODE_W = 14
OTHER_SUFFIX = ":*others"
"""Node keys ending so stand for everyone folded together; they are drawn in grey."""
GAP = 10
PLOT_H = 440
COLUMN_GAPS = (200.0, 260.0)
CHAR_W = 7.6
"""A little more than the widest common character of a 12 px label (Cyrillic letters are wider
than Latin ones), so room is left for the longest line in either language."""
OTHER_COLOUR = "#9a9a9a"


LINE_H = 14
WRAP = (30, 32, 34)
"""Characters per label line in each column: a label wraps at words, it is never cut."""


def wrap(label: str, width: int) -> list[str]:
    """``label`` in lines of at most ``width`` characters, broken between words (a word longer
    than a line gets a line of its own, whole)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _lines(n: Node, fmt: Formatter, through: dict[str, float]) -> list[str]:
    """A node's label lines, its amount on the last line."""
    return wrap(_caption(n, fmt, through), WRAP[n.column])


def _widest(nodes: Sequence[Node], column: int, fmt: Formatter, through: dict[str, float]) -> int:
    return max(
        (len(line) for n in nodes if n.column == column for line in _lines(n, fmt, through)),
        default=10,
    )


def column_x(nodes: Sequence[Node], fmt: Formatter, through: dict[str, float]) -> tuple[float, ...]:
    """Where the three columns stand: the first far enough right for its widest label line, the
    second far enough from the third for the middle labels."""
    first = max(120.0, CHAR_W * _widest(nodes, 0, fmt, through) + 16)
    middle = max(COLUMN_GAPS[1], CHAR_W * _widest(nodes, 1, fmt, through) + 40)
    return first, first + COLUMN_GAPS[0], first + COLUMN_GAPS[0] + middle


def _caption(n: Node, fmt: Formatter, through: dict[str, float]) -> str:
    return f"{n.label} · {fmt(through[n.key])}"


def _label(n: Node, box: _Box, lines: list[str]) -> Markup:
    """The label beside its node, its lines centred on the node's middle."""
    if n.column == 0:
        x, anchor = box.x - 6, "end"
    else:
        x, anchor = box.x + NODE_W + 6, "start"
    top = box.y + box.h / 2 + 4 - (len(lines) - 1) * LINE_H / 2
    spans = [
        el("tspan", line, x=float(x), dy=float(0 if i == 0 else LINE_H))
        for i, line in enumerate(lines)
    ]
    return el("text", spans, x=float(x), y=float(top), text_anchor=anchor, class_="label")


@dataclass(frozen=True, slots=True)
class Node:
    key: str
    label: str
    column: int


@dataclass(frozen=True, slots=True)
class Link:
    source: str
    target: str
    value: float


@dataclass(frozen=True, slots=True)
class _Box:
    x: float
    y: float
    h: float


def _layout(
    nodes: Sequence[Node], through: dict[str, float], xs: tuple[float, ...]
) -> tuple[dict[str, _Box], float]:
    columns: dict[int, list[Node]] = defaultdict(list)
    for n in nodes:
        columns[n.column].append(n)
    # the column needing the most room per unit of money decides the scale
    scale = min(
        (PLOT_H - GAP * (len(col) - 1)) / total
        for col in columns.values()
        if (total := sum(through[n.key] for n in col)) > 0
    ) if any(through.values()) else 0.0  # fmt: skip
    boxes: dict[str, _Box] = {}
    for column, col in columns.items():
        y = 0.0
        for n in col:
            h = max(1.0, through[n.key] * scale)
            boxes[n.key] = _Box(xs[column], y, h)
            y += h + GAP
    return boxes, scale


def _band(x0: float, y0: float, x1: float, y1: float, h: float) -> str:
    xm = (x0 + x1) / 2
    return (
        f"M{x0:.1f},{y0:.1f} C{xm:.1f},{y0:.1f} {xm:.1f},{y1:.1f} {x1:.1f},{y1:.1f} "
        f"L{x1:.1f},{y1 + h:.1f} "
        f"C{xm:.1f},{y1 + h:.1f} {xm:.1f},{y0 + h:.1f} {x0:.1f},{y0 + h:.1f} Z"
    )


def _colours(nodes: Sequence[Node]) -> dict[str, str]:
    """Each first-column node gets a palette colour; links inherit it along the way."""
    firsts = [n.key for n in nodes if n.column == 0]
    return {
        key: OTHER_COLOUR if key.endswith(OTHER_SUFFIX) else PALETTE[i % len(PALETTE)]
        for i, key in enumerate(firsts)
    }


def _link_marks(
    nodes: Sequence[Node], links: Sequence[Link], boxes: dict[str, _Box], scale: float,
    fmt: Formatter,
) -> list[Markup]:  # fmt: skip
    labels = {n.key: n.label for n in nodes}
    colour = _colours(nodes)
    origin: dict[str, str] = {}
    for link in links:
        origin.setdefault(link.target, link.source)
    out_y = {k: b.y for k, b in boxes.items()}
    in_y = {k: b.y for k, b in boxes.items()}
    marks = []
    for link in sorted(links, key=lambda k: (boxes[k.source].y, boxes[k.target].y)):
        h = link.value * scale
        source, target = boxes[link.source], boxes[link.target]
        path = _band(source.x + NODE_W, out_y[link.source], target.x, in_y[link.target], h)
        out_y[link.source] += h
        in_y[link.target] += h
        root = link.source if link.source in colour else origin.get(link.source, link.source)
        tip = f"{labels[link.source]} → {labels[link.target]}: {fmt(link.value)}"
        marks.append(
            el("path", el("title", tip), d=path, fill=colour.get(root, "#7f7f7f"), class_="link")
        )
    return marks


def sankey(
    ident: str,
    title: str,
    unit: str,
    nodes: Sequence[Node],
    links: Sequence[Link],
    fmt: Formatter,
    headers: tuple[str, str, str],
) -> Chart:
    """The diagram, a legend of first-column colours and a table of every link."""
    inflow: dict[str, float] = defaultdict(float)
    outflow: dict[str, float] = defaultdict(float)
    for link in links:
        outflow[link.source] += link.value
        inflow[link.target] += link.value
    through = {n.key: max(inflow[n.key], outflow[n.key]) for n in nodes}
    xs = column_x(nodes, fmt, through)
    boxes, scale = _layout(nodes, through, xs)
    parts = _link_marks(nodes, links, boxes, scale, fmt)
    for n in nodes:
        box = boxes[n.key]
        caption = f"{n.label} · {fmt(through[n.key])}"
        parts.append(el("g", [el("title", caption), rect(box.x, box.y, NODE_W, box.h, "#333")]))
    bottom = 0.0
    for n in nodes:  # labels last, so no band or node covers them
        box, lines = boxes[n.key], _lines(n, fmt, through)
        parts.append(_label(n, box, lines))
        bottom = max(bottom, box.y + box.h / 2 + 8 + (len(lines) - 1) * LINE_H / 2)
    height = max(bottom, max((b.y + b.h for b in boxes.values()), default=0.0)) + 4
    right = CHAR_W * _widest(nodes, 2, fmt, through) + 24
    image = svg(xs[2] + NODE_W + right, height, parts, title=title, desc=unit, ident=ident)
    labels = {n.key: n.label for n in nodes}
    colour = _colours(nodes)
    legend = tuple(LegendItem(labels[k], c) for k, c in colour.items())
    rows = tuple((labels[k.source], labels[k.target], fmt(k.value)) for k in links)
    return Chart(
        ident, title, unit, image, legend, headers, rows, classes=("sankey",), text_columns=2
    )
