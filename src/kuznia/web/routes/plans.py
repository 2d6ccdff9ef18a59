"""Stored plans: the list (each one kept with the exact inputs it was made from) and two of them
compared, through ``services.planning.plans`` as the API's ``/plans`` routes (a partner sees
only its own pledges' money). New plans are stored by running one as a job (the plan page)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse

from kuznia.errors import InvalidInput, NotFound
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.actors import Role
from kuznia.services.planning import plans
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.routing import PathIndexedRouter

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
PlanId = Annotated[str | None, Query(max_length=100)]
PLAN_READERS = (Role.COORDINATOR, Role.PARTNER, Role.AUDITOR)


@router.get("/plans", response_class=HTMLResponse)
def stored_plans(current: CurrentPage, a: PlanId = None, b: PlanId = None) -> HTMLResponse:
    """The stored plans, newest first; with ``a`` and ``b``, what changed from a to b."""
    actor = current.require(*PLAN_READERS)
    comparison: dict[str, Any] | None = None
    problem = None
    with current.web.database.reading() as session:
        viewer = Viewer.of(session, actor)
        listed = plans.list_plans(session, viewer, limit=100).items
        if a and b:
            try:
                comparison = plans.compare_plans(session, viewer, a, b)
            except InvalidInput:
                problem = current._("Choose two different plans to compare.")
            except NotFound:
                problem = current._("One of these plans is not stored.")
    chosen_b = b or (listed[0]["id"] if listed else "")
    chosen_a = a or (listed[1]["id"] if len(listed) > 1 else "")
    return current.render(
        "plans.html",
        title=current._("Stored plans"),
        plans=listed,
        comparison=comparison,
        problem=problem,
        chosen_a=chosen_a,
        chosen_b=chosen_b,
    )
