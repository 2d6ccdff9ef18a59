"""Read and write scenario files: every problem is reported with its JSON path, nothing is guessed.

Reading runs three passes and reports all problems of the first pass that finds any: JSON syntax,
shape and types (the Pydantic models, strict), then cross-references (unique ids, known
capabilities, currencies with a rate, ordered validity windows).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from kuznia.errors import InvalidInput, Problem
from kuznia.months import MONTH_PATTERN, month_ordinal
from kuznia.scenario.model import SCENARIO_FORMAT, SCENARIO_FORMAT_2, Scenario
from kuznia.scenario.risk_section import (
    RISK_FORMAT,
    format_problems,
    line_problems,
    reference_problems,
)
from kuznia.scenario.version2 import version2_problems

SCENARIO_FORMATS = (SCENARIO_FORMAT, SCENARIO_FORMAT_2)

_DIGITS = re.compile(r"(\d+)")
_PATTERN_NAMES = {
    MONTH_PATTERN: "a month (YYYY-MM, e.g. 2026-01)",
    r"^[A-Z]{2}$": "a country code (ISO 3166-1 alpha-2, e.g. UA)",
    r"^[^\s]+$": "an identifier (no spaces)",
    r"^[0-9]{1,12}(\.[0-9]{1,12})?$": 'a positive decimal string (e.g. "0.92")',
}


def json_path(loc: Sequence[int | str]) -> str:
    """``('proposals', 17, 'unit_cost')`` -> ``proposals[17].unit_cost``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def pydantic_problems(exc: ValidationError, prefix: Sequence[int | str] = ()) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] == "string_pattern_mismatch":
            expected = _PATTERN_NAMES.get(str(err["ctx"]["pattern"]), "in the expected form")
            msg = f"{err['input']!r} is not {expected}"
        problems.append(Problem(json_path([*prefix, *err["loc"]]), msg))
    return problems


def parse_scenario(data: bytes | str) -> Scenario:
    """Parse and check a scenario document; raise :class:`InvalidInput` listing every problem."""
    raw = _json_object(data, "a scenario is a JSON object")
    fmt = raw.get("format")
    if fmt not in SCENARIO_FORMATS:
        expected = " or ".join(f'"{f}"' for f in SCENARIO_FORMATS)
        raise InvalidInput.single("format", f"expected {expected}, got {fmt!r}")
    _check_risk_format(raw)
    try:
        scenario = Scenario.model_validate_json(data, strict=True)
    except ValidationError as exc:
        raise InvalidInput(pydantic_problems(exc), "the scenario is not well-formed") from None
    problems = list(cross_reference_problems(scenario))
    if problems:
        raise InvalidInput(problems, "the scenario refers to things that do not fit")
    return scenario


def _check_risk_format(raw: dict[str, Any]) -> None:
    """A ``risk`` section is an object whose own ``format`` versions it (required, as in a risk
    file); absent is no section (``null`` is not)."""
    if "risk" not in raw:
        return
    if not isinstance(raw["risk"], dict):
        raise InvalidInput.single("risk", f"a {RISK_FORMAT} section is a JSON object")
    for problem in format_problems(raw["risk"], "risk"):
        raise InvalidInput.single(problem.path, problem.message)


