"""kuznia's run-time dependencies: every package it imports is one of them (a package that only a
development tool pulls in is missing from a production install), and none is under the GPL or
the AGPL (kuznia is Apache-2.0)."""

from __future__ import annotations

import importlib.metadata as metadata
import re
import subprocess
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

IMPORT_EVERYTHING = """
import asyncio, importlib, pkgutil, sys
import kuznia
for module in pkgutil.walk_packages(kuznia.__path__, "kuznia."):
    importlib.import_module(module.name)
from sqlalchemy.util import greenlet_spawn  # Database.on_loop: PostgreSQL on the event loop
asyncio.run(greenlet_spawn(lambda: None))
import sqlalchemy.dialects.postgresql.asyncpg, sqlalchemy.dialects.postgresql.pg8000
print("\\n".join(sorted(sys.modules)))
"""
COPYLEFT = re.compile(r"(?<![L\w])A?GPL|GNU (Affero )?General Public", re.IGNORECASE)


def _run_time_closure() -> dict[str, metadata.Distribution]:
    """kuznia and what it requires, transitively, with the extras asked for, no dev groups."""
    found: dict[str, metadata.Distribution] = {}
    wanted: list[tuple[str, frozenset[str]]] = [("kuznia", frozenset())]
    while wanted:
        name, extras = wanted.pop()
        key = canonicalize_name(name)
        if key in found and not extras:
            continue
        found[key] = distribution = metadata.distribution(name)
        for line in distribution.requires or []:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is None or any(marker.evaluate({"extra": e}) for e in {"", *extras}):
                wanted.append((requirement.name, frozenset(requirement.extras)))
    return found


def _licence(distribution: metadata.Distribution) -> str:
    meta = distribution.metadata
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return " | ".join(filter(None, [meta.get("License-Expression"), *classifiers])) or (
        meta.get("License") or ""
    )


def test_every_package_kuznia_imports_is_a_run_time_dependency():
    listing = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True, text=True, check=True
    )
    owners = metadata.packages_distributions()
    closure = _run_time_closure()
    imported = {m.partition(".")[0] for m in listing.stdout.split()}
    missing = {
        (module, owner)
        for module in imported
        for owner in owners.get(module, [])
        if canonicalize_name(owner) not in closure
    }
    assert missing == set(), "imported, but not required by kuznia (pyproject.toml)"
    assert {"asyncpg", "greenlet", "pg8000", "sqlalchemy"} <= closure.keys()


def test_no_run_time_dependency_is_under_the_gpl_or_the_agpl():
    licences = {name: _licence(d) for name, d in _run_time_closure().items()}
    assert [name for name, text in licences.items() if not text.strip()] == []
    assert {n: t for n, t in licences.items() if COPYLEFT.search(t)} == {}
    assert not COPYLEFT.search("GNU Lesser General Public License v3 (LGPLv3) | LGPL-2.1")
    assert all(COPYLEFT.search(t) for t in ("AGPL-3.0-only", "GPL-2.0-or-later", "GNU GPL v3"))
