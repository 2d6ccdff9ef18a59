"""HTML forms: fields, parsing of what people type, and messages next to the field at fault.

A form is parsed in two steps: here, the text of each field becomes a value (with a message in
the reader's language when it cannot: "Enter a month as YYYY-MM"); then the service validates
the whole record and its problems come back located by field, and are shown the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from kuznia.errors import Problem
from kuznia.money import round_cents
from kuznia.web.navigation import N_

Gettext = Callable[[str], str]
Kind = Literal[
    "text",
    "longtext",
    "integer",
    "decimal",
    "money",
    "month",
    "date",
    "country",
    "countries",
    "select",
    "multiselect",
    "checkbox",
]
MONEY_RE = re.compile(r"^\d{1,15}(\.\d{1,2})?$")
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")

SERVICE_MESSAGES: Mapping[str, str] = {
    "no such record": N_("There is no such record."),
    "must not be before valid_from": N_("Must not be before the first month."),
    "an investment crosses a border": N_("An investment crosses a border: pick another country."),
    "name a target company or a target site": N_("Name a target company or a target site."),
    "the site does not belong to the proposal's company": N_(
        "The site does not belong to the proposal's company."
    ),
    "the site does not belong to the project's company": N_(
        "The site does not belong to the project's company."
    ),
    "is before valid_from": N_("Must not be before the first month."),
    "required field is missing": N_("Enter a value."),
}
"""Messages of the services and the scenario checks, as shown in the reader's language."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    kind: Kind
    target: str = ""
    """The field of the service's document; the form field's name when empty."""
    required: bool = True
    hint: str = ""
    options: str = ""
    """Where a list's options come from (see ``record_forms.options_for``)."""

    @property
    def key(self) -> str:
        return self.target or self.name


@dataclass
class Bound:
    """A field as rendered: translated texts, the value typed, its message, its options."""

    field: Field
    label: str
    hint: str
    value: str | list[str]
    error: str | None = None
    options: list[tuple[str, str]] = dataclass_field(default_factory=list)
    fixed: bool = False


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def parse_value(f: Field, raw: str | list[str], _: Gettext) -> Any:
    """The value of one field, or ValueError with the message to show next to it."""
    if f.kind == "multiselect":
        return list(raw) if isinstance(raw, list) else [raw] if raw else []
    text = raw if isinstance(raw, str) else ""
    if f.kind == "checkbox":  # an unticked box is not sent at all
        return text == "on"
    if f.kind == "countries":
        codes = [c for c in re.split(r"[\s,;]+", text.upper()) if c]
        if any(not COUNTRY_RE.match(c) for c in codes):
            raise ValueError(
                _("List two-letter country codes such as UA, DK, separated by commas.")
            )
        return codes
    if not text:
        if f.required:
            raise ValueError(_("Choose one of the options.") if f.kind == "select" else _(
                "Enter a value."))  # fmt: skip
        return None
    return _convert(f.kind, text, _)


def _convert(kind: Kind, text: str, _: Gettext) -> Any:
    if kind == "integer":
        if not re.fullmatch(r"-?\d{1,18}", text):
            raise ValueError(_("Enter a whole number, such as 250."))
        return int(text)
    if kind == "decimal":
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("Enter a number, such as 2.5.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number, such as 2.5."))
        return float(number)
    if kind == "money":
        if not MONEY_RE.match(text.replace(" ", "").replace(",", "")):
            raise ValueError(_("Enter an amount such as 1250000.00: digits, at most two decimals."))
        return round_cents(Decimal(text.replace(" ", "").replace(",", "")))
    if kind == "month":
        if not MONTH_RE.match(text):
            raise ValueError(_("Enter a month as YYYY-MM, for example 2026-03."))
        return text
    if kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD, for example 2026-03-15.")) from None
    if kind == "country":
        if not COUNTRY_RE.match(text.upper()):
            raise ValueError(_("Enter a two-letter country code such as UA."))
        return text.upper()
    return text


def parse_form(
    fields: Sequence[Field], form: Mapping[str, Any], multi: Mapping[str, list[str]], _: Gettext
) -> tuple[dict[str, Any], dict[str, str]]:
    """The document for the service (by each field's ``key``) and the messages by field name."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        raw: str | list[str] = (
            multi.get(f.name, []) if f.kind == "multiselect" else _text(form, f.name)
        )
        try:
            value = parse_value(f, raw, _)
        except ValueError as exc:
            errors[f.name] = str(exc)
            continue
        if value is not None:
            data[f.key] = value
    return data, errors


def _field_of(path: str, fields: Iterable[Field]) -> str | None:
    head = re.split(r"[.\[]", path, maxsplit=1)[0]
    return next((f.name for f in fields if head in (f.key, f.name)), None)


def pydantic_messages(exc: ValidationError, fields: Sequence[Field], _: Gettext) -> dict[str, str]:
    """The service schema's objections, by form field."""
    errors: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        name = _field_of(".".join(str(p) for p in err["loc"]), fields) or ""
        errors.setdefault(name, _schema_message(err, _))
    return errors


def schema_messages(
    model: type[BaseModel],
    data: Mapping[str, Any],
    fields: Sequence[Field],
    _: Gettext,
    typed: Mapping[str, str],
) -> dict[str, str]:
    """The typing errors ``typed`` and the schema's objections to the fields that were typed
    right, together: a form shows every error in one round, not the schema's in a second."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        found = pydantic_messages(exc, fields, _)
        return {**{k: v for k, v in found.items() if k and k not in typed}, **typed}
    return dict(typed)


def _schema_message(err: Mapping[str, Any], _: Gettext) -> str:
    ctx = err.get("ctx") or {}
    kind = err["type"]
    if kind == "greater_than_equal":
        return _("Must be at least %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "greater_than":
        return _("Must be more than %(limit)s.") % {"limit": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("Must be at most %(limit)s.") % {"limit": ctx.get("le")}
    if kind in ("string_pattern_mismatch", "literal_error", "enum"):
        return _("This value is not in the expected form.")
    if kind == "missing":
        return _("Enter a value.")
    return str(err["msg"]).removeprefix("Value error, ")


def problem_messages(
    problems: Iterable[Problem], fields: Sequence[Field], _: Gettext
) -> dict[str, str]:
    """A service's :class:`InvalidInput` problems, by form field ("" for the whole form)."""
    errors: dict[str, str] = {}
    for p in problems:
        message = SERVICE_MESSAGES.get(p.message)
        errors.setdefault(_field_of(p.path, fields) or "", _(message) if message else p.message)
    return errors


def bind(
    fields: Sequence[Field],
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    options: Callable[[Field], list[tuple[str, str]]],
    _: Gettext,
    fixed: Collection[str] = (),
) -> list[Bound]:
    """Fields ready to render with what was typed, the messages and the options."""
    bound = []
    for f in fields:
        value = values.get(f.name, [] if f.kind == "multiselect" else "")
        hint = _(f.hint) if f.hint else ""
        choices = options(f) if f.options else []
        error = errors.get(f.name)
        bound.append(Bound(f, _(f.label), hint, value, error, choices, f.name in fixed))
    return bound
