"""Payers: pledges the pooled model may treat as one, and splitting their money back.

Two pledges with the same eligibility (the lines they may pay), the same window and the same
``valid_from`` are interchangeable in every row of the pooled model: any money one of them pays
the other could pay instead. The pooled model therefore has one budget row and one set of money
columns per *payer* (such a group), with the group's summed budget, which changes nothing of its
optimum and makes it smaller (national demo: 88 pledges, 33 payers). The per-unit model (small
scenarios) keeps one payer per pledge: whole units per pledge are not interchangeable across
budgets.

After solving, each payer's money is split back over its pledges in pledge order, filling one
pledge's budget before the next, so no pledge's money is exceeded (up to the solver's tolerance,
which the rounding step absorbs in exact cents).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from kuznia.allocation.builder import R_BUDGET, Assembled, F, G, K
from kuznia.allocation.problem import FloatArray, IntArray, Problem, unique_rows

_INDEX = (1 << 28) - 1  # the first index field of a key (``builder.key``)


def payer_groups(p: Problem) -> IntArray:
    """(P,) payer index of each pledge: pledges with equal eligibility and window share one;
    payers are numbered in order of their first pledge."""
    if not len(p.pledge_ids):
        return np.zeros(0, dtype=np.int64)
    profile = np.concatenate(
        [p.eligible.T, p.valid, (p.valid_from[:, None] <= np.arange(p.horizon)[None, :])], axis=1
    )
    _, first, inverse = unique_rows(profile)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse.ravel()].astype(np.int64)


def payer_problem(p: Problem, group: IntArray) -> Problem:
    """The problem as the pooled model sees it: one "pledge" per payer, at its first pledge's
    id, window and eligibility, with the payer's summed budget."""
    n = int(group.max()) + 1 if len(group) else 0
    if n == len(p.pledge_ids):
        return p
    first = np.full(n, len(group), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(group)))
    budget = np.zeros(n, dtype=np.int64)
    np.add.at(budget, group, p.budget)
    return dataclasses.replace(
        p,
        pledge_ids=tuple(p.pledge_ids[i] for i in first),
        budget=budget,
        valid_from=p.valid_from[first],
        valid_to=p.valid_to[first],
        valid=p.valid[first],
        eligible=p.eligible[:, first],
    )


def split_money(
    group: IntArray, budget: IntArray, col_payer: IntArray, amount: FloatArray, scale: float
) -> tuple[IntArray, IntArray, FloatArray]:
    """Money columns of payers -> the same columns per pledge: ``(column, pledge, amount)`` with
    one entry for every pledge of each column's payer (amount 0 where it pays nothing), ordered
    by column then pledge.

    ``amount`` is each column's money in model units (``scale`` per cent). The columns of one
    payer are filled in column order from its pledges in pledge order, each up to its budget;
    anything past the last pledge's budget (solver tolerance) stays with the last pledge."""
    amount = np.clip(amount, 0.0, None)
    size = np.bincount(group, minlength=int(col_payer.max()) + 1 if len(col_payer) else 0)
    members = np.argsort(group, kind="stable")  # pledges grouped by payer, in pledge order
    offset = np.concatenate([[0], np.cumsum(size)])
    per_col = size[col_payer]
    col = np.repeat(np.arange(len(col_payer)), per_col)
    col_at = np.cumsum(per_col) - per_col  # where each column's pledges start
    rank = np.arange(len(col)) - np.repeat(col_at, per_col)
    pledge = members[offset[col_payer[col]] + rank]
    money = np.zeros(len(col))
    for payer in np.unique(col_payer[size[col_payer] > 1]):
        cols = np.nonzero(col_payer == payer)[0]
        mine = members[offset[payer] : offset[payer + 1]]
        money[col_at[cols][:, None] + np.arange(len(mine))[None, :]] = _fill(
            amount[cols], budget[mine].astype(np.float64) * scale
        )
    single = size[col_payer[col]] == 1
    money[single] = amount[col[single]]
    return col, pledge, money


def _fill(amount: FloatArray, capacity: FloatArray) -> FloatArray:
    """(columns, members): each column's money cut at the members' cumulative budgets."""
    col_end = np.cumsum(amount)
    col_start = col_end - amount
    cuts = np.cumsum(capacity)[:-1]
    member_start = np.concatenate([[0.0], cuts])
    member_end = np.concatenate([cuts, [np.inf]])
    lo = np.maximum(col_start[:, None], member_start[None, :])
    hi = np.minimum(col_end[:, None], member_end[None, :])
    share: FloatArray = np.clip(hi - lo, 0.0, None)
    return share


def first_pledges(payer_of: IntArray) -> IntArray:
    """(payers,) the index of each payer's first pledge."""
    n = int(payer_of.max()) + 1 if len(payer_of) else 0
    first = np.full(n, len(payer_of), dtype=np.int64)
    np.minimum.at(first, payer_of, np.arange(len(payer_of), dtype=np.int64))
    return first


def pledge_keys(model: Assembled, payer_of: IntArray) -> Assembled:
    """The model with its payer columns and budget rows named by each payer's first pledge
    rather than by the payer's number: payers are numbered in order, so a change that splits
    or merges payers (a new earmark) would shift the numbers of all later ones, and a re-plan
    would start their columns from the statuses of other payers' columns."""
    first = first_pledges(payer_of)
    if len(first) == len(payer_of):
        return model
    col_key = _renamed(model.col_key, (F, G, K), first)
    row_key = _renamed(model.row_key, (R_BUDGET,), first)
    return dataclasses.replace(model, col_key=col_key, row_key=row_key)


def _renamed(keys: IntArray, blocks: tuple[int, ...], first: IntArray) -> IntArray:
    mine = np.isin(keys >> 56, blocks)
    out = keys.copy()
    payer = (keys[mine] >> 28) & _INDEX
    out[mine] = (keys[mine] & ~(_INDEX << 28)) | (first[payer] << 28)
    return out
