"""Annotated field types shared by the scenario and plan file models."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, StringConstraints, WithJsonSchema

from kuznia.money import check_currency, format_cents, parse_decimal_amount, round_cents
from kuznia.months import MONTH_PATTERN

MONEY_PATTERN = r"^-?[0-9]{1,15}(\.[0-9]{1,2})?$"


def _money(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    return parse_decimal_amount(value)


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
NonNegativeMoney = Annotated[MoneyAmount, Field(ge=0)]
Currency = Annotated[
    str,
    BeforeValidator(_currency),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217"}),
]
Month = Annotated[str, StringConstraints(pattern=MONTH_PATTERN)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^\s]+$")]
