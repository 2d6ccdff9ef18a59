"""Declared capacity of a production line, as the allocation contract defines it."""

from __future__ import annotations


def units_in_horizon(monthly: int, lead: int, ramp_up: int, horizon: int) -> int:
    """Sum over m < horizon of ``cap(l, m) = floor(monthly * min(1, (m - lead + 1) / ramp_up))``
    for m >= lead: ``ramp_up - 1`` ramping months at ``monthly * k // ramp_up``, then full months.
    """
    producing = max(0, horizon - lead)
    ramping = min(producing, ramp_up - 1)
    partial = sum(monthly * k // ramp_up for k in range(1, ramping + 1))
    return partial + (producing - ramping) * monthly
