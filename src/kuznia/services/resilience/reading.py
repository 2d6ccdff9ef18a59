"""Reading sites' risk classes and stored evaluations under need-to-know.

One rule decides both (``SECRET_SEEN_BY["site_risks"]``: a site's class is seen by whoever
sees its location: the coordinator, the owning company, the partner of the site's country).
:func:`site_classes` lists the sites whose class the reader sees; the most costly sites of an
evaluation are named by id only to who sees that site's class; everyone else reads them as
"site A", "site B", ... in their order of cost, with their risk class: what a strike there would
cost, never where "there" is.
"""

from __future__ import annotations

import string
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db.registries import Site
from kuznia.db.resilience import RiskClassRow, RiskEvaluation, SiteRisk
from kuznia.errors import NotFound
from kuznia.services.access.policy import Action, Viewer
from kuznia.services.resilience.jobs import evaluation_summary


def list_evaluations(
    session: Session, viewer: Viewer, plan_id: str | None = None
) -> list[dict[str, Any]]:
    viewer.scope("risk_evaluations", Action.READ)
    stmt = select(RiskEvaluation).order_by(RiskEvaluation.created_at.desc()).limit(100)
    if plan_id is not None:
        stmt = stmt.where(RiskEvaluation.plan_id == plan_id)
    return [{**evaluation_summary(r), "created_at": r.created_at} for r in session.scalars(stmt)]


def pseudonym(n: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = string.ascii_uppercase
    return letters[n] if n < len(letters) else pseudonym(n // len(letters) - 1) + letters[n % 26]


def site_classes(session: Session, viewer: Viewer) -> list[dict[str, Any]]:
    """The sites whose risk class the viewer sees, by site id: name, country and class."""
    viewer.scope("site_risks", Action.READ)
    stmt = (
        select(SiteRisk.site_id, Site.name, Site.country, SiteRisk.risk_class_id, RiskClassRow.name)
        .join(Site, Site.id == SiteRisk.site_id)
        .join(RiskClassRow, RiskClassRow.id == SiteRisk.risk_class_id)
        .where(viewer.condition("site_risks"), viewer.seen_condition("site_risks"))
        .order_by(SiteRisk.site_id)
    )
    keys = ("site_id", "site_name", "country", "risk_class_id", "risk_class_name")
    return [dict(zip(keys, row, strict=True)) for row in session.execute(stmt)]


class SiteNames:
    """The sites of one document as a viewer may know them: "name (id)" where it sees the
    site's risk class (and so its location), "site A", "site B", ... in the order asked."""

    def __init__(self, session: Session, viewer: Viewer) -> None:
        self.session, self.viewer = session, viewer
        self.names: dict[str, str] = {}

    def label(self, site_id: str) -> str:
        if site_id not in self.names:
            row = self.session.get(Site, site_id)
            seen = row is not None and self.viewer.sees_secrets(
                "site_risks", {"id": site_id, "site_id": site_id}
            )
            self.names[site_id] = (
                f"{row.name} ({site_id})" if seen and row else f"site {pseudonym(len(self.names))}"
            )
        return self.names[site_id]


def _figure_sets(document: dict[str, Any]) -> list[dict[str, Any]]:
    if document.get("format") == "kuznia.risk-robust/1":
        return [document["nominal"], document["robust"]]
    return [document]


def shown_sites(session: Session, viewer: Viewer, document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with each listed site as ``{"label", "risk_class", ...}``: its id and name
    where the viewer sees its class, a pseudonym otherwise (one per site per document)."""
    names = SiteNames(session, viewer)
    shown = dict(document)
    sets = []
    for figures in _figure_sets(document):
        sites = [
            {**{k: v for k, v in s.items() if k != "site"}, "label": names.label(s["site"])}
            for s in figures.get("sites", [])
        ]
        sets.append({**figures, "sites": sites})
    if len(sets) == 2:
        shown["nominal"], shown["robust"] = sets
    else:
        shown = sets[0]
    return shown


def get_evaluation(session: Session, viewer: Viewer, evaluation_id: str) -> dict[str, Any]:
    viewer.scope("risk_evaluations", Action.READ)
    row = session.get(RiskEvaluation, evaluation_id)
    if row is None:
        raise NotFound(f"no risk evaluation {evaluation_id!r}")
    return {
        **evaluation_summary(row),
        "created_at": row.created_at,
        "document": shown_sites(session, viewer, row.document),
    }
