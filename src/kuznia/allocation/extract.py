"""The plan file's rows from the integer results: production, funding, setup, deliveries and
unmet needs, in the order the plan format keeps them."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import numpy as np

from kuznia.allocation.deliveries import Delivery
from kuznia.allocation.formulation import Formulation
from kuznia.allocation.problem import Problem
from kuznia.allocation.unmet import unmet_reasons
from kuznia.money import format_cents
from kuznia.scenario.plan import (
    DeliveryRow,
    FundingRow,
    ProductionRow,
    SetupRow,
    UnmetReason,
    UnmetRow,
)


def plan_rows(
    p: Problem,
    form: Formulation,
    units: np.ndarray,
    funding: list[tuple[int, int, int, int, int]],
    setup: list[tuple[int, int, int]],
    deliveries: list[Delivery],
) -> dict[str, tuple[object, ...]]:
    mo, ln, pl, rq = p.months, p.line_ids, p.pledge_ids, p.requirement_ids
    on = np.nonzero(units > 0)[0]
    prod = sorted((int(form.x_line[i]), int(form.x_month[i]), int(units[i])) for i in on)
    delivered = np.zeros(len(rq), dtype=np.int64)
    for r, _, _, n in deliveries:
        delivered[r] += n
    produced = np.zeros_like(p.capacity)
    produced[form.x_line[on], form.x_month[on]] = units[on]
    merged: dict[tuple[int, int], int] = defaultdict(int)
    for q, line, cents in setup:
        merged[(line, q)] += cents
    return {
        "production": tuple(
            # rows are built from checked inputs: construct them without re-validating each one
            ProductionRow.model_construct(proposal=ln[l_], month=mo[m], units=n)
            for l_, m, n in prod
        ),
        "funding": tuple(
            FundingRow.model_construct(
                pledge=pl[q], proposal=ln[l_], month=mo[m], units=n, amount=Decimal(c).scaleb(-2)
            )
            for q, l_, m, n, c in sorted(funding, key=lambda t: (t[1], t[2], t[0]))
        ),
        "setup": tuple(SetupRow(pledge=pl[q], proposal=ln[l_], amount=format_cents(c))
                       for (l_, q), c in sorted(merged.items())),
        "deliveries": tuple(
            DeliveryRow.model_construct(requirement=rq[r], proposal=ln[l_], month=mo[m], units=n)
            for r, l_, m, n in sorted(deliveries)
        ),
        "unmet": tuple(UnmetRow(requirement=rq[r], units=n, reason=UnmetReason(why))
                       for r, n, why in unmet_reasons(p, produced, delivered)),
    }  # fmt: skip
