"""A tiny SVG writer: elements as escaped markup, numbers rounded to one decimal.

Charts are drawn on the server (no chart library, no build step, nothing fetched from a CDN) and
reach the browser as inline SVG inside a ``<figure>`` with its title and legend in HTML.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

Attr = str | int | float | None


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attrs(attrs: dict[str, Attr]) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        text = _num(value) if isinstance(value, float) else str(value)
        parts.append(f' {name}="{escape(text)}"')
    return "".join(parts)


def el(tag: str, children: Iterable[Markup | str] | Markup | str = (), **attrs: Attr) -> Markup:
    """``<tag attrs>children</tag>``; plain strings among children are escaped."""
    if isinstance(children, str):
        children = (children,)
    inner = "".join(str(escape(c)) for c in children)
    # Safe: tag names are literals of this package; attribute values and text are escaped.
    return Markup(f"<{tag}{_attrs(attrs)}>{inner}</{tag}>")  # noqa: S704


def empty(tag: str, **attrs: Attr) -> Markup:
    return Markup(f"<{tag}{_attrs(attrs)}/>")  # noqa: S704 - as in el()


def text(x: float, y: float, content: str, **attrs: Attr) -> Markup:
    return el("text", content, x=float(x), y=float(y), **attrs)


def rect(x: float, y: float, w: float, h: float, fill: str, **attrs: Attr) -> Markup:
    return empty(
        "rect", x=float(x), y=float(y), width=float(max(w, 0)), height=float(max(h, 0)),
        fill=fill, **attrs,
    )  # fmt: skip


def svg(
    width: float, height: float, children: Iterable[Markup], *, title: str, desc: str, ident: str
) -> Markup:
    """The root element: an image with an accessible name (title) and description."""
    head = [el("title", title, id=f"{ident}-title"), el("desc", desc, id=f"{ident}-desc")]
    return el(
        "svg",
        [*head, *children],
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {_num(width)} {_num(height)}",
        role="img",
        aria_labelledby=f"{ident}-title {ident}-desc",
        class_="chart",
        preserveAspectRatio="xMinYMin meet",
        width=float(width),
        height=float(height),
    )
