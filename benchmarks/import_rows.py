"""Spreadsheet import figures: 50,000 proposal rows from .xlsx and .csv, first and second import.

Run: ``uv run python benchmarks/import_rows.py [--rows 50000] [--database-url URL]``.
Without ``--database-url`` a fresh SQLite file in a temporary directory is used; with a
PostgreSQL URL the database must be empty and migrated (``kuznia db upgrade``). The frame and
capabilities of the small demo are loaded first. Prints figures; asserts nothing about them.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

from kuznia.demo import generate
from kuznia.scenario.model import Scenario
from kuznia.services.kernel.actors import Actor
from kuznia.services.kernel.database import Database
from kuznia.services.registries.scenarios import import_scenario
from kuznia.services.registries.spreadsheet_import import import_table
from kuznia.services.wiring import database_at
from kuznia.spreadsheets.tables import table

COUNTRIES = ("UA", "UA", "UA", "PL", "DK", "DE")


def proposal_rows(scenario: Scenario, count: int) -> list[list[object]]:
    capabilities = [c.id for c in scenario.capabilities]
    rows: list[list[object]] = []
    for i in range(count):
        company = i // 20
        country = COUNTRIES[company % len(COUNTRIES)]
        rows.append(
            [
                f"bench-{i:06d}",
                f"bench-co-{company:05d}",
                country,
                "UA" if i % 3 else country,
                capabilities[i % len(capabilities)],
                round(400 + i % 5000 + (i % 100) / 100, 2),  # a number cell, as typed in Excel
                "EUR",
                100 + i % 900,
                i % 6,
                1 + i % 4,
                float((i % 50) * 1000),
                i % 200,
                i % 3,
                "in_ukraine" if country == "UA" else "ukrainian_abroad",
            ]
        )
    return rows


_INLINE = re.compile(r'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr"><is><t>(.*?)</t></is></c>')
_SST = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(data: bytes) -> bytes:
    """The workbook as Excel saves it: text in a shared-strings table. openpyxl writes inline
    strings, which its reader parses about twice as slowly as shared ones, so a benchmark on
    openpyxl's own output would not measure what planners upload."""
    table: dict[str, int] = {}

    def shared(match: re.Match[str]) -> str:
        index = table.setdefault(match.group(3), len(table))
        return f'<c r="{match.group(1)}"{match.group(2) or ""} t="s"><v>{index}</v></c>'

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            text = source.read(item.filename).decode("utf-8")
            if item.filename.startswith("xl/worksheets/"):
                text = _INLINE.sub(shared, text)
            elif item.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/>'
                text = text.replace("</Types>", override + "</Types>")
            elif item.filename == "xl/_rels/workbook.xml.rels":
                relation = f'<Relationship Id="rIdSst" Type="{_SST}" Target="sharedStrings.xml"/>'
                text = text.replace("</Relationships>", relation + "</Relationships>")
            target.writestr(item.filename, text)
        strings = "".join(f"<si><t>{t}</t></si>" for t in table)
        target.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(table)}" uniqueCount="{len(table)}">{strings}</sst>',
        )
    return out.getvalue()


def as_xlsx(rows: list[list[object]]) -> bytes:
    """An .xlsx file with a dimension element and shared strings, as Excel writes one."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "proposals"
    sheet.append(list(table("proposals").names))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return with_shared_strings(buffer.getvalue())


def as_csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table("proposals").names)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def timed_import(database: Database, name: str, data: bytes, dry_run: bool) -> tuple[float, str]:
    started = time.perf_counter()
    with database.unit_of_work(Actor.system("benchmark")) as uow:
        report = import_table(uow, "proposals", name, data, dry_run)
    return time.perf_counter() - started, report.summary()


def fresh_database(url: str | None, path: Path) -> Database:
    database = database_at(url or f"sqlite:///{path}")
    if url is None:
        database.upgrade()
    scenario = generate("small", 1).scenario
    with database.unit_of_work(Actor.system("benchmark")) as uow:
        import_scenario(uow, scenario.model_copy(update={"proposals": (), "pledges": ()}))
    return database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    scenario = generate("small", 1).scenario
    rows = proposal_rows(scenario, args.rows)
    files = {"proposals.xlsx": as_xlsx(rows), "proposals.csv": as_csv(rows)}
    for name, data in files.items():
        print(f"{name}: {args.rows:,} rows, {len(data) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as workdir:
        for name, data in files.items():
            database = fresh_database(args.database_url, Path(workdir) / f"{name}.sqlite3")
            engine = database.engine.dialect.name
            for label, dry_run in (("dry run", True), ("first import", False), ("again", False)):
                seconds, summary = timed_import(database, name, data, dry_run)
                print(f"[{engine}] {name} {label}: {seconds:.1f} s  ({summary})")
            database.dispose()
            if args.database_url:
                break  # the second file would find the first one's rows


if __name__ == "__main__":
    main()
