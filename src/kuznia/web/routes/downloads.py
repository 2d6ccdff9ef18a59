"""Downloads: each registry as CSV (what the reader may see), the registries as a workbook (the
import's layout), the current plan as JSON and as a workbook. The open-data exports are the
API's public files, linked from the pages."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated

from fastapi import Depends
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from kuznia.errors import NotFound
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.actors import Role
from kuznia.services.planning.plans import plan_of_scenario
from kuznia.services.planning.workbook import stored_plan_workbook
from kuznia.services.registries.browse import browse_records
from kuznia.services.registries.catalogue import display_value
from kuznia.services.registries.workbook_import import export_workbook
from kuznia.spreadsheets.safe_cells import safe_cell
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routes.planning import PLAN_READERS
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.tables import readable_registries

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKBOOK_READERS = (Role.COORDINATOR, Role.AUDITOR)
"""The registries workbook holds every proposal and pledge: for those who read them all."""
CHUNK = 500


def _attachment(data: bytes | str, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(data, media_type=media_type, headers=headers)


@router.get("/downloads/registries/{entity}.csv")
def registry_csv(entity: str, current: CurrentPage) -> Response:
    """Every record of the registry the reader may read, as the table shows it (secret fields
    withheld say "hidden"), in pages of the one listing."""
    actor = current.user()
    if entity not in readable_registries(actor.role):
        raise NotFound(current._("There is no such registry for your role."))
    out = io.StringIO()
    writer = csv.writer(out)
    offset, total = 0, None
    with current.web.database.reading() as session:
        while total is None or offset < total:
            found = browse_records(session, actor, entity, {}, offset=offset, limit=CHUNK)
            if total is None:
                writer.writerow(found.columns)
            total = found.total
            for item, hidden in zip(found.items, found.hidden, strict=True):
                writer.writerow([
                    "hidden" if c in hidden else safe_cell(display_value(c, item.get(c)))
                    for c in found.columns
                ])  # fmt: skip
            offset += CHUNK
    return _attachment(out.getvalue(), "text/csv; charset=utf-8", f"{entity}.csv")


@router.get("/downloads/registries.xlsx")
def registries_workbook(current: CurrentPage) -> Response:
    current.require(*WORKBOOK_READERS)
    with current.web.database.reading() as session:
        data = export_workbook(session)
    return _attachment(data, XLSX, "registries.xlsx")


@router.get("/downloads/plan.json")
def plan_json(current: CurrentPage) -> Response:
    """The current plan (kuznia.plan/1) with its summary; a partner's holds its own money."""
    actor = current.require(*PLAN_READERS)
    with current.web.database.reading() as session:
        planned = current.current_plan(session)
        found = plan_of_scenario(session, Viewer.of(session, actor), planned.sha256)
    data = json.dumps(jsonable_encoder(found), ensure_ascii=False, indent=1)
    return _attachment(data.encode(), "application/json", "plan.json")


@router.get("/downloads/plan.xlsx")
def plan_xlsx(current: CurrentPage) -> Response:
    actor = current.require(*WORKBOOK_READERS)
    with current.web.database.reading() as session:
        planned = current.current_plan(session)
        data = stored_plan_workbook(session, Viewer.of(session, actor), planned.sha256)
    return _attachment(data, XLSX, "plan.xlsx")
