from fractions import Fraction
from math import floor

from hypothesis import given
from hypothesis import strategies as st

from kuznia.scenario.capacity import units_in_horizon


def contract_capacity(monthly: int, lead: int, ramp: int, m: int) -> int:
    if m < lead:
        return 0
    return floor(monthly * min(Fraction(1), Fraction(m - lead + 1, ramp)))


@given(st.integers(0, 10**6), st.integers(0, 40), st.integers(1, 24), st.integers(0, 60))
def test_capacity_in_the_horizon_is_the_contracts_monthly_formula_summed(
    monthly, lead, ramp, horizon
):
    expected = sum(contract_capacity(monthly, lead, ramp, m) for m in range(horizon))
    assert units_in_horizon(monthly, lead, ramp, horizon) == expected
