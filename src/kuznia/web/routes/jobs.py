"""Jobs pages: the ministry queues a plan run; everyone sees the jobs they may see, with
progress, outcome and a cancel button."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.responses import HTMLResponse, RedirectResponse

from kuznia.db.jobs import ACTIVE_STATUSES
from kuznia.services.jobs import reading
from kuznia.services.kernel.actors import Role
from kuznia.services.planning.jobs import submit_plan_job
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
ACTIVE = tuple(s.value for s in ACTIVE_STATUSES)


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(current: CurrentPage) -> HTMLResponse:
    actor = current.user()
    with current.web.database.reading() as session:
        jobs = reading.list_jobs(session, actor, limit=100)
    active = any(j["status"] in ACTIVE for j in jobs)
    may_cancel = {j["id"] for j in jobs if j["status"] in ACTIVE and reading.may_cancel(actor, j)}
    return current.render(
        "jobs.html",
        title=current._("Jobs"),
        jobs=jobs,
        refresh=active,
        may_cancel=may_cancel,
        may_run=actor.role is Role.COORDINATOR,
    )


@router.post("/jobs", dependencies=[Depends(check_csrf)])
async def run_plan_job(current: CurrentPage) -> RedirectResponse:
    """Queue a plan run (the ministry); the jobs page shows its progress."""
    actor = current.require(Role.COORDINATOR)
    form = await current.request.form()
    label = str(form.get("label") or "").strip()[:200] or None
    include = form.get("include_unreviewed") == "on"
    with current.web.database.transaction() as session:
        submit_plan_job(session, actor, label=label, include_unreviewed=include)
    return RedirectResponse("/jobs", status_code=303)


@router.post("/jobs/{job_id}/cancel", dependencies=[Depends(check_csrf)])
def cancel(job_id: str, current: CurrentPage) -> RedirectResponse:
    actor = current.user()
    with current.web.database.transaction() as session:
        reading.cancel_job(session, actor, job_id)
    return RedirectResponse("/jobs", status_code=303)
