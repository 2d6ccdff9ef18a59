"""Whole-unit deliveries from whole-unit production, then per line (disaggregation).

Units of capability c arriving in month a (``sum_l X[l, a - lag_l]``) are delivered in month a:
first as the LP's (floored) deliveries say, trimmed where rounding left fewer arrivals, then any
units still unassigned go to the requirements of c with remaining quantity, most valuable first.
Each (capability, month) batch is then split over the lines that shipped it, so for every line
units delivered up to m never exceed units produced up to ``m - ship_lag`` (rule 6).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import IntArray
from kuznia.allocation.rounding import UNIT_TOL

Delivery = tuple[int, int, int, int]  # requirement, line, month, units


def whole_deliveries(form: Formulation, col_value: np.ndarray, units: IntArray) -> list[Delivery]:
    """Deliveries per (requirement, line, arrival month) for integer production ``units``."""
    p = form.problem
    arrive = form.x_month + p.ship_lag[form.x_line]
    cap = p.line_capability[form.x_line]
    supply: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for i in np.nonzero((units > 0) & (arrive < p.horizon))[0]:
        supply[(int(cap[i]), int(arrive[i]))].append((int(form.x_line[i]), int(units[i])))
    left = {ca: sum(n for _, n in lines) for ca, lines in supply.items()}
    want = [int(q) for q in p.quantity]
    batches: dict[tuple[int, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    d = col_value[form.cols("d")] if len(col_value) else np.zeros(len(form.d_req))
    guided = np.floor(d + UNIT_TOL).astype(np.int64)
    order = np.argsort(-p.value[form.d_req, form.d_month], kind="stable")
    for i in order[guided[order] > 0]:
        r, a = int(form.d_req[i]), int(form.d_month[i])
        ca = (int(p.req_capability[r]), a)
        k = min(int(guided[i]), left.get(ca, 0), want[r])
        if k > 0:
            _give(batches, left, want, ca, r, k)
    _fill_leftovers(form, batches, left, want)
    return _split_by_line(supply, batches)


def _give(
    batches: dict[tuple[int, int], dict[int, int]],
    left: dict[tuple[int, int], int],
    want: list[int],
    ca: tuple[int, int],
    r: int,
    k: int,
) -> None:
    batches[ca][r] += k
    left[ca] -= k
    want[r] -= k


def _fill_leftovers(
    form: Formulation,
    batches: dict[tuple[int, int], dict[int, int]],
    left: dict[tuple[int, int], int],
    want: list[int],
) -> None:
    p = form.problem
    reqs_of: dict[int, list[int]] = defaultdict(list)
    for r, c in enumerate(p.req_capability):
        reqs_of[int(c)].append(r)
    for ca in sorted(left):
        c, a = ca
        for r in sorted(reqs_of[c], key=lambda r: -p.value[r, a]):
            if left[ca] == 0:
                break
            k = min(left[ca], want[r])
            if k > 0:
                _give(batches, left, want, ca, r, k)


def _split_by_line(
    supply: dict[tuple[int, int], list[tuple[int, int]]],
    batches: dict[tuple[int, int], dict[int, int]],
) -> list[Delivery]:
    out: list[Delivery] = []
    for ca, per_req in batches.items():
        lines = [[line, n] for line, n in supply[ca]]
        j = 0
        for r, wanted in sorted(per_req.items()):
            need = wanted
            while need > 0:
                line, n = lines[j]
                k = min(n, need)
                out.append((r, line, ca[1], k))
                need -= k
                lines[j][1] -= k
                if lines[j][1] == 0:
                    j += 1
    return out
