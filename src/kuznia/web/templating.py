"""Jinja2 environments, one per language, with gettext and locale-aware number filters.

One environment per language keeps rendering thread-safe: each has its translations installed
once (``newstyle`` gettext, so ``{{ _("%(n)s needs", n=3) }}`` escapes its arguments) and its own
filters bound to the locale.

The number, money, month and percent filters remember what they wrote (Babel takes tens of
microseconds a figure, and a national plan page shows thousands of them, the same on every
visit): each answer depends only on its arguments, and equal numbers are written alike.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
)
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from kuznia.money import Money
from kuznia.web.fields import VALUE_LABELS
from kuznia.web.names import line_name, local_name, name_of, pledge_partner

FIGURES = 65_536
"""Figures each filter remembers: a few MB, more than the largest page shows."""


def money_compact(value: Money | None, locale: str) -> str:
    """``€48.4M`` / ``48,4 млн €``: the figure a chart label or a summary card shows."""
    if value is None:
        return "–"
    return format_compact_currency(value.amount, value.currency, locale=locale, fraction_digits=1)


def money_change(after: Money, before: Money, locale: str) -> str:
    """The signed difference of two amounts of one currency, compact: ``+€5.0M``."""
    delta = Money(after.cents - before.cents, after.currency)
    text = money_compact(delta, locale)
    return f"+{text}" if delta.cents > 0 else text


@lru_cache(maxsize=FIGURES)
def money_full(value: Money | None, locale: str) -> str:
    if value is None:
        return "–"
    return format_currency(value.amount, value.currency, locale=locale)


@lru_cache(maxsize=FIGURES)
def millions(value: float | Decimal, locale: str) -> str:
    return format_decimal(round(Decimal(value) / Decimal(1_000_000), 1), "#,##0.0", locale=locale)


@lru_cache(maxsize=FIGURES)
def month_label(month: str, locale: str) -> str:
    """``2026-03`` as ``Mar 2026`` / ``бер. 2026``."""
    year, mon = (int(part) for part in month.split("-"))
    return format_date(date(year, mon, 1), "LLL yyyy", locale=locale)


def month_parts(month: str, locale: str) -> tuple[str, str]:
    """``2026-03`` as (``Mar``, ``2026``) for axis labels: the month, and its year apart."""
    year, mon = (int(part) for part in month.split("-"))
    return format_date(date(year, mon, 1), "LLL", locale=locale), str(year)


@lru_cache(maxsize=FIGURES)
def number(value: float | int | Decimal, locale: str, digits: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=locale)


@lru_cache(maxsize=FIGURES)
def percent(value: float, locale: str) -> str:
    return format_percent(value, locale=locale)


def query_string(params: Mapping[str, Any], **changes: Any) -> str:
    """``?a=1&b=2``: ``params`` with ``changes`` applied; empty values are left out."""
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def formatters(locale: str) -> dict[str, Callable[..., str]]:
    return {
        "money": lambda v: money_compact(v, locale),
        "money_full": lambda v: money_full(v, locale),
        "money_change": lambda a, b: money_change(a, b, locale),
        "cents": lambda c, currency: money_full(Money(int(c), str(currency)), locale),
        "millions": lambda v: millions(v, locale),
        "month": lambda v: month_label(v, locale),
        "number": lambda v, digits=0: number(v, locale, digits),
        "percent": lambda v: percent(v, locale),
    }


def make_environment(locale: str, translations: gettext.NullTranslations) -> Environment:
    env = Environment(
        loader=PackageLoader("kuznia.web", "templates"),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(formatters(locale))
    env.filters["coded"] = lambda v: translations.gettext(VALUE_LABELS.get(str(v), str(v)))
    env.globals["locale"] = locale
    env.filters["local_name"] = lambda n, fallback="": local_name(n, locale, fallback)
    env.globals["name_of"] = lambda names, i: name_of(names, i, locale)
    env.globals["line_name"] = lambda parties, i, cap: line_name(parties, i, cap, locale)
    env.globals["pledge_partner"] = lambda parties, i: pledge_partner(parties, i, locale)
    env.globals["query_string"] = query_string
    return env


class Templates:
    """Renders a template in a language; knows each language's gettext for Python-side text."""

    def __init__(self, translations: Mapping[str, gettext.NullTranslations]) -> None:
        self._translations = dict(translations)
        self._envs = {code: make_environment(code, t) for code, t in translations.items()}

    def render(self, locale: str, name: str, context: Mapping[str, Any]) -> str:
        return self._envs[locale].get_template(name).render(context)

    def gettext(self, locale: str) -> Callable[[str], str]:
        return self._translations[locale].gettext
