"""The importable tables, derived from the scenario models so that they never drift.

Every column is a field of :class:`~kuznia.scenario.model.Capability`, :class:`Requirement`,
:class:`Proposal` or :class:`Pledge`, in the model's order; its kind of value and its constraints
come from the model's JSON Schema. Only the words for people (the unit of a quantity, an example
row) are written here, and a test checks that each model field has them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from types import MappingProxyType
from typing import Any, Final

from openpyxl.utils import get_column_letter
from pydantic import BaseModel

from kuznia.months import MONTH_PATTERN
from kuznia.scenario.model import Capability, Pledge, Proposal, Requirement
from kuznia.scenario.types import MONEY_PATTERN
from kuznia.spreadsheets.project_rows import PROJECT_EXAMPLE, ProjectRow


class ValueKind(StrEnum):
    IDENTIFIER = "identifier"
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    MONEY = "money"
    MONTH = "month"
    COUNTRY = "country"
    CURRENCY = "currency"
    CHOICE = "choice"
    LIST = "list"


_PATTERN_KINDS = {
    MONEY_PATTERN: ValueKind.MONEY,
    MONTH_PATTERN: ValueKind.MONTH,
    r"^[A-Z]{2}$": ValueKind.COUNTRY,
    r"^[A-Z]{3}$": ValueKind.CURRENCY,
    r"^[^\s]+$": ValueKind.IDENTIFIER,
}

_FORMATS = {
    ValueKind.IDENTIFIER: "id, no spaces",
    ValueKind.TEXT: "text",
    ValueKind.INTEGER: "whole number",
    ValueKind.NUMBER: "number",
    ValueKind.MONEY: "money, up to 2 decimals",
    ValueKind.MONTH: "YYYY-MM",
    ValueKind.COUNTRY: "ISO 3166 code, e.g. UA",
    ValueKind.CURRENCY: "ISO 4217 code, e.g. EUR",
    ValueKind.CHOICE: "one of",
    ValueKind.LIST: "comma-separated, empty = any",
}

_FORMAT_DESCRIPTIONS = frozenset({"decimal string", "ISO 4217"})

# What a number means, for the units row; every model field has an entry (a test checks it).
MEANINGS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "id": "",
        "name": "",
        "unit": "what one unit is",
        "category": "",
        "name_uk": "the name in Ukrainian",
        "category_uk": "the category in Ukrainian",
        "capability": "capability id",
        "quantity": "units",
        "due_month": "",
        "priority": "value points per unit on time",
        "company": "company id",
        "company_country": "",
        "site_country": "",
        "unit_cost": "per unit, in currency",
        "currency": "",
        "monthly_capacity": "units per month",
        "lead_time_months": "months",
        "ramp_up_months": "months",
        "setup_cost": "one-off, in currency",
        "min_total_units": "units",
        "ship_lag_months": "months",
        "kind": "",
        "offtake_until": "last month output goes to Ukraine (lines abroad)",
        "offtake_share_percent": "percent of output to Ukraine (lines abroad)",
        "partner": "partner id",
        "amount": "in currency",
        "valid_from": "first month",
        "valid_to": "last month, inclusive",
        "capabilities": "capability ids",
        "site_countries": "country codes",
        "company_countries": "country codes",
        "purposes": "production, investment (empty: production)",
        "projects": "project ids",
        "capex": "one-off capital cost, in currency",
        "earliest_start": "first month building may start",
        "build_months": "months from start to first output",
    }
)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: ValueKind
    required: bool
    letter: str
    unit: str
    note: str
    choices: tuple[str, ...] = ()
    item_kind: ValueKind | None = None
    minimum: float | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """One importable table: ``kind`` names it (and its sheet), ``model`` checks its rows."""

    kind: str
    model: type[BaseModel]
    columns: tuple[Column, ...]
    example: BaseModel

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _kind_of(prop: Mapping[str, Any], defs: Mapping[str, Any]) -> tuple[ValueKind, tuple[str, ...]]:
    """The value kind and the choices of one JSON Schema property."""
    for option in prop.get("anyOf", ()):
        if option.get("type") != "null":
            return _kind_of(option, defs)
    if "$ref" in prop:
        target = defs[prop["$ref"].rsplit("/", 1)[-1]]
        return ValueKind.CHOICE, tuple(target["enum"])
    if prop.get("type") == "integer":
        return ValueKind.INTEGER, ()
    if prop.get("type") == "number":
        return ValueKind.NUMBER, ()
    if prop.get("type") == "array":
        return ValueKind.LIST, ()
    return _PATTERN_KINDS.get(prop.get("pattern", ""), ValueKind.TEXT), ()


def _bound(prop: Mapping[str, Any]) -> tuple[float | None, str]:
    if "minimum" in prop:
        return prop["minimum"], f">= {prop['minimum']}"
    if "exclusiveMinimum" in prop:
        return prop["exclusiveMinimum"], f"> {prop['exclusiveMinimum']}"
    return None, ""


def _unit_text(name: str, kind: ValueKind, choices: tuple[str, ...], bound: str) -> str:
    """The units row's cell: always in parentheses, which is how a reader recognises the row."""
    meaning = MEANINGS[name]
    parts = [meaning, "" if kind is ValueKind.IDENTIFIER and meaning else _FORMATS[kind]]
    if choices:
        parts[-1] = "one of " + ", ".join(choices)
    if bound:
        parts.append(bound)
    return "(" + ", ".join(p for p in parts if p) + ")"


