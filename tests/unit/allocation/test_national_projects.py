"""The benchmark's national scenario with capacity projects is a valid format-2 scenario with
both directions of investment and Germany's long-range money (no planning here: that is the
benchmark's, ``benchmarks/plan.py joint``)."""

from __future__ import annotations

from collections import Counter

from kuznia.scenario.io import dump_scenario, parse_scenario
from kuznia.scenario.kinds import ProposalKind
from tests.support.national_projects import national_with_projects


def test_the_national_joint_scenario_reads_back_with_150_projects_both_ways():
    plain, joint = national_with_projects(1)
    assert parse_scenario(dump_scenario(joint)) == parse_scenario(dump_scenario(joint))
    assert plain.version == 1
    assert joint.version == 2
    kinds = Counter(j.kind for j in joint.projects)
    assert kinds[ProposalKind.FOREIGN_IN_UKRAINE] == 60
    assert kinds[ProposalKind.UKRAINIAN_ABROAD] == 50
    assert sum(kinds.values()) == 150
    german = next(g for g in joint.pledges if g.id == "pl-de-long-range-invest")
    assert german.for_investment
    assert not german.for_production
    assert german.site_countries == ("UA",)
    assert all(c.startswith("lr-") for c in german.capabilities)
    assert all(j.capex > 0 for j in joint.projects)
