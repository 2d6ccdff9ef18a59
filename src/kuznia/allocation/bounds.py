"""An upper bound on the value of every valid plan, from any prices on the model's rows.

For row prices ``pi`` (one per row; the opening rows are not priced) and any solution ``z`` of
the model, ``c'z = (c - A'pi)'z + pi'Az <= max_z (c - A'pi)'z + sum_i max_{t in [L_i, U_i]} pi_i t``
(Lagrangian duality). The inner maximum is taken over the column bounds and, per line with a
setup decision, over its opening choices exactly: open in one segment start ``s`` (or not at
all), then produce ``0 <= x[l,m] <= cap(l,m)`` in months ``m >= s``. That is a relaxation of the
integer plan, not of the LP, so the bound can be tighter than the LP relaxation's value; and it
holds for *any* ``pi``, so prices from the LP with the setups fixed (which is solved anyway)
prove a gap without solving the relaxation. Priced rows whose needed side is infinite (``pi_i > 0``
on a row without an upper side) get price 0, which keeps the bound valid.

Money columns have no upper bound in the model; their implied bound (a payer's budget: money is
non-negative and its budget row caps the sum) keeps the inner maximum finite.

Prices from an LP with the setups fixed are often poor on pools nothing is paid from (the row's
price is then arbitrary, and a low price makes closed lines look free to open). Each production
or setup pool row's price is therefore raised to the cheapest price of money among the payers
that may pay into it (``pi_pool = min_p a_p pi_budget(p)``, as low as keeps every money column
of the row unprofitable). That never raises the bound: the pool rows are equalities with right-hand
side 0, their money columns stay at zero in the inner maximum, and every other column in them
(production, setups) has a positive coefficient, so its reduced cost can only fall.
"""

from __future__ import annotations

import numpy as np

from kuznia.allocation.builder import R_BUDGET, R_LINK, R_ONE, R_POOL, R_SETUP, F, G
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import FloatArray


def lagrangian_bound(form: Formulation, row_dual: FloatArray) -> float:
    """The bound above for prices ``row_dual`` (HiGHS's row duals of the maximisation)."""
    m = form.model
    n_col = len(m.col_lower)
    block = m.row_key >> 56
    pi = _pool_prices(form, np.where((block == R_LINK) | (block == R_ONE), 0.0, row_dual))
    pi = np.where((pi > 0) & ~np.isfinite(m.row_upper), 0.0, pi)
    pi = np.where((pi < 0) & ~np.isfinite(m.row_lower), 0.0, pi)
    side = np.where(pi > 0, m.row_upper, np.where(pi < 0, m.row_lower, 0.0))
    rows_term = float(np.sum(pi * np.where(pi != 0, side, 0.0)))
    entry_col = m.entry_col
    rc = m.value_cost - np.bincount(entry_col, weights=m.a_value * pi[m.a_index], minlength=n_col)
    upper = _implied_upper(form)
    best = np.where(rc > 0, rc * upper, np.where(rc < 0, rc * m.col_lower, 0.0))
    linked = np.zeros(len(form.problem.line_ids), dtype=bool)
    linked[form.y_line] = True
    x = form.cols("x")
    on_line = linked[form.x_line]
    best[x[on_line]] = 0.0
    best[form.cols("y")] = 0.0
    return rows_term + float(best.sum()) + _openings(form, rc, upper, on_line)


def _pool_prices(form: Formulation, pi: FloatArray) -> FloatArray:
    """Raise each pool row's price to the cheapest money that may pay into it (see above)."""
    m = form.model
    entry_col = m.entry_col
    col_block, row_block = m.col_key >> 56, m.row_key >> 56
    money = np.nonzero((col_block[entry_col] == F) | (col_block[entry_col] == G))[0]
    in_budget = row_block[m.a_index[money]] == R_BUDGET
    to_budget, to_pool = money[in_budget], money[~in_budget]
    paid = np.zeros(len(m.col_lower))  # per money column: a_budget * pi_budget
    paid[entry_col[to_budget]] = m.a_value[to_budget] * pi[m.a_index[to_budget]]
    pool_coef = -m.a_value[to_pool]  # money enters its pool row with a negative coefficient
    cheapest = np.full(len(pi), np.inf)
    ok = pool_coef > 0
    np.minimum.at(cheapest, m.a_index[to_pool[ok]], paid[entry_col[to_pool[ok]]] / pool_coef[ok])
    pools = ((row_block == R_POOL) | (row_block == R_SETUP)) & np.isfinite(cheapest)
    return np.where(pools, np.maximum(pi, cheapest), pi)


def _implied_upper(form: Formulation) -> FloatArray:
    """Column upper bounds, with each unbounded money column capped by its budget row:
    ``a z <= U`` with ``a > 0``, ``U`` finite and every column of the row non-negative."""
    m = form.model
    upper = m.col_upper.copy()
    n_budget = len(form.payers.pledge_ids)
    entry_col = m.entry_col
    in_budget = (m.a_index >= form.budget_row) & (m.a_index < form.budget_row + n_budget)
    in_budget &= m.a_value > 0
    cap = np.full(len(upper), np.inf)
    np.minimum.at(
        cap, entry_col[in_budget], m.row_upper[m.a_index[in_budget]] / m.a_value[in_budget]
    )
    unbounded = ~np.isfinite(upper) & (m.col_lower >= 0)
    upper[unbounded] = cap[unbounded]
    return upper


def _openings(form: Formulation, rc: FloatArray, upper: FloatArray, on_line: np.ndarray) -> float:
    """Sum over lines with setup decisions of the best opening: ``max(0, max_s rc_y(l,s) +
    sum_{m >= s} max(0, rc_x(l,m) cap(l,m)))``."""
    p = form.problem
    x = form.cols("x")[on_line]
    gain = np.zeros((len(p.line_ids), p.horizon + 1))
    np.add.at(
        gain,
        (form.x_line[on_line], form.x_month[on_line]),
        np.maximum(rc[x] * upper[x], 0.0),
    )
    suffix = np.cumsum(gain[:, ::-1], axis=1)[:, ::-1]
    value = rc[form.cols("y")] + suffix[form.y_line, form.y_start]
    best = np.zeros(len(p.line_ids))
    np.maximum.at(best, form.y_line, value)
    return float(best.sum())
