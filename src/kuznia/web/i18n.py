"""Languages of the web app: gettext catalogues compiled from the ``.po`` files at startup.

Nothing binary is committed: ``locale/<lang>/LC_MESSAGES/messages.po`` is read with Babel and
turned into a :class:`gettext.GNUTranslations` in memory when the app starts. English is the
source language (the msgids), so it needs no catalogue.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    native_name: str


LANGUAGES: tuple[Language, ...] = (Language("en", "English"), Language("uk", "Українська"))
LANGUAGE_CODES = frozenset(lang.code for lang in LANGUAGES)


def compile_catalogue(po_text: bytes, locale: str) -> gettext.GNUTranslations:
    """A translations object from the text of a ``.po`` file (fuzzy entries are left out)."""
    catalog = read_po(BytesIO(po_text), locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def load_translations() -> Mapping[str, gettext.NullTranslations]:
    """Every language's translations; English is the identity."""
    locale_dir = resources.files("kuznia.web").joinpath("locale")
    table: dict[str, gettext.NullTranslations] = {DEFAULT_LANGUAGE: gettext.NullTranslations()}
    for lang in LANGUAGES:
        if lang.code == DEFAULT_LANGUAGE:
            continue
        po = locale_dir.joinpath(lang.code, "LC_MESSAGES", "messages.po").read_bytes()
        table[lang.code] = compile_catalogue(po, lang.code)
    return table


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The language chosen with the switcher (a cookie), else the browser's first supported."""
    if cookie in LANGUAGE_CODES:
        return cookie
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGE_CODES:
            return code
    return DEFAULT_LANGUAGE
