"""The capex of the chosen builds in exact cents per pledge (rule 7 and rule 9).

The joint model pays each build's capex from *payers* (``payers.py``) in model money; here each
payer's share is spread over its pledges in pledge order, each up to what it has left, scaled to
the capex exactly and rounded to cents (floors, then the missing cents one by one to the shares
with the largest remainders, then to any other pledge that may pay it). A build whose capex
cannot be placed in full (the solver's tolerance at a budget's edge) is dropped, with a note.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np

from kuznia.allocation.builder import MONEY_SCALE
from kuznia.allocation.problem import FloatArray, IntArray, Problem
from kuznia.allocation.projects import Projects


def split_capex(
    problem: Problem,
    pr: Projects,
    payer_of: IntArray,
    starts: IntArray,
    cols: Any,
    k: FloatArray,
) -> tuple[dict[int, int], dict[tuple[int, int], int], list[str]]:
    """(builds: project -> start month, capex cents per (project, pledge), notes)."""
    left = problem.budget.astype(np.int64).copy()
    members: dict[int, list[int]] = defaultdict(list)
    for pledge, payer in enumerate(payer_of.tolist()):
        members[payer].append(pledge)
    built: dict[int, int] = {}
    capex: dict[tuple[int, int], int] = {}
    notes: list[str] = []
    for s in starts.tolist():
        j, month = int(pr.start_project[s]), int(pr.start_month[s])
        targets: dict[int, float] = defaultdict(float)
        for col in np.nonzero(cols.k_start == s)[0].tolist():
            cents = max(float(k[col]) / MONEY_SCALE, 0.0)
            for pledge in members[int(cols.k_payer[col])]:
                take = min(cents, float(left[pledge] - targets[pledge]))
                targets[pledge] += max(take, 0.0)
                cents -= max(take, 0.0)
        may = np.nonzero(pr.eligible[j] & problem.valid[:, month])[0].tolist()
        pay = exact_cents(int(pr.capex[j]), targets, left, may)
        if pay is None:
            notes.append(f"project {pr.items[j].id}: its capex no longer fits the money left")
            continue
        built[j] = month
        for pledge, cents in pay.items():
            left[pledge] -= cents
            capex[(j, pledge)] = cents
    return built, capex, notes


def exact_cents(
    need: int, targets: dict[int, float], left: IntArray, may: list[int]
) -> dict[int, int] | None:
    """Whole cents summing to ``need``, near ``targets``, each within ``left``; None if the
    pledges in ``may`` cannot hold it."""
    total = sum(targets.values())
    scale = need / total if total > 0 else 0.0
    share = {p: min(t * scale, float(left[p])) for p, t in targets.items() if t > 0}
    pay = {p: min(math.floor(v), int(left[p])) for p, v in share.items()}
    missing = need - sum(pay.values())
    order = sorted(share, key=lambda p: (-(share[p] - pay[p]), p))
    order += [p for p in may if p not in share]
    for p in order:
        if missing <= 0:
            break
        room = int(left[p]) - pay.get(p, 0)
        add = min(room, missing)
        if add > 0:
            pay[p] = pay.get(p, 0) + add
            missing -= add
    if missing > 0:
        return None
    return {p: c for p, c in pay.items() if c > 0}
