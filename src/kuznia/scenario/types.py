"""Annotated field types shared by the scenario and plan file models."""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from kuznia.money import check_currency, format_cents, parse_decimal_amount, round_cents
from kuznia.months import MONTH_PATTERN
from kuznia.scenario.bounds import (
    EARLIEST_MONTH,
    LATEST_MONTH,
    MAX_AMOUNT,
    MAX_BUILD_MONTHS,
    MAX_CAPEX,
    MAX_MONTHS,
    MAX_UNITS,
    month_in_window,
)

MONEY_PATTERN = r"^-?[0-9]{1,15}(\.[0-9]{1,2})?$"


def _money(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    return parse_decimal_amount(value)


@cache
def iso_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (and EU) from the code list shipped with the package."""
    text = resources.files("kuznia.data.iso3166").joinpath("countries.csv").read_text("utf-8")
    return frozenset(row["Code"] for row in csv.DictReader(text.splitlines()))


def check_country(code: Any) -> str:
    if not isinstance(code, str) or code not in iso_countries():
        raise ValueError(f"unknown country {code!r} (expected an ISO 3166-1 code such as UA)")
    return code


def _currency(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a currency is an ISO 4217 code string such as EUR")
    return check_currency(value)


MoneyAmount = Annotated[
    Decimal,
    BeforeValidator(_money),
    PlainSerializer(lambda d: format_cents(round_cents(d)), return_type=str),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "description": "decimal string"}),
]
NonNegativeMoney = Annotated[
    Decimal,
    BeforeValidator(_money),
    Field(ge=0, le=MAX_AMOUNT),
    PlainSerializer(lambda d: format_cents(round_cents(d)), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONEY_PATTERN,
            "description": f"decimal string, 0 to {MAX_AMOUNT}",
        }
    ),
]
"""An amount a record states: at most 9,999,999,999,999.99 (``bounds.MAX_AMOUNT``)."""


def _capex(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("capex must be more than 0")
    if value > MAX_CAPEX:
        raise ValueError(f"capex is at most {MAX_CAPEX} (got {value})")
    return value


Capex = Annotated[
    Decimal,
    BeforeValidator(_money),
    AfterValidator(_capex),
    PlainSerializer(lambda d: format_cents(round_cents(d)), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONEY_PATTERN,
            "description": f"decimal string, more than 0 and at most {MAX_CAPEX}",
        }
    ),
]
"""A capacity project's capital cost: positive, at most 999,999,999,999.99 (``MAX_CAPEX``)."""
Currency = Annotated[
    str,
    BeforeValidator(_currency),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217"}),
]
Month = Annotated[str, StringConstraints(pattern=MONTH_PATTERN)]
WindowMonth = Annotated[
    str,
    StringConstraints(pattern=MONTH_PATTERN),
    AfterValidator(month_in_window),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONTH_PATTERN,
            "description": f"YYYY-MM, from {EARLIEST_MONTH} to {LATEST_MONTH}",
        }
    ),
]
"""A month a record states (a need's due month, a pledge's validity): inside the window."""
Country = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{2}$"),
    AfterValidator(check_country),
    WithJsonSchema(
        {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2"}
    ),
]
Units = Annotated[int, Field(ge=0, le=MAX_UNITS)]
"""A number of units (at most 999,999,999)."""
MonthCount = Annotated[int, Field(ge=0, le=MAX_MONTHS)]
"""A number of months (at most 600, the longest horizon)."""
BuildMonths = Annotated[
    int,
    Field(ge=0, le=MAX_BUILD_MONTHS, description=f"0 to {MAX_BUILD_MONTHS} months"),
]
"""Months a capacity project takes from the start of its build to its first production month."""
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^\s]+$")]
