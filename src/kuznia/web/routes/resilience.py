"""The resilience page: what a plan still delivers when sites are struck (fan charts, nominal
beside robust, dispersal, the most costly sites) and the coordinator's forms (risk classes,
a site's class, a new evaluation as a background job)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import HTMLResponse, RedirectResponse

from kuznia.db.resilience import EvaluationKind
from kuznia.errors import InvalidInput
from kuznia.services.access.policy import Viewer
from kuznia.services.kernel.actors import Role
from kuznia.services.planning import plans
from kuznia.services.resilience import classes, reading
from kuznia.services.resilience.classes import parse_durations
from kuznia.services.resilience.jobs import submit_risk_job
from kuznia.web.page import Page, WebRoute, page
from kuznia.web.risk_charts import fan_chart, shortfall
from kuznia.web.routing import PathIndexedRouter
from kuznia.web.security import check_csrf

router = PathIndexedRouter(route_class=WebRoute, include_in_schema=False)
CurrentPage = Annotated[Page, Depends(page)]
FANS = 6


def _sets(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    if document.get("format") == "kuznia.risk-robust/1":
        return [("nominal", document["nominal"]), ("robust", document["robust"])]
    return [("nominal", document)]


def _fans(current: Page, sets: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    _ = current._
    labels = {"band": _("P90 to P10 of paths"), "median": _("P50 (median path)"),
              "planned": _("planned"), "month": _("Month")}  # fmt: skip
    nominal = sets[0][1]
    worst = sorted(nominal["fans"], key=lambda c: -shortfall(nominal["fans"][c]))[:FANS]
    names = {"nominal": _("Nominal plan"), "robust": _("Robust plan")}
    rows = []
    for cap in worst:
        charts = [
            fan_chart(
                f"fan-{which}-{cap}",
                f"{cap}: {names[which]}",
                _("cumulative units delivered"),
                figures["months"],
                figures["fans"][cap],
                labels,
            )
            for which, figures in sets
            if cap in figures["fans"]
        ]
        rows.append({"capability": cap, "charts": charts})
    return rows


@router.get("/risk", response_class=HTMLResponse)
def risk_page(current: CurrentPage, evaluation: str | None = None) -> HTMLResponse:
    actor = current.require(Role.COORDINATOR, Role.PARTNER, Role.AUDITOR)
    with current.web.database.reading() as session:
        viewer = Viewer.of(session, actor)
        listed = reading.list_evaluations(session, viewer)
        chosen = evaluation or (listed[0]["id"] if listed else None)
        detail = reading.get_evaluation(session, viewer, chosen) if chosen else None
        risk_classes = classes.list_risk_classes(session, viewer)
        site_classes = reading.site_classes(session, viewer)
        recent = plans.list_plans(session, viewer, limit=10).items
    sets = _sets(detail["document"]) if detail else []
    return current.render(
        "risk.html",
        title=current._("Resilience"),
        evaluations=listed,
        detail=detail,
        sets=sets,
        fans=_fans(current, sets) if sets else [],
        risk_classes=risk_classes,
        class_names={c["id"]: c["name"] for c in risk_classes},
        site_classes=site_classes,
        sees_classes=viewer.sees_some_secrets("site_risks"),
        plans=recent,
        may_run=actor.role is Role.COORDINATOR,
    )


@router.post("/risk/evaluations", dependencies=[Depends(check_csrf)])
async def run_evaluation(current: CurrentPage) -> RedirectResponse:
    """Queue an evaluation (the ministry); the jobs page shows its progress."""
    actor = current.require(Role.COORDINATOR)
    form = await current.request.form()
    kind = EvaluationKind.ROBUST if form.get("kind") == "robust" else EvaluationKind.EVALUATE
    numbers = {name: _whole(form.get(name), name, default) for name, default in
               (("paths", 200), ("seed", 0), ("sample_paths", 50))}  # fmt: skip
    with current.web.database.transaction() as session:
        submit_risk_job(
            session, actor, plan_id=str(form.get("plan_id") or ""), kind=kind, **numbers
        )
    return RedirectResponse("/jobs", status_code=303)


def _whole(value: Any, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return int(str(value))
    except ValueError:
        raise InvalidInput.single(name, f"{value!r} is not a whole number") from None


@router.post("/risk/classes", dependencies=[Depends(check_csrf)])
async def save_class(current: CurrentPage) -> RedirectResponse:
    actor = current.require(Role.COORDINATOR)
    form = await current.request.form()
    fields = {
        "id": str(form.get("id") or "").strip(),
        "name": str(form.get("name") or "").strip(),
        "monthly_probability": _share(form.get("monthly_probability"), "monthly_probability"),
        "capacity_loss": _share(form.get("capacity_loss") or "1", "capacity_loss"),
        "durations": parse_durations(str(form.get("durations") or "")),
    }
    with current.web.database.unit_of_work(actor) as uow:
        classes.put_risk_class(uow, fields)
    return RedirectResponse("/risk", status_code=303)


def _share(value: Any, name: str) -> float:
    try:
        return float(str(value))
    except ValueError:
        raise InvalidInput.single(name, f"{value!r} is not a number between 0 and 1") from None


@router.post("/risk/sites", dependencies=[Depends(check_csrf)])
async def save_site_class(current: CurrentPage) -> RedirectResponse:
    actor = current.require(Role.COORDINATOR)
    form = await current.request.form()
    site = str(form.get("site_id") or "").strip()
    chosen = str(form.get("risk_class_id") or "").strip() or None
    with current.web.database.unit_of_work(actor) as uow:
        classes.set_site_class(uow, site, chosen)
    return RedirectResponse("/risk", status_code=303)
