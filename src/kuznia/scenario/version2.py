"""The checks of ``kuznia.scenario/2`` additions (ALLOCATION.md "Capacity projects"), each
problem naming its field path: capacity projects and the pledges' purposes and project earmarks.

A ``/1`` document may carry none of them (it would mean something a version-1 reader ignores).
Field shapes and bounds (capex positive and at most ``bounds.MAX_CAPEX``, build months 0 to
``bounds.MAX_BUILD_MONTHS``, earliest start inside the window of months) are in the models;
here are the rules across records: ids unique across proposals and projects, known
capabilities, currencies with a rate, the kind the company and site countries make
(``kinds.kind_of``, the rule proposals follow), earmarked projects that exist, purposes listed
once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kuznia.errors import Problem
from kuznia.scenario.kinds import UKRAINE, kind_of
from kuznia.scenario.model import DEFAULT_PURPOSES, SCENARIO_FORMAT_2, Scenario


def version2_problems(s: Scenario) -> Iterable[Problem]:
    if s.version == 1:
        yield from _not_in_version1(s)
        return
    yield from _project_problems(s)
    projects = {j.id for j in s.projects}
    for i, g in enumerate(s.pledges):
        seen: Counter[str] = Counter(g.purposes)
        for purpose, count in seen.items():
            if count > 1:
                yield Problem(f"pledges[{i}].purposes", f"lists {purpose} {count} times")
        for k, ident in enumerate(g.projects):
            if ident not in projects:
                yield Problem(f"pledges[{i}].projects[{k}]", f"unknown project {ident!r}")


def _not_in_version1(s: Scenario) -> Iterable[Problem]:
    needs = f'needs "format": "{SCENARIO_FORMAT_2}"'
    if s.projects:
        yield Problem("projects", f"capacity projects: the scenario {needs}")
    for i, g in enumerate(s.pledges):
        if tuple(g.purposes) != DEFAULT_PURPOSES:
            yield Problem(f"pledges[{i}].purposes", f"a version-2 field: the scenario {needs}")
        if g.projects:
            yield Problem(f"pledges[{i}].projects", f"a version-2 field: the scenario {needs}")


def _project_problems(s: Scenario) -> Iterable[Problem]:
    capabilities = {c.id for c in s.capabilities}
    currencies = {s.base_currency, *s.fx_rates}
    proposals = {p.id for p in s.proposals}
    seen: set[str] = set()
    for i, j in enumerate(s.projects):
        path = f"projects[{i}]"
        if j.id in proposals:
            yield Problem(f"{path}.id", f"{j.id!r} is already a proposal's id")
        elif j.id in seen:
            yield Problem(f"{path}.id", f"duplicate id {j.id!r}")
        seen.add(j.id)
        if j.capability not in capabilities:
            yield Problem(f"{path}.capability", f"unknown capability {j.capability!r}")
        if j.currency not in currencies:
            yield Problem(f"{path}.currency", f"no rate for {j.currency} in fx_rates")
        expected = kind_of(j.company_country == UKRAINE, j.site_country)
        if j.kind is not expected:
            yield Problem(
                f"{path}.kind",
                f"a {j.company_country} firm's site in {j.site_country} is {expected.value}, "
                f"not {j.kind.value}",
            )
