"""Spreadsheets in and out of the registries: import a table or a workbook, export a workbook.

Import is all-or-nothing and idempotent, like scenario import (it reuses its row mapping and
:func:`~kuznia.services.kernel.upsert.upsert`): every row is checked, first on its own
(:mod:`kuznia.spreadsheets.parsing`), then against the database (capabilities must exist,
currencies need an exchange rate in the planning frame, a company's country must agree with its
registration); if anything is wrong, :class:`SpreadsheetInvalid` lists every problem and nothing
is written. Companies and partners named but not registered yet are registered by id, as
scenario import does. A dry run reports the same outcome, record by record, without writing.

Only a coordinator imports (the bulk tool of the ministry's planners); records new to the
database are vetted proposals and confirmed pledges, as with a scenario, and the review status
and site of an existing proposal are kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.base import Record
from kuznia.errors import Forbidden, InvalidInput
from kuznia.money import format_cents
from kuznia.scenario.model import Pledge, Proposal, Scenario
from kuznia.services.kernel.actors import Role
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.kernel.upsert import existing_rows, upsert
from kuznia.services.registries.lifecycle import TABLED_PLEDGE, TABLED_PROJECT, TABLED_PROPOSAL
from kuznia.services.registries.project_rules import project_problems
from kuznia.services.registries.records import document
from kuznia.services.registries.rules import (
    derived_kind,
    kind_problems,
    pledge_change_problems,
)
from kuznia.services.registries.scenario_projects import company_country_conflicts, project_row
from kuznia.services.registries.scenarios import (
    capability_row,
    new_parties,
    pledge_row,
    proposal_row,
    requirement_row,
)
from kuznia.spreadsheets.parsing import ParsedTable, Progress, parse_table
from kuznia.spreadsheets.problems import RowProblem, SpreadsheetInvalid
from kuznia.spreadsheets.project_rows import ProjectRow
from kuznia.spreadsheets.reading import read_table
from kuznia.spreadsheets.report import FieldChange, ImportReport, RecordChange
from kuznia.spreadsheets.tables import TABLE_KINDS, table


@dataclass(frozen=True, slots=True)
class _Target:
    model: type[Record]
    to_row: Callable[[Any], dict[str, Any]]
    keep_on_update: tuple[str, ...] = ()


def _submitted(record: Proposal) -> dict[str, Any]:
    return {**proposal_row(record), "status": TABLED_PROPOSAL}


def _offered(record: Pledge) -> dict[str, Any]:
    return {**pledge_row(record), "status": TABLED_PLEDGE}


def _tabled_project(record: ProjectRow) -> dict[str, Any]:
    return {**project_row(record), "status": TABLED_PROJECT}


_TARGETS: Mapping[str, _Target] = {
    "capabilities": _Target(db.Capability, capability_row),
    "requirements": _Target(db.Requirement, requirement_row),
    "proposals": _Target(db.Proposal, _submitted, ("status", "site_id")),
    "pledges": _Target(db.Pledge, _offered, ("status",)),
    "projects": _Target(db.CapacityProject, _tabled_project, ("status", "site_id", "proposal_id")),
}
"""New proposals and projects come in submitted and new pledges offered: the coordinator
reviews them afterwards (``review.review_in_bulk``); a record never vets or confirms itself
by import."""
_SHEET_NAMES = {
    "capability_id": "capability",
    "company_id": "company",
    "partner_id": "partner",
    "unit_cost_cents": "unit_cost",
    "setup_cost_cents": "setup_cost",
    "amount_cents": "amount",
    "capex_cents": "capex",
    "earmark_capabilities": "capabilities",
    "earmark_site_countries": "site_countries",
    "earmark_company_countries": "company_countries",
}


def no_progress(stage: str, done: int, expected: int | None) -> None:
    del stage, done, expected


def authorize_import(uow: UnitOfWork) -> None:
    if uow.actor.role is not Role.COORDINATOR:
        raise Forbidden("only a coordinator may import spreadsheets")


def _check_kind(kind: str) -> None:
    if kind not in TABLE_KINDS:
        expected = ", ".join(TABLE_KINDS)
        raise InvalidInput.single("kind", f"unknown kind {kind!r}; expected {expected}")


# --- checks against the database -------------------------------------------------------------


@dataclass
class _Known:
    """What rows may refer to: capabilities and currencies in the database or the same file."""

    capabilities: set[str]
    currencies: set[str] | None
    """None when there is no planning frame (so no exchange rate at all)."""
    check_currencies: bool = True


def _known(session: Session, capability_ids: set[str], frame: Scenario | None) -> _Known:
    found = set(existing_rows(session, db.Capability, sorted(capability_ids), []))
    if frame is not None:
        return _Known(found, {frame.base_currency, *frame.fx_rates})
    settings = session.get(db.PlanningSettings, 1)
    if settings is None:
        return _Known(found, None)
    rates = set(session.scalars(select(db.FxRate.currency)))
    return _Known(found, {settings.base_currency, *rates})


def _referenced_capabilities(parsed: ParsedTable) -> set[str]:
    ids: set[str] = set()
    for _, values in parsed.values:
        ids.update(c for c in values.get("capabilities") or () if isinstance(c, str))
        if isinstance(capability := values.get("capability"), str):
            ids.add(capability)
    return ids


def _currency_problem(known: _Known, currency: str) -> str | None:
    if known.currencies is None:
        return (
            f"no exchange rate for {currency}: the database has no planning frame yet (import a "
            "scenario, or a workbook with a settings sheet, first)"
        )
    if currency not in known.currencies:
        rates = ", ".join(sorted(known.currencies))
        return f"no exchange rate for {currency} in the planning frame (it has {rates})"
    return None


def _record_problems(session: Session, parsed: ParsedTable, known: _Known) -> None:
    """References of every row, sound or not: capabilities, currencies, partners, companies
    (which must be registered: an import registers no party by itself)."""
    parties = {"partner": db.Partner, "company": db.Company}
    named = {
        column: {str(v[column]) for _, v in parsed.values if isinstance(v.get(column), str)}
        for column in parties
    }
    registered = {
        column: set(existing_rows(session, parties[column], sorted(ids), []))
        for column, ids in named.items()
    }
    for number, values in parsed.values:
        capability = values.get("capability")
        if isinstance(capability, str) and capability not in known.capabilities:
            parsed.problem(number, "capability", f"unknown capability {capability!r}")
        for position, item in enumerate(values.get("capabilities") or (), start=1):
            if item not in known.capabilities:
                parsed.problem(
                    number, "capabilities", f"item {position}: unknown capability {item!r}"
                )
        for column in parties:
            ref = values.get(column)
            if isinstance(ref, str) and ref not in registered[column]:
                parsed.problem(number, column, f"unknown {column} {ref!r}: register it first")
        currency = values.get("currency")
        if (
            isinstance(currency, str)
            and known.check_currencies
            and (message := _currency_problem(known, currency))
        ):
            parsed.problem(number, "currency", message)


def _company_problems(session: Session, parsed: ParsedTable) -> None:
    rows = [n for n, r in parsed.records if isinstance(r, Proposal | ProjectRow)]
    proposals = [r for _, r in parsed.records if isinstance(r, Proposal | ProjectRow)]
    for c in company_country_conflicts(session, proposals):
        if c.registered is not None:
            message = f"company {c.company!r} is registered in {c.registered}, not {c.country}"
        else:
            message = (
                f"{c.country} contradicts row {rows[c.earlier]} ({c.earlier_country}) "
                f"for company {c.company!r}"
            )
        parsed.problem(rows[c.index], "company_country", message)


def check_rows(
    session: Session,
    parsed: Sequence[ParsedTable],
    frame: Scenario | None,
    *,
    check_currencies: bool = True,
) -> None:
    """Add to each table every problem found against the database (and the rest of the file)."""
    in_file = {
        str(getattr(r, "id", ""))
        for p in parsed
        if p.table.kind == "capabilities"
        for _, r in p.records
    }
    wanted: set[str] = set().union(*(_referenced_capabilities(p) for p in parsed))
    known = _known(session, wanted - in_file, frame)
    known.capabilities |= in_file
    known.check_currencies = check_currencies
    for table_rows in parsed:
        _record_problems(session, table_rows, known)
        _company_problems(session, table_rows)
        _rule_problems(session, table_rows)


def _rule_problems(session: Session, parsed: ParsedTable) -> None:
    """The registry's own rules on each sound record (``rules.py``), as the API applies them:
    a proposal's kind, a pledge's change against the money and contracts it answers for."""
    for number, record in parsed.records:
        if isinstance(record, Proposal):
            row = proposal_row(record)
            for field, message in kind_problems(session, row):
                parsed.problem(number, field, message)
        elif isinstance(record, ProjectRow):
            for field, message in project_problems(session, project_row(record)):
                parsed.problem(number, _SHEET_NAMES.get(field, field), message)
        elif isinstance(record, Pledge):
            stored = session.get(db.Pledge, record.id)
            if stored is not None:
                before = document(stored)
                after = {**before, **pledge_row(record), "status": stored.status}
                for field, message in pledge_change_problems(session, before, after):
                    parsed.problem(number, _SHEET_NAMES.get(field, field), message)


def raise_if_problems(
    parsed: Sequence[ParsedTable], filename: str, more: Sequence[RowProblem] = ()
) -> None:
    problems = [*more, *(p for table_rows in parsed for p in table_rows.problems)]
    if problems:
        raise SpreadsheetInvalid(problems, f"{filename} cannot be imported")


# --- what would change, and writing it -------------------------------------------------------


def _display(column: str, value: Any) -> Any:
    if column.endswith("_cents") and isinstance(value, int):
        return format_cents(value)
    if isinstance(value, list):
        return ", ".join(value)
    return value


@dataclass
class _Prepared:
    kind: str
    rows_read: int
    records: list[BaseModel]
    rows: list[dict[str, Any]]
    changes: list[RecordChange]


def prepare_rows(session: Session, parsed: ParsedTable) -> _Prepared:
    """Database rows of the records and how each differs from what is stored."""
    target = _TARGETS[parsed.table.kind]
    records = [r for _, r in parsed.records]
    rows = [target.to_row(r) for r in records]
    for row in rows:
        if target.model is db.CapacityProject and row["kind"] is None:
            row["kind"] = derived_kind(session, row)
    changes: list[RecordChange] = []
    if rows:
        skip = {"id", *target.keep_on_update}
        compared = [f for f in rows[0] if f not in skip]
        current = existing_rows(session, target.model, [r["id"] for r in rows], compared)
        for (number, _), row in zip(parsed.records, rows, strict=True):
            changes.append(_record_change(number, row, current.get(row["id"]), compared))
    return _Prepared(parsed.table.kind, parsed.rows_read, records, rows, changes)


def _record_change(
    number: int, row: Mapping[str, Any], old: Mapping[str, Any] | None, compared: Sequence[str]
) -> RecordChange:
    if old is None:
        return RecordChange(number, row["id"], "create")
    fields = tuple(
        FieldChange(_SHEET_NAMES.get(f, f), _display(f, old[f]), _display(f, row[f]))
        for f in compared
        if old[f] != row[f]
    )
    return RecordChange(number, row["id"], "update" if fields else "unchanged", fields)


def parties_of(session: Session, prepared: Sequence[_Prepared]) -> dict[str, tuple[str, ...]]:
    """Ids of the companies and partners that rows name and the database does not know yet."""
    records = [r for p in prepared for r in p.records]
    companies, partners = new_parties(
        session,
        [r for r in records if isinstance(r, Proposal)],
        [r for r in records if isinstance(r, Pledge)],
    )
    return {
        "companies": tuple(c["id"] for c in companies),
        "partners": tuple(p["id"] for p in partners),
    }


def write_rows(uow: UnitOfWork, prepared: Sequence[_Prepared], tell: Progress) -> None:
    for p in prepared:
        tell(f"writing {p.kind}", 0, len(p.rows))
        target = _TARGETS[p.kind]
        upsert(uow, target.model, p.rows, keep_on_update=target.keep_on_update)
        tell(f"writing {p.kind}", len(p.rows), len(p.rows))
    uow.session.flush()


def import_report(
    p: _Prepared,
    filename: str,
    dry_run: bool,
    parties: Mapping[str, tuple[str, ...]],
    started: float,
) -> ImportReport:
    relevant = {"proposals": "companies", "pledges": "partners"}.get(p.kind)
    registered = {relevant: parties[relevant]} if relevant else {}
    return ImportReport(
        kind=p.kind,
        filename=filename,
        dry_run=dry_run,
        rows=p.rows_read,
        records=tuple(p.changes),
        registered=registered,
        seconds=time.perf_counter() - started,
    )


# --- the service functions -------------------------------------------------------------------


def import_table(
    uow: UnitOfWork,
    kind: str,
    filename: str,
    data: bytes,
    dry_run: bool = False,
    *,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the rows of one ``kind`` (capabilities, requirements, proposals or pledges) from a
    .csv or .xlsx file (``filename`` gives the format; an .xlsx file's sheet named ``kind``, or
    its first sheet) into the caller's unit of work.

    Raises :class:`SpreadsheetInvalid` listing every problem (nothing is written), or
    :class:`Forbidden` for an actor who is not a coordinator. ``dry_run`` checks and compares
    everything and writes nothing.
    """
    authorize_import(uow)
    _check_kind(kind)
    started = time.perf_counter()
    tell = progress or no_progress
    sheet = read_table(filename, data, kind)
    parsed = parse_table(table(kind), sheet, lambda n: tell("reading", n, sheet.expected_rows))
    tell("checking", parsed.rows_read, parsed.rows_read)
    check_rows(uow.session, [parsed], None)
    raise_if_problems([parsed], filename)
    prepared = prepare_rows(uow.session, parsed)
    parties = parties_of(uow.session, [prepared])
    if not dry_run:
        write_rows(uow, [prepared], tell)
    return import_report(prepared, filename, dry_run, parties, started)
