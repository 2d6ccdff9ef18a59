"""What kind of line a proposal is, from who runs it and where: the rule, once.

A Ukrainian firm's site in Ukraine is ``in_ukraine``, abroad ``ukrainian_abroad`` (its output
goes to Ukraine for the duration of the war: the offtake terms); a foreign firm's site in Ukraine
is ``foreign_in_ukraine``, elsewhere ``partner_domestic``. A proposal's declared kind must be
this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Protocol


class ProposalKind(StrEnum):
    IN_UKRAINE = "in_ukraine"
    UKRAINIAN_ABROAD = "ukrainian_abroad"
    FOREIGN_IN_UKRAINE = "foreign_in_ukraine"
    PARTNER_DOMESTIC = "partner_domestic"


UKRAINE = "UA"
STATE_OFFTAKE = frozenset({ProposalKind.UKRAINIAN_ABROAD})
"""Kinds of line whose proposal states its offtake terms (a Ukrainian firm's line abroad: its
output goes to Ukraine for the duration of the war). A foreign firm's line in Ukraine delivers
in Ukraine anyway, and a partner's domestic line is the partner's own."""


def kind_of(ukrainian_firm: bool, site_country: str) -> ProposalKind:
    if ukrainian_firm:
        in_ukraine = site_country == UKRAINE
        return ProposalKind.IN_UKRAINE if in_ukraine else ProposalKind.UKRAINIAN_ABROAD
    if site_country == UKRAINE:
        return ProposalKind.FOREIGN_IN_UKRAINE
    return ProposalKind.PARTNER_DOMESTIC


class Line(Protocol):
    """A scenario's proposal or project, as much as its kind depends on (a protocol: the
    database's tables import the kinds, which import no Pydantic model)."""

    @property
    def kind(self) -> ProposalKind | None: ...
    @property
    def company_country(self) -> str: ...
    @property
    def site_country(self) -> str: ...


def kind_of_proposal(p: Line) -> ProposalKind:
    """A scenario line's kind: the one it declares (a project always does), else what its
    countries make it."""
    return p.kind if p.kind is not None else kind_of(p.company_country == UKRAINE, p.site_country)


def offtake_problems(
    kind: ProposalKind, offtake_until: str | None, share_percent: int | None
) -> Iterator[tuple[str, str]]:
    """``(field, message)`` for each offtake term a line of ``kind`` must state and does not."""
    if kind not in STATE_OFFTAKE:
        return
    if offtake_until is None:
        yield (
            "offtake_until",
            f"a {kind.value} line states the last month its output goes to Ukraine (YYYY-MM)",
        )
    if share_percent is None:
        yield (
            "offtake_share_percent",
            f"a {kind.value} line states the share of its output that goes to Ukraine until "
            "offtake_until (1 to 100 percent)",
        )
