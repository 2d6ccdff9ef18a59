import pytest

from kuznia.demo import generate
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.demo import load_world
from kuznia.services.registries.workbook_import import export_workbook, import_workbook
from kuznia.services.wiring import database_at
from tests.integration.spreadsheets.workbooks import cells, register_parties


@pytest.fixture(scope="module")
def national_workbook(tmp_path_factory):
    """The national demo (seed 1) exported from a database of its own."""
    url = f"sqlite:///{tmp_path_factory.mktemp('national') / 'demo.sqlite3'}"
    source = database_at(url)
    source.upgrade()
    world = generate("national", 1)
    with source.unit_of_work(Actor.system("test")) as uow:
        load_world(uow, world)
    with source.reading() as session:
        data = export_workbook(session)
    source.dispose()
    kinds = ("capabilities", "requirements", "proposals", "pledges")
    return data, {kind: len(getattr(world.scenario, kind)) for kind in kinds}


@pytest.mark.slow
def test_the_national_demo_exported_imported_into_an_empty_database_exports_the_same(
    database, national_workbook
):
    data, sizes = national_workbook
    assert sizes["proposals"] == 3000
    register_parties(database, data)
    with database.unit_of_work(Actor.system("test")) as uow:
        report = import_workbook(uow, "national.xlsx", data)
    assert {t.kind: t.counts["create"] for t in report.tables} == sizes
    with database.reading() as session:
        again = export_workbook(session)
    assert cells(again) == cells(data)


@pytest.mark.slow
def test_importing_the_exported_workbook_again_changes_nothing(database, national_workbook):
    data, _ = national_workbook
    register_parties(database, data)
    for expected_changes in (True, False):
        with database.unit_of_work(Actor.system("test")) as uow:
            report = import_workbook(uow, "national.xlsx", data)
            assert bool(uow.changes) is expected_changes
        assert all(t.counts["update"] == 0 for t in report.tables)
    assert report.settings == ()
