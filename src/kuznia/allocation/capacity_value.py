"""What one more unit of monthly capacity on a line is worth: ``capacity_value`` of a plan/2.

ALLOCATION.md: "value points gained per one more unit of monthly capacity on that line over the
horizon, from the LP duals of its capacity rows with integer decisions fixed; zero where capacity
does not bind". With the setups fixed, line l's capacity in month m bounds ``x[l,m]`` twice: as
the column's upper bound ``cap(l,m)`` and, on lines with an opening decision, in the opening row
``x[l,m] - cap(l,m) y <= 0`` (y fixed at 1). One more unit of capacity in month m is worth the
sum of the two duals (each >= 0 in a maximisation, and zero where the bound is slack). One more
unit of *monthly* capacity raises ``cap(l,m)`` by ``min(1, (m - lead + 1) / ramp_up)`` (the
ramp-up share), so the line's value is the sum over months of that share times the dual.
"""

from __future__ import annotations

import numpy as np

from kuznia.allocation.builder import R_LINK, key
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import FloatArray, IntArray


def capacity_duals(form: Formulation, col_dual: FloatArray, row_dual: FloatArray) -> FloatArray:
    """(x columns,) value per unit more ``cap(l,m)`` of each production column (full model's
    column and row duals of a value-maximising LP)."""
    x = form.cols("x")
    out = np.clip(col_dual[x], 0.0, None)
    m = form.model
    link = np.nonzero((m.row_key >> 56) == R_LINK)[0]
    if len(link) and len(x):
        order = np.argsort(m.row_key[link])
        keys = m.row_key[link][order]
        want = key(R_LINK, form.x_line, form.x_month)
        at = np.clip(np.searchsorted(keys, want), 0, len(keys) - 1)
        has = keys[at] == want
        out[has] += np.clip(row_dual[link[order][at[has]]], 0.0, None)
    result: FloatArray = out
    return result


def ramp_share(lead: IntArray, ramp: IntArray, horizon: int) -> FloatArray:
    """(L, T) ``min(1, (m - lead + 1) / ramp_up)`` for m >= lead, else 0."""
    months = np.arange(horizon)[None, :]
    steps = np.clip(months - lead[:, None] + 1, 0, None).astype(np.float64)
    share: FloatArray = np.minimum(1.0, steps / ramp[:, None])
    return share


def line_values(
    form: Formulation, duals: FloatArray | None, share: FloatArray, n_lines: int
) -> FloatArray:
    """(L,) value per one more unit of monthly capacity on each line."""
    out = np.zeros(n_lines)
    if duals is None or not len(duals):
        return out
    np.add.at(out, form.x_line, duals * share[form.x_line, form.x_month])
    return out
