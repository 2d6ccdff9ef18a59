"""Names of records in the reader's language: the one helper every page and template uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sqlalchemy.orm import Session

from kuznia.scenario.model import Scenario
from kuznia.services.planning.views import PlannedScenario
from kuznia.services.registries.browse import Name, ukrainian_names


def local_name(name: Name | None, lang: str, fallback: str = "") -> str:
    """The Ukrainian name for a Ukrainian reader when the record has one, else the English one
    (the id, ``fallback``, when the reader may not know the name)."""
    if name is None:
        return fallback
    if lang == "uk" and name.name_uk:
        return name.name_uk
    return name.name


def name_of(names: Mapping[str, Name], record_id: str, lang: str) -> str:
    """The name of the record ``record_id`` from ``names``, or the id when unknown."""
    return local_name(names.get(record_id), lang, record_id)


def local_scenario(session: Session, scenario: Scenario, lang: str) -> Scenario:
    """``scenario`` with its capabilities' names and categories (and partners' names) in the
    reader's language, for the pages' labels only (a plan is never computed from this copy)."""
    if lang != "uk":
        return scenario
    names = ukrainian_names(session)
    capabilities = [
        c.model_copy(update={
            "name": (names.capabilities.get(c.id) or (None, None))[0] or c.name,
            "category": (names.capabilities.get(c.id) or (None, None))[1] or c.category,
        })
        for c in scenario.capabilities
    ]  # fmt: skip
    return scenario.model_copy(update={"capabilities": capabilities})


def local_planned(session: Session, planned: PlannedScenario, lang: str) -> PlannedScenario:
    """The plan shown, its scenario's names in the reader's language."""
    if lang != "uk":
        return planned
    return replace(planned, scenario=local_scenario(session, planned.scenario, lang))
