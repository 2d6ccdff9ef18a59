"""Exact money: integer minor units per currency, conversion through a rates table.

Every amount in kuznia carries a currency (ISO 4217) and is an integer number of cents (two
decimal places, as the scenario format writes money). Conversion follows the allocation
contract: ``to_base(x) = round_half_even(x * rate, 2)``. Floats never touch money.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import cache
from importlib import resources

CENT = Decimal("0.01")
_MONEY_RE = re.compile(r"^-?\d{1,15}(\.\d{1,2})?$")
_RATE_RE = re.compile(r"^\d{1,12}(\.\d{1,12})?$")


class MoneyError(ValueError):
    """A malformed amount, currency or rate; the message says which."""


@cache
def iso_currencies() -> frozenset[str]:
    """ISO 4217 codes from the OCDS currency codelist shipped with the package."""
    text = resources.files("kuznia.data.ocds.codelists").joinpath("currency.csv").read_text("utf-8")
    return frozenset(row["Code"] for row in csv.DictReader(text.splitlines()))


def check_currency(code: str) -> str:
    if code not in iso_currencies():
        raise MoneyError(f"unknown currency {code!r} (expected an ISO 4217 code such as EUR)")
    return code


def parse_decimal_amount(text: str) -> Decimal:
    """Parse a money string such as ``"1250000.00"`` (at most two decimals, no exponent)."""
    if not isinstance(text, str) or not _MONEY_RE.match(text):
        raise MoneyError(f'{text!r} is not a money amount (a decimal string like "1250000.00")')
    return Decimal(text)


def round_cents(value: Decimal) -> int:
    """Round half-even to cents and return integer cents."""
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def format_cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of one currency, held as integer cents."""

    cents: int
    currency: str

    @classmethod
    def parse(cls, amount: str, currency: str) -> Money:
        return cls(round_cents(parse_decimal_amount(amount)), check_currency(currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @property
    def amount(self) -> Decimal:
        return Decimal(self.cents) / 100

    def __str__(self) -> str:
        return format_cents(self.cents)

    def display(self) -> str:
        """``1,250,000.00 EUR``: for people, never for files."""
        whole, frac = divmod(abs(self.cents), 100)
        return f"{'-' if self.cents < 0 else ''}{whole:,}.{frac:02d} {self.currency}"

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.cents + other.cents, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.cents - other.cents, self.currency)

    def __mul__(self, units: int) -> Money:
        if not isinstance(units, int) or isinstance(units, bool):
            raise MoneyError("money can only be multiplied by a whole number")
        return Money(self.cents * units, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.cents, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.cents < other.cents

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.cents <= other.cents

    def split(self, weights: Sequence[int]) -> list[Money]:
        """Split into parts proportional to ``weights`` (largest remainder); parts sum exactly."""
        return [Money(c, self.currency) for c in split_cents(self.cents, weights)]


def split_cents(total: int, weights: Sequence[int]) -> list[int]:
    """Largest-remainder apportionment of integer ``total`` by non-negative integer weights."""
    if not weights:
        raise MoneyError("cannot split into zero parts")
    if any(w < 0 for w in weights):
        raise MoneyError("split weights must be non-negative")
    wsum = sum(weights)
    if wsum == 0:
        raise MoneyError("split weights must not all be zero")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    floors = [magnitude * w // wsum for w in weights]
    remainders = [(magnitude * w % wsum, -i) for i, w in enumerate(weights)]
    for _, neg_i in sorted(remainders, reverse=True)[: magnitude - sum(floors)]:
        floors[-neg_i] += 1
    return [sign * f for f in floors]


def total(amounts: Iterable[Money], currency: str) -> Money:
    result = Money.zero(currency)
    for m in amounts:
        result = result + m
    return result


@dataclass(frozen=True, slots=True)
class FxRates:
    """Base-currency units per one unit of each currency; the base has rate 1."""

    base: str
    rates: Mapping[str, Decimal]

    @classmethod
    def parse(cls, base: str, rates: Mapping[str, str]) -> FxRates:
        parsed: dict[str, Decimal] = {}
        for code, text in rates.items():
            check_currency(code)
            if not isinstance(text, str) or not _RATE_RE.match(text):
                raise MoneyError(f"rate for {code} must be a positive decimal string, got {text!r}")
            try:
                parsed[code] = Decimal(text)
            except InvalidOperation as exc:  # pragma: no cover - the pattern excludes it
                raise MoneyError(f"rate for {code} is not a decimal: {text!r}") from exc
            if parsed[code] <= 0:
                raise MoneyError(f"rate for {code} must be positive")
        check_currency(base)
        if parsed.get(base, Decimal(1)) != 1:
            raise MoneyError(f"the base currency {base} must have rate 1")
        parsed[base] = Decimal(1)
        return cls(base, parsed)

    def rate(self, currency: str) -> Decimal:
        try:
            return self.rates[currency]
        except KeyError:
            raise MoneyError(f"no exchange rate for {currency}") from None

    def to_base(self, money: Money) -> Money:
        """``round_half_even(x * rate, 2)`` in the base currency."""
        if money.currency == self.base:
            return money
        return Money(round_cents(money.amount * self.rate(money.currency)), self.base)
