"""Whole-unit deliveries from whole-unit production, then per line (disaggregation).

Units of capability c arriving in month a (``sum_l X[l, a - lag_l]``) are delivered in month a:
first as the LP's (floored) deliveries say, trimmed where rounding left fewer arrivals, then any
units still unassigned go to the requirements of c with remaining quantity, most valuable first.
Each (capability, month) batch is then split over the lines that shipped it, so for every line
units delivered up to m never exceed units produced up to ``m - ship_lag`` (rule 6).
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

import numpy as np

from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import IntArray, Problem
from kuznia.allocation.rounding import UNIT_TOL


class Delivery(NamedTuple):
    """Units of a line arriving for a requirement in a month."""

    requirement: int
    line: int
    month: int
    units: int


class _Arrivals:
    """Units arriving per batch ``c * T + a`` (capability c, month a): what each line shipped
    (lines in column order), and how many are not yet given to a requirement."""

    def __init__(self, form: Formulation, units: IntArray) -> None:
        p = form.problem
        arrive = form.x_month + p.ship_lag[form.x_line]
        on = np.nonzero((units > 0) & (arrive < p.horizon))[0]
        batch = p.line_capability[form.x_line[on]] * p.horizon + arrive[on]
        order = np.argsort(batch, kind="stable")
        keys, start, count = np.unique(batch[order], return_index=True, return_counts=True)
        self.line = form.x_line[on][order]
        self.units = units[on][order]
        totals = np.add.reduceat(self.units, start) if len(start) else start
        self.span = dict(zip(keys.tolist(), zip(start.tolist(), count.tolist(), strict=True),
                             strict=True))  # fmt: skip
        self.left: dict[int, int] = dict(zip(keys.tolist(), totals.tolist(), strict=True))

    def shipped(self, batch: int) -> tuple[list[int], list[int]]:
        """The lines that shipped the batch and their units, in column order."""
        lo, n = self.span[batch]
        return self.line[lo : lo + n].tolist(), self.units[lo : lo + n].tolist()


def whole_deliveries(form: Formulation, col_value: np.ndarray, units: IntArray) -> list[Delivery]:
    """Deliveries per (requirement, line, arrival month) for integer production ``units``."""
    p = form.problem
    arrivals = _Arrivals(form, units)
    left = arrivals.left
    want: list[int] = p.quantity.tolist()
    batches: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    d = col_value[form.cols("d")] if len(col_value) else np.zeros(len(form.d_req))
    guided = np.floor(d + UNIT_TOL).astype(np.int64)
    order = np.argsort(-p.value[form.d_req, form.d_month], kind="stable")
    order = order[guided[order] > 0]
    req = form.d_req[order]
    batch = p.req_capability[req] * p.horizon + form.d_month[order]
    for r, b, g in zip(req.tolist(), batch.tolist(), guided[order].tolist(), strict=True):
        k = min(g, left.get(b, 0), want[r])
        if k > 0:
            _give(batches, left, want, b, r, k)
    _fill_leftovers(p, batches, left, want)
    return _split_by_line(p.horizon, arrivals, batches)


def _give(
    batches: dict[int, dict[int, int]],
    left: dict[int, int],
    want: list[int],
    batch: int,
    r: int,
    k: int,
) -> None:
    batches[batch][r] += k
    left[batch] -= k
    want[r] -= k


def _fill_leftovers(
    p: Problem, batches: dict[int, dict[int, int]], left: dict[int, int], want: list[int]
) -> None:
    """Units no LP delivery took, batch by batch (capability, then month), to the requirements
    of the capability that still want units, most valuable in that month first (ties: by
    requirement order)."""
    reqs_of: dict[int, list[int]] = defaultdict(list)
    for r, c in enumerate(p.req_capability.tolist()):
        reqs_of[c].append(r)
    for batch in sorted(left):
        if left[batch] == 0:
            continue
        c, a = divmod(batch, p.horizon)
        reqs = np.array(reqs_of[c], dtype=np.int64)
        for r in reqs[np.argsort(-p.value[reqs, a], kind="stable")].tolist():
            if left[batch] == 0:
                break
            k = min(left[batch], want[r])
            if k > 0:
                _give(batches, left, want, batch, r, k)


def _split_by_line(
    horizon: int, arrivals: _Arrivals, batches: dict[int, dict[int, int]]
) -> list[Delivery]:
    """Each batch's units per requirement (by requirement) taken from its lines in turn."""
    out: list[Delivery] = []
    for batch, per_req in batches.items():
        month = batch % horizon
        lines, units = arrivals.shipped(batch)
        j = 0
        for r, wanted in sorted(per_req.items()):
            need = wanted
            while need > 0:
                k = min(units[j], need)
                out.append(Delivery(r, lines[j], month, k))
                need -= k
                units[j] -= k
                if units[j] == 0:
                    j += 1
    return out