def _json_object(data: bytes | str, not_an_object: str) -> dict[str, Any]:
    """The JSON object ``data`` holds, read by orjson (several times faster); a syntax error is
    reported as the standard library locates it (line and column)."""
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError:
        try:
            raw = json.loads(data)
        except json.JSONDecodeError as exc:
            raise InvalidInput.single(
                "", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from None
    if not isinstance(raw, dict):
        raise InvalidInput.single("", not_an_object)
    return raw


def load_scenario(path: Path) -> tuple[Scenario, bytes]:
    """Read a scenario file; return the model and the bytes as read (for ``scenario_sha256``)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput.single("", f"cannot read {path}: {exc.strerror}") from None
    return parse_scenario(data), data


def _duplicates(kind: str, ids: Iterable[str]) -> Iterable[Problem]:
    seen: Counter[str] = Counter()
    for i, ident in enumerate(ids):
        seen[ident] += 1
        if seen[ident] == 2:
            yield Problem(f"{kind}[{i}].id", f"duplicate id {ident!r}")


def cross_reference_problems(s: Scenario) -> Iterable[Problem]:
    yield from _duplicates("capabilities", (c.id for c in s.capabilities))
    yield from _duplicates("requirements", (r.id for r in s.requirements))
    yield from _duplicates("proposals", (p.id for p in s.proposals))
    yield from _duplicates("pledges", (p.id for p in s.pledges))
    capabilities = {c.id for c in s.capabilities}
    currencies = {s.base_currency, *s.fx_rates}
    if s.base_currency in s.fx_rates and s.fx_rates[s.base_currency] not in {"1", "1.0", "1.00"}:
        yield Problem(f"fx_rates.{s.base_currency}", "the base currency must have rate 1")
    for code, rate in s.fx_rates.items():
        if float(rate) == 0:
            yield Problem(f"fx_rates.{code}", "a rate must be positive")
    for i, r in enumerate(s.requirements):
        if r.capability not in capabilities:
            yield Problem(f"requirements[{i}].capability", f"unknown capability {r.capability!r}")
    for i, p in enumerate(s.proposals):
        if p.capability not in capabilities:
            yield Problem(f"proposals[{i}].capability", f"unknown capability {p.capability!r}")
        if p.currency not in currencies:
            yield Problem(f"proposals[{i}].currency", f"no rate for {p.currency} in fx_rates")
    for i, g in enumerate(s.pledges):
        if g.currency not in currencies:
            yield Problem(f"pledges[{i}].currency", f"no rate for {g.currency} in fx_rates")
        if month_ordinal(g.valid_to) < month_ordinal(g.valid_from):
            yield Problem(f"pledges[{i}].valid_to", "is before valid_from")
        for j, cap in enumerate(g.capabilities):
            if cap not in capabilities:
                yield Problem(f"pledges[{i}].capabilities[{j}]", f"unknown capability {cap!r}")
    yield from version2_problems(s)
    if s.risk is not None:
        yield from reference_problems(s.risk, "risk")
        lines = {p.id for p in s.proposals} | {j.id for j in s.projects}
        yield from line_problems(s.risk, lines, "risk")


def natural_key(ident: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts ``cap-2`` before ``cap-10``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(ident))


def scenario_document(s: Scenario) -> dict[str, Any]:
    """The canonical document: records sorted by id (naturally), rates sorted by currency and
    always listing the base currency at rate 1; a ``/1`` scenario has no ``projects`` key; a
    ``risk`` section comes last, as given (as ``dump_risk`` writes it), and only when present."""
    doc = s.model_dump(mode="json", exclude_none=True)
    doc["fx_rates"] = dict(sorted({**doc["fx_rates"], s.base_currency: "1"}.items()))
    if s.version == 1:  # a /1 document has no version-2 fields (their defaults are its meaning)
        del doc["projects"]
        for pledge in doc["pledges"]:
            del pledge["purposes"], pledge["projects"]
    for kind in ("capabilities", "requirements", "proposals", "pledges", "projects"):
        if kind in doc:
            doc[kind] = sorted(doc[kind], key=lambda rec: natural_key(rec["id"]))
    return doc


def dump_scenario(s: Scenario) -> bytes:
    """The canonical bytes of a scenario: two-space indent, UTF-8, records sorted by id, fixed key
    order, final newline. Importing these bytes and exporting again gives the same bytes."""
    return canonical_json_bytes(scenario_document(s))


def canonical_json_bytes(doc: Any, floats_in: Any = None) -> bytes:
    """``json.dumps(doc, indent=2, ensure_ascii=False)`` plus a newline, as UTF-8, byte for byte.

    Written by orjson (about 15 times faster: the standard library's encoder is pure Python
    once it indents) unless a number would come out otherwise: orjson writes ``1e-05`` as
    ``0.00001``, NaN as ``null``, and refuses integers beyond 64 bits. Those documents go
    through the standard library, so the bytes, and the digests of plans, never change.

    ``floats_in``: the part of ``doc`` that holds all its floats, when the caller knows (a plan's
    rows hold none), so that only it is searched for them (national plan: 0.5 s -> 0.01 s)."""
    if _orjson_writes_like_json(doc if floats_in is None else floats_in):
        try:
            return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
        except orjson.JSONEncodeError:  # an integer beyond 64 bits, a type orjson does not know
            pass
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _orjson_writes_like_json(doc: Any) -> bool:
    """Every float in ``doc`` is written by orjson as the standard library writes it."""
    stack = [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif isinstance(value, float) and orjson.dumps(value) != repr(value).encode():
            return False
    return True


def scenario_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
