"""Build .xlsx and .csv files for the spreadsheet tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

from kuznia.db import registries as db
from kuznia.scenario.io import parse_scenario
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.upsert import upsert
from kuznia.services.registries.scenarios import import_scenario
from tests.factories import scenario_bytes

PROPOSAL_HEADER = [
    "id",
    "company",
    "company_country",
    "site_country",
    "capability",
    "unit_cost",
    "currency",
    "monthly_capacity",
    "lead_time_months",
    "ramp_up_months",
    "setup_cost",
    "min_total_units",
    "ship_lag_months",
    "kind",
]


def proposal(ident: str = "line-9", **changes: Any) -> list[Any]:
    row = {
        "id": ident,
        "company": "co-ua-1",
        "company_country": "UA",
        "site_country": "UA",
        "capability": "fpv",
        "unit_cost": "500.00",
        "currency": "EUR",
        "monthly_capacity": 100,
        "lead_time_months": 1,
        "ramp_up_months": 2,
        "setup_cost": "0.00",
        "min_total_units": 0,
        "ship_lag_months": 0,
        "kind": "in_ukraine",
    }
    row.update(changes)
    return [row[c] for c in PROPOSAL_HEADER]


def xlsx(sheets: dict[str, Sequence[Sequence[Any]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def cells(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values (what a reader sees, not how the file is zipped)."""
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return {name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}


def load_base_scenario(database: Any) -> None:
    """The small scenario of tests/factories.py: EUR frame with USD and DKK, fpv and shell-155."""
    with database.unit_of_work(Actor.system("test")) as uow:
        import_scenario(uow, parse_scenario(scenario_bytes()))


def register_parties(database: Any, data: bytes) -> None:
    """Register the companies and partners a workbook's rows name (an import registers none)."""
    sheets = cells(data)

    def column(sheet: str, *names: str) -> set[tuple[Any, ...]]:
        rows = sheets.get(sheet, [])
        if not rows:
            return set()
        index = [rows[0].index(n) for n in names]
        return {
            tuple(r[i] for i in index)
            for r in rows[1:]
            if r[index[0]] and not str(r[index[0]]).startswith("(")
        }

    with database.unit_of_work(Actor.system("test")) as uow:
        companies = sorted(column("proposals", "company", "company_country"))
        upsert(uow, db.Company, [{"id": c, "name": c, "country": n} for c, n in companies])
        partners = sorted(column("pledges", "partner"))
        upsert(uow, db.Partner, [{"id": p, "name": p} for (p,) in partners])