def _column(
    position: int, name: str, prop: Mapping[str, Any], required: bool, defs: Mapping[str, Any]
) -> Column:
    kind, choices = _kind_of(prop, defs)
    item_kind = _kind_of(prop["items"], defs)[0] if kind is ValueKind.LIST else None
    minimum, bound = _bound(prop)
    unit = _unit_text(name, kind, choices, bound)
    description = prop.get("description", "")
    if description in _FORMAT_DESCRIPTIONS:
        description = ""
    note = f"{name}: {'required' if required else 'optional'}. {unit[1:-1]}."
    if description:
        note += f" {description[0].upper()}{description[1:]}."
    return Column(
        name=name,
        kind=kind,
        required=required,
        letter=get_column_letter(position),
        unit=unit,
        note=note,
        choices=choices,
        item_kind=item_kind,
        minimum=minimum,
    )


def table_for(kind: str, model: type[BaseModel], example: BaseModel) -> Table:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", ()))
    columns = tuple(
        _column(i, name, schema["properties"][name], name in required, defs)
        for i, name in enumerate(model.model_fields, start=1)
    )
    return Table(kind, model, columns, example)


def _examples() -> dict[str, BaseModel]:
    """One plausible record of each kind: the templates' example row."""
    return {
        "capabilities": Capability(
            id="fpv-7in",
            name="FPV drone, 7 inch",
            unit="drone",
            category="drones",
            name_uk="FPV-дрон, 7 дюймів",
            category_uk="Дрони",
        ),
        "requirements": Requirement(
            id="req-2026-001",
            capability="fpv-7in",
            quantity=12000,
            due_month="2026-06",
            priority=3.5,
        ),
        "proposals": Proposal(
            id="line-0001",
            company="co-example",
            company_country="UA",
            site_country="UA",
            capability="fpv-7in",
            unit_cost="480.00",
            currency="EUR",
            monthly_capacity=5000,
            lead_time_months=1,
            ramp_up_months=2,
            setup_cost="150000.00",
            min_total_units=1000,
            ship_lag_months=0,
            kind="in_ukraine",
        ),
        "pledges": Pledge(
            id="pledge-example",
            partner="partner-example",
            amount="25000000.00",
            currency="EUR",
            valid_from="2026-01",
            valid_to="2026-12",
            capabilities=("fpv-7in",),
            site_countries=("UA",),
            company_countries=(),
        ),
        "projects": PROJECT_EXAMPLE,
    }


_MODELS: Final[Mapping[str, type[BaseModel]]] = {
    "capabilities": Capability,
    "requirements": Requirement,
    "proposals": Proposal,
    "pledges": Pledge,
}

KINDS: Final = tuple(_MODELS)
"""Importable kinds, in the order a workbook is imported (what is referred to comes first)."""
TABLE_KINDS: Final = (*KINDS, "projects")
"""Kinds importable one table at a time: the workbook's, and capacity projects."""


@cache
def table(kind: str) -> Table:
    """The table of ``kind`` (one of :data:`TABLE_KINDS`)."""
    model = ProjectRow if kind == "projects" else _MODELS[kind]
    return table_for(kind, model, _examples()[kind])
