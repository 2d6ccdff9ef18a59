"""Registry records as table cells in the viewer's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kuznia.money import Money
from kuznia.services.access.policy import RULES, Action
from kuznia.services.kernel.actors import Role
from kuznia.services.registries.browse import Name
from kuznia.web.fields import (
    BOOLEAN_FIELDS,
    ENUMERATIONS,
    LIST_FIELDS,
    MONEY_FIELDS,
    REFERENCES,
    REGISTRY_TITLES,
    VALUE_LABELS,
)
from kuznia.web.names import name_of
from kuznia.web.templating import money_full, number

FORM_ENTITIES = (
    "requirements",
    "proposals",
    "capacity_projects",
    "pledges",
    "investments",
    "capabilities",
    "partners",
    "companies",
    "sites",
)
"""The registries with add and edit forms (who may use them: the access policy)."""


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    numeric: bool = False
    hidden: bool = False
    nowrap: bool = False
    title: str = ""
    """Shown on hover: the id behind a name."""


def readable_registries(role: Role) -> list[str]:
    return [e for e in REGISTRY_TITLES if role in RULES[e].get(Action.READ, {})]


def may_create(role: Role, entity: str) -> bool:
    return entity in FORM_ENTITIES and role in RULES[entity].get(Action.CREATE, {})


def cell(
    entity: str,
    field: str,
    row: Mapping[str, Any],
    hidden: frozenset[str],
    _: Callable[[str], str],
    locale: str,
) -> Cell:
    value = row.get(field)
    if field in hidden:
        return Cell(_("hidden"), hidden=True)
    if value is None:
        return Cell("–")
    if field in MONEY_FIELDS:
        money = Money(int(value), str(row["currency"]))
        return Cell(money_full(money, locale), numeric=True, nowrap=True)
    if field in LIST_FIELDS:
        return Cell(", ".join(value) if value else _("any"))
    if field in BOOLEAN_FIELDS:
        return Cell(_("yes") if value else _("no"))
    if f"{entity}.{field}" in ENUMERATIONS:
        return Cell(_(VALUE_LABELS.get(str(value), str(value))))
    if isinstance(value, bool):
        return Cell(_("yes") if value else _("no"))
    if isinstance(value, int):
        return Cell(number(value, locale), numeric=True, nowrap=True)
    if isinstance(value, float):
        return Cell(number(value, locale, 2), numeric=True)
    short = field == "id" or field in REFERENCES or "month" in field or field.startswith("valid_")
    return Cell(str(value), nowrap=short)


LOCAL_COLUMNS = {"name": "name_uk", "category": "category_uk"}
"""Columns shown in Ukrainian from their ``_uk`` twin where the record has one."""


def named_cell(
    entity: str,
    field: str,
    row: Mapping[str, Any],
    hidden: frozenset[str],
    names: Mapping[str, Name],
    _: Callable[[str], str],
    locale: str,
) -> Cell:
    """A cell with names for ids: a record referred to by its name (its id on hover), a name or
    category in the reader's language."""
    value = row.get(field)
    if field in hidden or value is None:
        return cell(entity, field, row, hidden, _, locale)
    if field in REFERENCES or field == "earmark_capabilities":
        ids = value if isinstance(value, list) else [value]
        if not ids:
            return cell(entity, field, row, hidden, _, locale)
        text = ", ".join(name_of(names, str(i), locale) for i in ids)
        return Cell(text, title=", ".join(str(i) for i in ids))
    twin = LOCAL_COLUMNS.get(field)
    if twin and locale == "uk" and row.get(twin):
        return Cell(str(row[twin]), title=str(value))
    return cell(entity, field, row, hidden, _, locale)
