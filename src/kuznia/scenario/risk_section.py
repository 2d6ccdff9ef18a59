"""The disruption model as pure models: a ``kuznia.risk/1`` document, in its own file or as the
optional ``risk`` section of a scenario file (docs/risk.md).

These models live in ``scenario`` so that the scenario models can hold the section; ``kuznia.risk``
re-exports them. The checks here name every problem by its JSON path under ``prefix``
(``risk.sites[0].risk_class`` inside a scenario, ``sites[0].risk_class`` in a risk file).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from math import isclose
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kuznia.errors import Problem
from kuznia.scenario.types import Identifier

RISK_FORMAT: Final = "kuznia.risk/1"
MAX_OUTAGE_MONTHS: Final = 600

Probability = Annotated[float, Field(ge=0, le=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Duration(_Frozen):
    """One outcome of an outage's length: ``months`` at reduced capacity, with its probability."""

    months: Annotated[int, Field(ge=1, le=MAX_OUTAGE_MONTHS)]
    probability: Annotated[float, Field(gt=0, le=1)]


class RiskClass(_Frozen):
    """A class of exposure to strikes: how often a site of the class is hit, for how long and
    how hard."""

    id: Identifier
    name: str = ""
    monthly_probability: Annotated[
        Probability, Field(description="probability that a strike or outage begins in a month")
    ]
    capacity_loss: Annotated[
        Probability,
        Field(description="share of capacity lost while out: 1 is zero capacity, 0.5 half"),
    ] = 1.0
    durations: Annotated[
        tuple[Duration, ...],
        Field(min_length=1, description="months out and their probabilities, summing to 1"),
    ]

    @field_validator("durations")
    @classmethod
    def _durations_sum_to_one(cls, durations: tuple[Duration, ...]) -> tuple[Duration, ...]:
        total = sum(d.probability for d in durations)
        if not isclose(total, 1.0, abs_tol=1e-9):
            msg = f"the probabilities of durations sum to {total:g}, not 1"
            raise ValueError(msg)
        if len({d.months for d in durations}) != len(durations):
            raise ValueError("a duration is listed twice")
        return durations


class RiskSite(_Frozen):
    """A site by id, its risk class, and the lines (proposal ids) that run there."""

    id: Identifier
    risk_class: Identifier
    proposals: tuple[Identifier, ...] = ()


class RiskSection(_Frozen):
    """A ``kuznia.risk/1`` document; its ``format`` versions it (required in a file and in a
    scenario's ``risk`` section alike)."""

    format: Literal["kuznia.risk/1"] = RISK_FORMAT
    classes: tuple[RiskClass, ...] = ()
    sites: tuple[RiskSite, ...] = ()


def _at(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if prefix else path


def format_problems(raw: object, prefix: str = "") -> list[Problem]:
    """The ``format`` of a risk document as read (before the models: a missing one defaults)."""
    got = raw.get("format") if isinstance(raw, dict) else None
    if isinstance(raw, dict) and got == RISK_FORMAT:
        return []
    return [Problem(_at(prefix, "format"), f'expected "{RISK_FORMAT}", got {got!r}')]


def reference_problems(risk: RiskSection, prefix: str = "") -> list[Problem]:
    """Classes and sites listed once, known classes, each line at one site at most."""
    problems: list[Problem] = []
    class_ids = [c.id for c in risk.classes]
    for i, c in enumerate(risk.classes):
        if class_ids.index(c.id) != i:
            problems.append(
                Problem(_at(prefix, f"classes[{i}].id"), f"duplicate risk class {c.id!r}")
            )
    seen: dict[str, str] = {}
    site_ids: set[str] = set()
    for i, site in enumerate(risk.sites):
        at = _at(prefix, f"sites[{i}]")
        if site.id in site_ids:
            problems.append(Problem(f"{at}.id", f"duplicate site {site.id!r}"))
        site_ids.add(site.id)
        if site.risk_class not in class_ids:
            problems.append(Problem(f"{at}.risk_class", f"unknown risk class {site.risk_class!r}"))
        for j, line in enumerate(site.proposals):
            if line in seen:
                msg = f"proposal {line!r} is listed at site {seen[line]!r} already"
                problems.append(Problem(f"{at}.proposals[{j}]", msg))
            seen[line] = site.id
    return problems


def line_problems(risk: RiskSection, lines: Collection[str], prefix: str = "") -> Iterable[Problem]:
    """Every line a site lists is one of ``lines`` (a scenario's proposals and projects: the line
    a built project becomes has the project's id)."""
    for i, site in enumerate(risk.sites):
        for j, line in enumerate(site.proposals):
            if line not in lines:
                at = _at(prefix, f"sites[{i}].proposals[{j}]")
                yield Problem(at, f"unknown proposal {line!r} in the scenario")
