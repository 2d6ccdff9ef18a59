"""Reading stored evaluations under need-to-know.

The most costly sites are named by id only to who may see that site's location (the
coordinator, the owning company, the partner of its country); everyone else reads them as
"site A", "site B", ... in their order of cost, with their risk class: what a strike there would
cost, never where "there" is.
"""

from __future__ import annotations

import string
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db.registries import Site
from kuznia.db.resilience import RiskEvaluation
from kuznia.errors import NotFound
from kuznia.services.access.policy import Action, Viewer, columns_of
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


def _figure_sets(document: dict[str, Any]) -> list[dict[str, Any]]:
    if document.get("format") == "kuznia.risk-robust/1":
        return [document["nominal"], document["robust"]]
    return [document]


def shown_sites(session: Session, viewer: Viewer, document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with each listed site as ``{"label", "risk_class", ...}``: its id and name
    where the viewer sees its location, a pseudonym otherwise (one per site per document)."""
    names: dict[str, str] = {}
    shown = dict(document)
    sets = []
    for figures in _figure_sets(document):
        sites = []
        for s in figures.get("sites", []):
            site_id = s["site"]
            if site_id not in names:
                row = session.get(Site, site_id)
                seen = row is not None and viewer.sees_secrets("sites", columns_of(row))
                names[site_id] = (
                    f"{row.name} ({site_id})" if seen and row else (f"site {pseudonym(len(names))}")
                )
            sites.append({**{k: v for k, v in s.items() if k != "site"}, "label": names[site_id]})
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
