"""A spreadsheet import in two steps, for people: a dry run that shows what would change, then
the import of exactly that.

The preview's :func:`fingerprint` is the SHA-256 of what the dry run found (every record to
create or change, field by field, the planning frame's changes, the parties registered). The
confirmed import runs the real import in the caller's unit of work and compares the fingerprint
of what it did: if the records changed in between (someone else edited them, or the same import
was confirmed already), it refuses and the unit of work writes nothing. Either way the import
stays atomic: every row or none.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from kuznia.errors import Conflict
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.spreadsheet_import import import_table
from kuznia.services.registries.workbook_import import import_workbook
from kuznia.spreadsheets.report import ImportReport, WorkbookReport

WORKBOOK = "workbook"
"""The kind of an import of every sheet of a workbook (the others are ``KINDS``)."""


@dataclass(frozen=True, slots=True)
class Preview:
    """What an import would do (or did), and the fingerprint that names it."""

    report: WorkbookReport
    fingerprint: str

    @property
    def changes(self) -> int:
        """How many records it creates or changes (and frame settings it changes)."""
        return len(self.report.settings) + sum(len(t.changed) for t in self.report.tables)


def _as_workbook(report: ImportReport | WorkbookReport) -> WorkbookReport:
    if isinstance(report, WorkbookReport):
        return report
    return WorkbookReport(report.filename, report.dry_run, (), (report,), report.seconds)


def fingerprint(report: WorkbookReport) -> str:
    """SHA-256 of what an import changes (not when, how fast, or whether it was a dry run)."""
    content: dict[str, Any] = report.document()
    content.pop("seconds", None)
    content.pop("dry_run", None)
    for table in content["tables"]:
        for key in ("seconds", "dry_run", "filename"):
            table.pop(key, None)
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _run(uow: UnitOfWork, kind: str, filename: str, data: bytes, dry_run: bool) -> Preview:
    if kind == WORKBOOK:
        report = import_workbook(uow, filename, data, dry_run)
    else:
        report = _as_workbook(import_table(uow, kind, filename, data, dry_run))
    return Preview(report, fingerprint(report))


def preview_import(uow: UnitOfWork, kind: str, filename: str, data: bytes) -> Preview:
    """The dry run: every check of the import, nothing written (SpreadsheetInvalid lists every
    problem by sheet, row and column)."""
    return _run(uow, kind, filename, data, dry_run=True)


def import_previewed(
    uow: UnitOfWork, kind: str, filename: str, data: bytes, expected: str
) -> Preview:
    """Import the file if it does exactly what the preview ``expected`` (its fingerprint) said;
    otherwise :class:`Conflict`, and the caller's unit of work rolls everything back."""
    done = _run(uow, kind, filename, data, dry_run=False)
    if done.fingerprint != expected:
        if done.changes == 0:
            raise Conflict("the records hold these values already: was this import confirmed?")
        raise Conflict("the records changed since the preview: look at the new preview")
    return done
