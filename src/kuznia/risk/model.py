"""The ``kuznia.risk/1`` file: the disruption model beside a scenario, as frozen Pydantic models.

A separate file, not a ``risk`` key inside the scenario: the scenario reader refuses unknown keys
(``extra="forbid"``), and a plan is keyed by the SHA-256 of its scenario's bytes, so strike
probabilities that change every week must not change the digest of the inputs a plan was made
from. The risk file names the scenario's lines (proposals) by id and the sites they run at;
site ids here are references, never locations (docs/risk.md).
"""

from __future__ import annotations

import json
from math import isclose
from pathlib import Path
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kuznia.errors import InvalidInput, Problem
from kuznia.scenario.io import pydantic_problems
from kuznia.scenario.model import Scenario
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
    format: Literal["kuznia.risk/1"] = RISK_FORMAT
    classes: tuple[RiskClass, ...] = ()
    sites: tuple[RiskSite, ...] = ()


def _reference_problems(risk: RiskSection) -> list[Problem]:
    problems: list[Problem] = []
    class_ids = [c.id for c in risk.classes]
    for i, c in enumerate(risk.classes):
        if class_ids.index(c.id) != i:
            problems.append(Problem(f"classes[{i}].id", f"duplicate risk class {c.id!r}"))
    seen: dict[str, str] = {}
    site_ids: set[str] = set()
    for i, site in enumerate(risk.sites):
        if site.id in site_ids:
            problems.append(Problem(f"sites[{i}].id", f"duplicate site {site.id!r}"))
        site_ids.add(site.id)
        if site.risk_class not in class_ids:
            msg = f"unknown risk class {site.risk_class!r}"
            problems.append(Problem(f"sites[{i}].risk_class", msg))
        for j, line in enumerate(site.proposals):
            if line in seen:
                msg = f"proposal {line!r} is listed at site {seen[line]!r} already"
                problems.append(Problem(f"sites[{i}].proposals[{j}]", msg))
            seen[line] = site.id
    return problems


def parse_risk(data: bytes | str) -> RiskSection:
    """Parse a ``kuznia.risk/1`` document; :class:`InvalidInput` lists every problem by path."""
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InvalidInput.single("", msg) from None
    if not isinstance(raw, dict) or raw.get("format") != RISK_FORMAT:
        got = raw.get("format") if isinstance(raw, dict) else None
        raise InvalidInput.single("format", f'expected "{RISK_FORMAT}", got {got!r}')
    try:
        risk = RiskSection.model_validate(raw)
    except ValidationError as exc:
        raise InvalidInput(pydantic_problems(exc), "the risk file is not well-formed") from None
    problems = _reference_problems(risk)
    if problems:
        raise InvalidInput(problems, "the risk file is not consistent")
    return risk


def check_against(risk: RiskSection, scenario: Scenario) -> None:
    """Every proposal the risk file names is a line of the scenario (or the line a project
    becomes once built: it has the project's id)."""
    lines = {p.id for p in scenario.proposals} | {j.id for j in scenario.projects}
    problems = [
        Problem(f"sites[{i}].proposals[{j}]", f"unknown proposal {line!r} in the scenario")
        for i, site in enumerate(risk.sites)
        for j, line in enumerate(site.proposals)
        if line not in lines
    ]
    if problems:
        raise InvalidInput(problems, "the risk file does not fit the scenario")


def load_risk(path: Path) -> RiskSection:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput.single("", f"cannot read {path}: {exc.strerror}") from None
    return parse_risk(data)


def dump_risk(risk: RiskSection) -> bytes:
    """Canonical bytes: two-space indent, fixed key order, final newline."""
    doc = risk.model_dump(mode="json")
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
