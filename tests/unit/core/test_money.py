from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kuznia.money import FxRates, Money, MoneyError, format_cents, split_cents

cents = st.integers(min_value=-(10**15), max_value=10**15)
rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1000"), places=6)


def test_money_parses_and_prints_decimal_strings_exactly():
    assert str(Money.parse("1250000.00", "EUR")) == "1250000.00"
    assert str(Money.parse("0.5", "USD")) == "0.50"
    assert Money.parse("-3", "EUR").cents == -300


@pytest.mark.parametrize("bad", ["1.234", "1e6", "", "12,50", " 1", "NaN", "1.", ".5"])
def test_money_refuses_amounts_that_are_not_plain_decimal_strings(bad):
    with pytest.raises(MoneyError):
        Money.parse(bad, "EUR")


def test_money_refuses_floats_and_unknown_currencies():
    with pytest.raises(MoneyError):
        Money.parse(12.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="unknown currency"):
        Money.parse("1.00", "XYZ")


def test_money_of_different_currencies_does_not_mix():
    with pytest.raises(MoneyError):
        Money(100, "EUR") + Money(100, "USD")


def test_conversion_rounds_half_to_even_at_the_cent():
    fx = FxRates.parse("EUR", {"USD": "0.5"})
    assert fx.to_base(Money(1, "USD")).cents == 0  # 0.005 -> 0.00
    assert fx.to_base(Money(3, "USD")).cents == 2  # 0.015 -> 0.02
    assert fx.to_base(Money(5, "USD")).cents == 2  # 0.025 -> 0.02


@given(cents, rates)
def test_conversion_equals_the_contracts_formula(amount, rate):
    fx = FxRates.parse("EUR", {"USD": str(rate)})
    expected = (Decimal(amount) / 100 * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    assert fx.to_base(Money(amount, "USD")).amount == expected


@given(cents, st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30))
def test_splitting_keeps_the_sum_exact_and_parts_within_a_cent_of_proportional(total, weights):
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    parts = split_cents(total, weights)
    assert sum(parts) == total
    for part, w in zip(parts, weights, strict=True):
        assert abs(Decimal(part) - Decimal(total) * w / sum(weights)) < 1


@given(cents)
def test_formatting_round_trips_through_parsing(amount):
    assert Money.parse(format_cents(amount), "EUR").cents == amount


def test_base_currency_must_have_rate_one():
    with pytest.raises(MoneyError, match="rate 1"):
        FxRates.parse("EUR", {"EUR": "1.1"})
