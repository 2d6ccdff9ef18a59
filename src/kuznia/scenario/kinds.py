"""What kind of line a proposal is, from who runs it and where: the rule, once.

A Ukrainian firm's site in Ukraine is ``in_ukraine``, abroad ``ukrainian_abroad`` (its output
goes to Ukraine for the duration of the war: the offtake terms); a foreign firm's site in Ukraine
is ``foreign_in_ukraine``, elsewhere ``partner_domestic``. A proposal's declared kind must be
this one.
"""

from __future__ import annotations

from kuznia.scenario.model import ProposalKind

UKRAINE = "UA"


def kind_of(ukrainian_firm: bool, site_country: str) -> ProposalKind:
    if ukrainian_firm:
        in_ukraine = site_country == UKRAINE
        return ProposalKind.IN_UKRAINE if in_ukraine else ProposalKind.UKRAINIAN_ABROAD
    if site_country == UKRAINE:
        return ProposalKind.FOREIGN_IN_UKRAINE
    return ProposalKind.PARTNER_DOMESTIC
