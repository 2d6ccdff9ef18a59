"""Names of records in the reader's language: the one helper every page and template uses."""

from __future__ import annotations

from collections.abc import Mapping

from kuznia.services.registries.browse import Name


def local_name(name: Name | None, lang: str, fallback: str = "") -> str:
    """The Ukrainian name for a Ukrainian reader when the record has one, else the English one
    (the id, ``fallback``, when the reader may not know the name)."""
    if name is None:
        return fallback
    if lang == "uk" and name.name_uk:
        return name.name_uk
    return name.name


def name_of(names: Mapping[str, Name], record_id: str, lang: str) -> str:
    """The name of the record ``record_id`` from ``names``, or the id when unknown."""
    return local_name(names.get(record_id), lang, record_id)
