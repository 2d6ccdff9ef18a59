"""A ``kuznia.scenario/2`` file enters the registry whole: its capacity projects, the pledges'
purposes and project earmarks; exporting gives the same bytes back; a project the registry's
rules refuse names its field and leaves the database untouched; a ``/1`` file leaves what it
does not state (projects, purposes) as registered."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kuznia.db import registries as db
from kuznia.errors import InvalidInput
from kuznia.scenario.io import dump_scenario, parse_scenario
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.project_export import scenario_bytes as export_bytes
from kuznia.services.registries.scenarios import import_scenario
from tests.factories import format2_document, scenario_bytes, scenario_document


def _import(database, doc):
    with database.unit_of_work(Actor.system("test")) as uow:
        return import_scenario(uow, parse_scenario(scenario_bytes(doc)))


def _count(database, model) -> int:
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_format_2_file_imports_whole_and_exports_the_same_bytes(database):
    doc = format2_document()
    summary = _import(database, doc)
    assert summary.counts["capacity_projects"].created == 1
    with database.reading() as session:
        project = session.get(db.CapacityProject, "proj-fpv")
        pledge = session.get(db.Pledge, "pledge-invest")
        assert project is not None
        assert project.status == db.ProjectStatus.VETTED
        assert session.get(db.Company, "co-de-1") is not None
        assert pledge is not None
        assert pledge.purposes == ["production", "investment"]
        exported = export_bytes(session)
    assert exported == dump_scenario(parse_scenario(scenario_bytes(doc)))
    again = _import(database, doc)
    assert all(c.created == 0 and c.updated == 0 for c in again.counts.values())


def test_a_plant_abroad_without_its_offtake_terms_is_refused_and_nothing_is_written(database):
    doc = format2_document()
    doc["projects"][0].update(company="co-ua-1", company_country="UA", site_country="PL",
                              kind="ukrainian_abroad")  # fmt: skip
    doc["capabilities"].append({"id": "new-cap", "name": "New", "unit": "item"})
    with pytest.raises(InvalidInput) as caught:
        _import(database, doc)
    assert "projects[0].offtake_until" in str(caught.value)
    assert _count(database, db.CapacityProject) == 0
    assert _count(database, db.Capability) == 0
    doc["projects"][0].update(offtake_until="2027-12", offtake_share_percent=80)
    _import(database, doc)
    with database.reading() as session:
        project = session.get(db.CapacityProject, "proj-fpv")
        assert project is not None
        assert project.offtake_share_percent == 80
        assert b'"offtake_share_percent": 80' in export_bytes(session)


def test_a_format_1_file_keeps_the_registered_projects_and_purposes(database):
    _import(database, format2_document())
    _import(database, scenario_document())  # the same records in /1: no projects, no purposes
    with database.reading() as session:
        pledge = session.get(db.Pledge, "pledge-invest")
        assert pledge is not None
        assert pledge.purposes == ["production", "investment"]
    assert _count(database, db.CapacityProject) == 1


def test_a_reimport_keeps_the_sites_lines_are_placed_at(database):
    _import(database, scenario_document())
    with database.unit_of_work(Actor.system("test")) as uow:
        uow.session.add(db.Site(id="site-1", company_id="co-ua-1", name="Plant", country="UA"))
        uow.session.flush()
        line = uow.session.get(db.Proposal, "line-1")
        assert line is not None
        line.site_id = "site-1"
    _import(database, scenario_document())
    with database.reading() as session:
        line = session.get(db.Proposal, "line-1")
        assert line is not None
        assert line.site_id == "site-1"
