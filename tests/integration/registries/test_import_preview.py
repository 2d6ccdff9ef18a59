"""The browser's import: a dry-run preview, then exactly what it showed, or nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from kuznia.db import registries as db
from kuznia.demo import generate
from kuznia.errors import Conflict
from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.kernel.database import Database
from kuznia.services.registries import records
from kuznia.services.registries.demo import load_world
from kuznia.services.registries.import_preview import WORKBOOK, import_previewed, preview_import
from kuznia.services.registries.workbook_import import export_workbook
from tests.support.dump import dump_tables

COORDINATOR = Actor(role=Role.COORDINATOR, label="coordinator@test")


def _workbook_with_a_new_quantity(database: Database) -> tuple[bytes, str]:
    with database.unit_of_work(Actor.system("test")) as uow:
        load_world(uow, generate("small", 1))
    with database.reading() as session:
        data = export_workbook(session)
        first = session.scalars(select(db.Requirement.id).order_by(db.Requirement.id)).first()
    assert first is not None
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["requirements"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == first)
    sheet.cell(row, header.index("quantity") + 1).value = 4321
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), first


def test_the_confirmed_import_writes_exactly_what_the_preview_showed_once(
    database: Database,
) -> None:
    data, need = _workbook_with_a_new_quantity(database)
    with database.unit_of_work(COORDINATOR) as uow:
        preview = preview_import(uow, WORKBOOK, "r.xlsx", data)
    assert preview.changes == 1
    with database.unit_of_work(COORDINATOR) as uow:
        import_previewed(uow, WORKBOOK, "r.xlsx", data, preview.fingerprint)
    with database.reading() as session:
        assert session.get(db.Requirement, need).quantity == 4321  # type: ignore[union-attr]
    before = dump_tables(database)
    with pytest.raises(Conflict, match="already"), database.unit_of_work(COORDINATOR) as uow:
        import_previewed(uow, WORKBOOK, "r.xlsx", data, preview.fingerprint)
    assert dump_tables(database) == before


def test_records_changed_after_the_preview_stop_the_import_and_nothing_is_written(
    database: Database,
) -> None:
    data, need = _workbook_with_a_new_quantity(database)
    with database.unit_of_work(COORDINATOR) as uow:
        preview = preview_import(uow, WORKBOOK, "r.xlsx", data)
    with database.unit_of_work(COORDINATOR) as uow:
        records.update_record(uow, "requirements", need, {"priority": 9.5}, None)
    before = dump_tables(database)
    with pytest.raises(Conflict, match="changed"), database.unit_of_work(COORDINATOR) as uow:
        import_previewed(uow, WORKBOOK, "r.xlsx", data, preview.fingerprint)
    assert dump_tables(database) == before
