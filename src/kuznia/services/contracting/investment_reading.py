"""One investment as its money sees it: readable by the access policy's read rule on
``investments`` (the coordinator, auditors, the investor and the firm it goes to), its money
committed and paid by whoever may change it (the investor, its own; the coordinator).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.errors import Forbidden, NotFound
from kuznia.services.access.policy import Viewer, columns_of
from kuznia.services.access.rules import Action
from kuznia.services.kernel.actors import Actor


def get_investment(session: Session, actor: Actor, investment_id: str) -> db.Investment:
    """The investment if ``actor`` may read it; otherwise it does not exist for them (404; 403
    for a role that reads no investment at all)."""
    Viewer(actor).scope("investments")
    investment = session.get(db.Investment, investment_id)
    if investment is None or not Viewer(actor).may("investments", columns_of(investment)):
        raise NotFound(f"no investment {investment_id!r}")
    return investment


def may_fund(actor: Actor, investment: db.Investment) -> bool:
    """Whether ``actor`` commits and disburses ``investment``'s money: who may change it."""
    return Viewer(actor).may("investments", columns_of(investment), Action.UPDATE)


def check_investor(actor: Actor, investment: db.Investment) -> None:
    if not may_fund(actor, investment):
        raise Forbidden("only the investor or the coordinator commits and pays an investment")
