"""The gettext catalogues are current: every text of the web app is in the template, the
Ukrainian catalogue translates all of it with the same placeholders, and it compiles."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from kuznia.web.i18n import compile_catalogue

WEB = Path(resources.files("kuznia.web"))  # type: ignore[arg-type]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted() -> set[str]:
    with (WEB / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = extract_from_dir(WEB, method_map, options_map, keywords)
    return {m if isinstance(m, str) else m[0] for _, _, m, _, _ in found}


def catalogue(path: Path, locale: str | None = None) -> dict[str, object]:
    with path.open("rb") as file:
        return {
            (m.id if isinstance(m.id, str) else m.id[0]): m
            for m in read_po(file, locale=locale)
            if m.id
        }


def test_the_template_holds_exactly_the_texts_the_code_and_templates_use() -> None:
    pot = set(catalogue(WEB / "locale" / "messages.pot"))
    assert extracted() == pot, "run the extract and update commands of docs/web.md"


def test_every_text_is_translated_to_ukrainian_with_the_same_placeholders() -> None:
    pot = catalogue(WEB / "locale" / "messages.pot")
    uk = catalogue(WEB / "locale" / "uk" / "LC_MESSAGES" / "messages.po", "uk")
    assert set(uk) == set(pot)
    for key, message in uk.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)  # type: ignore[attr-defined]
        assert all(strings), f"untranslated: {key!r}"
        assert "fuzzy" not in message.flags, f"fuzzy: {key!r}"  # type: ignore[attr-defined]
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(key)), key


def test_the_ukrainian_catalogue_compiles_and_translates() -> None:
    po = (WEB / "locale" / "uk" / "LC_MESSAGES" / "messages.po").read_bytes()
    translations = compile_catalogue(po, "uk")
    assert translations.gettext("Overview") == "Огляд"
    assert translations.ngettext("%(num)s record", "%(num)s records", 3) == "%(num)s записи"
