"""Names of records in the reader's language: the one helper every page and template uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sqlalchemy.orm import Session

from kuznia.scenario.model import Scenario
from kuznia.services.contracting.views import PartyNames
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


def line_place(parties: PartyNames, proposal_id: str, lang: str) -> str:
    """Where a production line is: its site's name, else (no site, or one the reader may not
    know) its company and the site's country; the line's id when the reader may not read it."""
    line = parties.lines.get(proposal_id)
    if line is None:
        return proposal_id
    sites = parties.of("sites")
    if line.site_id in sites:
        return name_of(sites, line.site_id, lang)
    return f"{name_of(parties.of('companies'), line.company_id, lang)} ({line.site_country})"


def line_name(parties: PartyNames, proposal_id: str, capability_id: str, lang: str) -> str:
    """A production line as people name it: its capability at its place."""
    if proposal_id not in parties.lines:
        return proposal_id
    capability = name_of(parties.of("capabilities"), capability_id, lang)
    return f"{capability} · {line_place(parties, proposal_id, lang)}"


def pledge_partner(parties: PartyNames, pledge_id: str, lang: str) -> str:
    """The name of the partner whose pledge ``pledge_id`` is (the pledge's id if unknown)."""
    partner = parties.pledge_partners.get(pledge_id)
    return pledge_id if partner is None else name_of(parties.of("partners"), partner, lang)


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
