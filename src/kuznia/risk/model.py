"""The ``kuznia.risk/1`` file: the disruption model, in its own file or as a scenario's section.

The models are pure and live in ``kuznia.scenario.risk_section`` (so that a scenario file may
carry them as its optional ``risk`` section); they are re-exported here under their names. A
scenario's section is read by the scenario reader; a separate file passed with ``--risk`` by
:func:`parse_risk`; both name every problem by its path (docs/risk.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from kuznia.errors import InvalidInput
from kuznia.scenario.io import pydantic_problems
from kuznia.scenario.model import Scenario
from kuznia.scenario.risk_section import (
    MAX_OUTAGE_MONTHS,
    RISK_FORMAT,
    Duration,
    Probability,
    RiskClass,
    RiskSection,
    RiskSite,
    format_problems,
    line_problems,
    reference_problems,
)

__all__ = [
    "MAX_OUTAGE_MONTHS",
    "RISK_FORMAT",
    "Duration",
    "Probability",
    "RiskClass",
    "RiskSection",
    "RiskSite",
    "check_against",
    "dump_risk",
    "load_risk",
    "parse_risk",
]


def parse_risk(data: bytes | str) -> RiskSection:
    """Parse a ``kuznia.risk/1`` document; :class:`InvalidInput` lists every problem by path."""
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InvalidInput.single("", msg) from None
    for problem in format_problems(raw):
        raise InvalidInput.single(problem.path, problem.message)
    try:
        risk = RiskSection.model_validate(raw)
    except ValidationError as exc:
        raise InvalidInput(pydantic_problems(exc), "the risk file is not well-formed") from None
    problems = reference_problems(risk)
    if problems:
        raise InvalidInput(problems, "the risk file is not consistent")
    return risk


def check_against(risk: RiskSection, scenario: Scenario) -> None:
    """Every proposal the risk file names is a line of the scenario (or the line a project
    becomes once built: it has the project's id). A scenario's own section was checked so when
    the scenario was read."""
    lines = {p.id for p in scenario.proposals} | {j.id for j in scenario.projects}
    problems = list(line_problems(risk, lines))
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
