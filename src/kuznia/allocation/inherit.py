"""A re-plan's basis where its change split payers or eligibility classes (a new earmark).

Money columns, production pools and setup pools are named by their payer and by a line of their
class (``builder.key``). When a change splits a class (a pledge earmarked to some of its lines)
or a payer, the part that is new has new names, and its columns and rows would start from
nothing: on the stress what-if that earmarks a pledge, a thousand times more dual simplex
iterations than for a cut pledge. Here each such column and row inherits the status the earlier
basis gave the column or row it was split from: the same payer's money for the pool (or setup
pool) that held the same line and month in the earlier model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from kuznia.allocation.builder import R_POOL, R_SETUP, F, G
from kuznia.allocation.formulation import Formulation, classes
from kuznia.allocation.payers import first_pledges, payer_groups, payer_problem
from kuznia.allocation.problem import IntArray, Problem, unique_pairs
from kuznia.allocation.solved import WarmStart
from kuznia.allocation.solver import Basis

_FIELD = (1 << 28) - 1


def inherited(form: Formulation, warm: WarmStart | None) -> WarmStart | None:
    """``warm`` with its basis extended by the statuses of this model's new money columns and
    pool rows, each taken from the earlier one it was split from (the module docstring); as it
    was when the earlier problem has other records or nothing is new."""
    if warm is None or warm.basis is None or warm.problem is None or warm.problem is form.problem:
        return warm
    old, new = warm.problem, form.problem
    if old.line_ids != new.line_ids or old.pledge_ids != new.pledge_ids:
        return warm
    rename = _Renamer(form, old)
    basis = warm.basis
    col_key, col_status = _extend(
        form.model.col_key, basis.col_key, basis.col_status, rename.columns
    )
    row_key, row_status = _extend(form.model.row_key, basis.row_key, basis.row_status, rename.rows)
    if len(col_key) == len(basis.col_key) and len(row_key) == len(basis.row_key):
        return warm
    extended = Basis(col_status=col_status, row_status=row_status, col_key=col_key, row_key=row_key)
    return dataclasses.replace(warm, basis=extended, reshaped=True)


def _extend(
    keys: IntArray, old_keys: IntArray, old_status: IntArray, rename: Callable[[IntArray], IntArray]
) -> tuple[IntArray, IntArray]:
    """The earlier keys and statuses plus, for each of ``keys`` they lack, the status of the
    key it was split from (where the earlier basis has it)."""
    new = keys[~np.isin(keys, old_keys)]
    if not len(new) or not len(old_keys):
        return old_keys, old_status
    before = rename(new)
    order = np.argsort(old_keys)
    sorted_keys = old_keys[order]
    at = np.minimum(np.searchsorted(sorted_keys, before), len(old_keys) - 1)
    found = (before >= 0) & (sorted_keys[at] == before)
    status = old_status[order][at[found]]
    return np.concatenate([old_keys, new[found]]), np.concatenate([old_status, status])


class _Renamer:
    """This model's keys of money columns and pools -> the earlier model's (-1: no such)."""

    def __init__(self, form: Formulation, old: Problem) -> None:
        self.horizon = form.problem.horizon
        old_payer = payer_groups(old)
        # payers are named by their first pledge (``payers.pledge_keys``): a pledge's name ->
        # the name of its earlier payer
        self.payer = first_pledges(old_payer)[old_payer]
        cls = classes(payer_problem(old, old_payer))
        self.line_class, self.month_seg = cls.line_class, cls.month_seg
        # the earlier names: a class's first line; a production pool's first line and first
        # month (as ``formulation.define_funding`` names them), over this model's x columns
        self.name = np.full(len(cls.cls_mask), len(old.line_ids), dtype=np.int64)
        np.minimum.at(self.name, cls.line_class, np.arange(len(cls.line_class)))
        pools, x_pool = unique_pairs(cls.line_class[form.x_line], cls.month_seg[form.x_month])
        self.rep_line = np.full(len(pools), len(old.line_ids), dtype=np.int64)
        np.minimum.at(self.rep_line, x_pool, form.x_line)
        self.rep_month = np.full(len(pools), self.horizon, dtype=np.int64)
        np.minimum.at(self.rep_month, x_pool, form.x_month)
        self.pool = np.full((len(cls.cls_mask), len(cls.seg_mask)), -1, dtype=np.int64)
        self.pool[pools[:, 0], pools[:, 1]] = np.arange(len(pools))

    def columns(self, keys: IntArray) -> IntArray:
        """Production money (payer; pool's line * h + month), setup money (payer; class
        name * h + start)."""
        h = self.horizon
        block, a, b = keys >> 56, (keys >> 28) & _FIELD, keys & _FIELD
        out = np.full(len(keys), -1, dtype=np.int64)
        for kind, named in ((F, self._pool_name), (G, self._class_name)):
            sel = np.nonzero(block == kind)[0]
            out[sel] = _key(kind, self.payer[a[sel]], named(b[sel] // h, b[sel] % h, h))
        return out

    def rows(self, keys: IntArray) -> IntArray:
        """Production pools (line; month) and setup pools (class name; start)."""
        block, a, b = keys >> 56, (keys >> 28) & _FIELD, keys & _FIELD
        out = np.full(len(keys), -1, dtype=np.int64)
        for kind, named in ((R_POOL, self._pool_name), (R_SETUP, self._class_name)):
            sel = np.nonzero(block == kind)[0]
            out[sel] = (np.int64(kind) << 56) | named(a[sel], b[sel], 1 << 28)
        return out

    def _pool_name(self, line: IntArray, month: IntArray, h: int) -> IntArray:
        """The earlier name (first line * h + first month) of the pool of (line, month)."""
        pool = self.pool[self.line_class[line], self.month_seg[month]]
        named = self.rep_line[pool] * h + self.rep_month[pool]
        return np.where(pool >= 0, named, -(1 << 60))

    def _class_name(self, line: IntArray, start: IntArray, h: int) -> IntArray:
        """The earlier name (first line * h + start) of the class of a line."""
        return self.name[self.line_class[line]] * h + start


def _key(block: int, payer: IntArray, named: IntArray) -> IntArray:
    key: IntArray = (np.int64(block) << 56) | (payer << 28) | named
    return np.where(named >= 0, key, -1)
