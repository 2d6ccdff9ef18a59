"""What kind of line a proposal is, from who runs it and where: the rule, once.

A Ukrainian firm's site in Ukraine is ``in_ukraine``, abroad ``ukrainian_abroad`` (its output
goes to Ukraine for the duration of the war: the offtake terms); a foreign firm's site in Ukraine
is ``foreign_in_ukraine``, elsewhere ``partner_domestic``. A proposal's declared kind must be
this one.
"""

from __future__ import annotations

from collections.abc import Iterator

from kuznia.scenario.model import Project, Proposal, ProposalKind

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


def kind_of_proposal(p: Proposal | Project) -> ProposalKind:
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
