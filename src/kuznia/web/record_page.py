"""A registry record as a page shows it (names, not ids), and as an edit form is filled."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from kuznia.services.registries.browse import Name
from kuznia.services.registries.record_view import RecordView, references
from kuznia.web.fields import FIELD_LABELS
from kuznia.web.forms import Field, Gettext
from kuznia.web.names import name_of
from kuznia.web.tables import cell

SKIPPED = frozenset({"id"})


@dataclass(frozen=True, slots=True)
class Shown:
    """One field of a record page: its label, its text, the id behind a name (on hover)."""

    name: str
    label: str
    text: str
    title: str = ""
    hidden: bool = False
    numeric: bool = False


def _reference_text(value: Any, names: Mapping[str, Name], lang: str) -> tuple[str, str]:
    ids = value if isinstance(value, list) else [value]
    return ", ".join(name_of(names, str(i), lang) for i in ids), ", ".join(str(i) for i in ids)


def shown_fields(view: RecordView, _: Gettext, lang: str) -> list[Shown]:
    """Every field the reader may see, in table order, names for the records referred to."""
    refs = references(view.entity)
    shown = []
    for name, value in view.record.items():
        if name in SKIPPED:
            continue
        label = _(FIELD_LABELS.get(name, name))
        if name in refs and value and name not in view.hidden:
            text, ids = _reference_text(value, view.names, lang)
            shown.append(Shown(name, label, text, title=ids))
            continue
        if isinstance(value, datetime):
            shown.append(Shown(name, label, value.strftime("%Y-%m-%d %H:%M UTC")))
            continue
        c = cell(view.entity, name, view.record, view.hidden, _, lang)
        shown.append(Shown(name, label, c.text, hidden=c.hidden, numeric=c.numeric))
    return shown


def _form_text(f: Field, value: Any) -> str | list[str]:
    if f.kind == "multiselect":
        return [str(v) for v in value or ()]
    if f.kind == "checkbox":
        return "on" if value else ""
    if value is None:
        return ""
    if f.kind == "countries":
        return ", ".join(value)
    if f.kind == "money":
        return str(Decimal(int(value)).scaleb(-2))
    return str(value)


def form_values(fields: Sequence[Field], record: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """The text each field of a form shows for ``record`` (what the user would type)."""
    return {f.name: _form_text(f, record.get(f.key)) for f in fields}


@dataclass(frozen=True, slots=True)
class Change:
    """A field someone else changed while the user edited: what the form showed, what the
    record holds now, and what the user typed (kept in the form)."""

    name: str
    label: str
    was: str
    now: str
    typed: str


def _text(value: str | list[str]) -> str:
    return ", ".join(value) if isinstance(value, list) else value


def changes_since(
    fields: Sequence[Field],
    base: Mapping[str, str | list[str]],
    now: Mapping[str, str | list[str]],
    typed: Mapping[str, Any],
    _: Gettext,
) -> list[Change]:
    """The fields whose value differs between the form's ``base`` and the record ``now``."""
    found = []
    for f in fields:
        was, is_now = _text(base.get(f.name, "")), _text(now[f.name])
        if was != is_now:
            found.append(Change(f.name, _(f.label), was, is_now, _text(typed.get(f.name, ""))))
    return found
