import json

import pytest
from sqlalchemy import func, select

from kuznia.db import registries as db
from kuznia.errors import InvalidInput, NotFound
from kuznia.scenario.io import dump_scenario, parse_scenario
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.scenarios import export_scenario, import_scenario
from tests.factories import scenario_bytes, scenario_document


def _import(database, doc=None):
    scenario = parse_scenario(scenario_bytes(doc))
    with database.unit_of_work(Actor.system("test")) as uow:
        return import_scenario(uow, scenario)


def _export(database, **kwargs) -> bytes:
    with database.reading() as session:
        return dump_scenario(export_scenario(session, **kwargs))


def test_import_then_export_gives_the_canonical_bytes(database):
    _import(database)
    assert _export(database) == dump_scenario(parse_scenario(scenario_bytes()))


def test_reimporting_the_same_file_changes_nothing(database):
    _import(database)
    summary = _import(database)
    assert all(c.created == 0 and c.updated == 0 for c in summary.counts.values())


def test_reimporting_a_changed_record_updates_it_and_bumps_its_version(database):
    _import(database)
    doc = scenario_document()
    doc["pledges"][0]["amount"] = "400000.00"
    summary = _import(database, doc)
    assert summary.counts["pledges"].updated == 1
    with database.reading() as session:
        pledge = session.get(db.Pledge, "pledge-ua")
        assert pledge.amount_cents == 40_000_000
        assert pledge.version == 2


def test_review_decisions_survive_a_reimport(database):
    _import(database)
    with database.transaction() as session:
        session.get(db.Proposal, "line-1").status = "rejected"
    _import(database)
    with database.reading() as session:
        assert session.get(db.Proposal, "line-1").status == "rejected"
    exported = json.loads(_export(database))
    assert [p["id"] for p in exported["proposals"]] == ["line-2"]


def test_a_company_registered_in_another_country_rejects_the_whole_import(database):
    _import(database)
    doc = scenario_document()
    doc["proposals"][0]["company_country"] = "PL"
    doc["capabilities"].append({"id": "new-cap", "name": "New", "unit": "item"})
    with pytest.raises(InvalidInput) as caught:
        _import(database, doc)
    assert "proposals[0].company_country" in str(caught.value)
    with database.reading() as session:
        assert session.get(db.Capability, "new-cap") is None


def test_an_error_while_writing_leaves_the_database_untouched(database):
    scenario = parse_scenario(scenario_bytes())

    def crash_half_way():
        with database.unit_of_work(Actor.system("test")) as uow:
            import_scenario(uow, scenario)
            raise RuntimeError("crash half-way")

    with pytest.raises(RuntimeError):
        crash_half_way()
    with database.reading() as session:
        assert session.scalar(select(func.count()).select_from(db.Proposal)) == 0


def test_exporting_an_empty_database_says_what_to_do(database):
    with pytest.raises(NotFound, match="import a scenario"):
        _export(database)


def test_an_import_records_every_created_and_updated_record_as_a_change(database):
    scenario = parse_scenario(scenario_bytes())
    with database.unit_of_work(Actor.system("test")) as uow:
        import_scenario(uow, scenario)
        entities = {(c.entity, c.action) for c in uow.changes}
    assert ("proposals", "create") in entities
    assert ("pledges", "create") in entities
    assert sum(1 for c in uow.changes if c.entity == "proposals") == 2
