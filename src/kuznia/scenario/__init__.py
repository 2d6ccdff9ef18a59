"""The scenario and plan exchange formats of ../shared/ALLOCATION.md (pure: no web or database)."""

from kuznia.scenario.io import dump_scenario, load_scenario, parse_scenario, scenario_sha256
from kuznia.scenario.model import (
    SCENARIO_FORMAT,
    SCENARIO_FORMAT_2,
    Capability,
    Pledge,
    PledgePurpose,
    Project,
    Proposal,
    ProposalKind,
    Requirement,
    Scenario,
)

__all__ = [
    "SCENARIO_FORMAT",
    "SCENARIO_FORMAT_2",
    "Capability",
    "Pledge",
    "PledgePurpose",
    "Project",
    "Proposal",
    "ProposalKind",
    "Requirement",
    "Scenario",
    "dump_scenario",
    "load_scenario",
    "parse_scenario",
    "scenario_sha256",
]
