"""Whole workbooks: one import of every sheet (and the planning frame) in one transaction, and the
export of the registries as such a workbook."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.scenario.model import Scenario
from kuznia.services.kernel.unit_of_work import UnitOfWork
from kuznia.services.registries.scenarios import (
    export_scenario,
    store_settings,
)
from kuznia.services.registries.spreadsheet_import import (
    authorize_import,
    check_rows,
    import_report,
    no_progress,
    parties_of,
    prepare_rows,
    raise_if_problems,
    write_rows,
)
from kuznia.spreadsheets.parsing import Progress
from kuznia.spreadsheets.report import FieldChange, WorkbookReport
from kuznia.spreadsheets.workbook import scenario_workbook
from kuznia.spreadsheets.workbook_import import read_workbook


def _frame_fields(
    start: str, horizon: int, base: str, decay: float, rates: Mapping[str, str]
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "start_month": start,
        "horizon_months": horizon,
        "base_currency": base,
        "lateness_decay": decay,
    }
    fields.update({f"fx_rate.{c}": r for c, r in sorted(rates.items()) if c != base})
    return fields


def _frame_changes(session: Session, frame: Scenario) -> tuple[FieldChange, ...]:
    new = _frame_fields(
        frame.start_month,
        frame.horizon_months,
        frame.base_currency,
        frame.lateness_decay,
        frame.fx_rates,
    )
    settings = session.get(db.PlanningSettings, 1)
    old: dict[str, Any] = {}
    if settings is not None:
        rates = {r.currency: r.rate for r in session.scalars(select(db.FxRate))}
        old = _frame_fields(
            settings.start_month,
            settings.horizon_months,
            settings.base_currency,
            settings.lateness_decay,
            rates,
        )
    return tuple(
        FieldChange(k, old.get(k), new.get(k))
        for k in dict.fromkeys([*old, *new])
        if old.get(k) != new.get(k)
    )


def import_workbook(
    uow: UnitOfWork,
    filename: str,
    data: bytes,
    dry_run: bool = False,
    *,
    progress: Progress | None = None,
) -> WorkbookReport:
    """Import a registries workbook (as :func:`export_workbook` writes): the ``settings`` sheet
    (planning frame and exchange rates), then the sheets named after :data:`KINDS`, each
    optional. All sheets are checked before anything is written; rows may refer to capabilities
    and currencies of the same workbook."""
    authorize_import(uow)
    started = time.perf_counter()
    tell = progress or no_progress
    book = read_workbook(filename, data, tell)
    frame, parsed = book.frame, book.tables
    check_rows(
        uow.session, parsed, frame, check_currencies=frame is not None or not book.has_settings
    )
    raise_if_problems(parsed, filename, book.settings_problems)
    settings = () if frame is None else _frame_changes(uow.session, frame)
    prepared = [prepare_rows(uow.session, p) for p in parsed]
    parties = parties_of(uow.session, prepared)
    if not dry_run:
        if frame is not None and settings:
            store_settings(uow, frame)
        write_rows(uow, prepared, tell)
    reports = tuple(import_report(p, filename, dry_run, parties, started) for p in prepared)
    return WorkbookReport(filename, dry_run, settings, reports, time.perf_counter() - started)


def export_workbook(session: Session) -> bytes:
    """The registries as a workbook: planning frame, capabilities, requirements, proposals and
    pledges (all but rejected proposals and withdrawn pledges, as a scenario export with
    unreviewed records), each sheet laid out like its import template. Pledges only for
    investment (capex of capacity projects) are left out: a workbook's pledges are production
    money, and importing one would make them so."""
    scenario = export_scenario(session, include_unreviewed=True)
    purposes = dict(session.execute(select(db.Pledge.id, db.Pledge.purposes)).all())
    production = db.PledgePurpose.PRODUCTION.value
    kept = tuple(g for g in scenario.pledges if production in (purposes.get(g.id) or [production]))
    return scenario_workbook(scenario.model_copy(update={"pledges": kept}))
