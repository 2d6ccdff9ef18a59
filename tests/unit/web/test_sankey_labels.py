"""Sankey labels wrap at words and are never cut, in English or Ukrainian."""

from __future__ import annotations

import re

from kuznia.services.registries.browse import Name
from kuznia.web.names import local_name
from kuznia.web.sankey import Link, Node, sankey, wrap

LONG = "Україна (державний бюджет), програма далекобійних ударних дронів та ракет"


def test_a_long_label_wraps_between_words_and_keeps_every_word() -> None:
    lines = wrap(LONG, 30)
    assert len(lines) > 1
    assert all(len(line) <= 30 for line in lines if " " in line)
    assert " ".join(lines) == LONG


def test_every_label_of_the_diagram_is_drawn_whole() -> None:
    nodes = [
        Node("partner:ua", LONG, 0),
        Node("kind:in_ukraine", "Українські фірми в Україні та за кордоном", 1),
        Node("capability:lr", "Далекобійні ударні дрони та ракети великої дальності", 2),
    ]
    links = [
        Link("partner:ua", "kind:in_ukraine", 5.0),
        Link("kind:in_ukraine", "capability:lr", 5.0),
    ]
    chart = sankey("t", "title", "EUR", nodes, links, lambda v: f"€{v:.0f}M", ("a", "b", "c"))
    texts = [
        " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", t))
        for t in re.findall(r'<text[^>]*class="label"[^>]*>(.*?)</text>', str(chart.image))
    ]
    assert sorted(texts) == sorted(f"{n.label} · €5M" for n in nodes)
    assert "…" not in str(chart.image)


def test_the_ukrainian_reader_sees_the_ukrainian_name_when_there_is_one() -> None:
    assert local_name(Name("Denmark", "Данія"), "uk") == "Данія"
    assert local_name(Name("Denmark", "Данія"), "en") == "Denmark"
    assert local_name(Name("Denmark", None), "uk") == "Denmark"
    assert local_name(None, "uk", "partner-dk") == "partner-dk"
