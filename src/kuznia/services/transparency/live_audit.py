"""The log vouches for the live tables: what ``kuznia log audit`` checks beyond the tree.

The tree audit (``store.audit``) shows the leaves are the ones the signed checkpoints commit
to. That alone would pass a database whose *tables* were edited behind the log's back, or whose
stored nodes (which proofs are read from) or openings (which reveal secrets) were rewritten.
So the audit also:

* recomputes, for every live row of every logged table, the logged form of its current content
  and compares it field by field with the record's last leaf (``after``): a changed amount, a
  changed site address (its opening no longer matches), a row the log never saw, a row the log
  deleted, each is named (``contracts/contract-1: amount_cents is 450000000, the log says
  225000000 (leaf 17)``);
* checks every opening against the commitment in its leaf;
* recomputes every stored node from the leaves and names each one that differs, and the leaves
  under a node that no longer matches them (a leaf whose content and hash were both rewritten).

It reads only the database: no key is needed for any of this.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from kuznia.db.contracting import ContractScheduleRow
from kuznia.db.registries import FxRate
from kuznia.db.tables import metadata
from kuznia.db.transparency import LedgerHead, LedgerNode, LedgerOpening
from kuznia.services.transparency.append import log_value
from kuznia.services.transparency.head import SIZE_BYTES, frontier_levels, frontier_of_head
from kuznia.services.transparency.store import CHUNK, iter_leaves, log_size
from kuznia.transparency import Opening, node_hash
from kuznia.transparency.canonical import verify_opening


@dataclass(frozen=True, slots=True)
class LastLeaf:
    """A record's newest leaf: where it is, what it did, the record as it left it."""

    seq: int
    action: str
    after: Mapping[str, Any] | None


def _parsed(text: bytes) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _leaves(session: Session) -> Iterator[tuple[int, dict[str, Any], bytes]]:
    """(seq, parsed leaf or {} if it is not an object, stored hash) of every leaf, in order."""
    size = log_size(session)
    for start in range(0, size, CHUNK):
        for leaf in iter_leaves(session, start, min(size, start + CHUNK)):
            yield leaf.seq, _parsed(leaf.leaf), leaf.leaf_hash


def last_leaves(session: Session) -> dict[tuple[str, str], LastLeaf]:
    """The newest leaf of every (entity, record id) the log holds."""
    last: dict[tuple[str, str], LastLeaf] = {}
    for seq, leaf, _ in _leaves(session):
        if {"entity", "id", "action"} <= leaf.keys():  # else malformed: the tree audit names it
            after = leaf.get("after")
            key = (str(leaf["entity"]), str(leaf["id"]))
            last[key] = LastLeaf(
                seq, str(leaf["action"]), after if isinstance(after, dict) else None
            )
    return last


def _key_column(table: Table) -> str | None:
    keys = list(table.primary_key.columns)
    return keys[0].name if len(keys) == 1 else None


def _live_rows(session: Session, table: Table) -> dict[str, dict[str, Any]]:
    key = _key_column(table)
    assert key is not None
    return {str(row[key]): dict(row) for row in session.execute(select(table)).mappings()}


def _openings(session: Session) -> dict[tuple[int, str, str], Opening]:
    return {
        (row.seq, row.part, row.field): Opening(row.field, bytes(row.salt), json.loads(row.value))
        for row in session.scalars(select(LedgerOpening))
    }


def _extras(session: Session, entity: str, record_id: str) -> dict[str, Any]:
    """Logged fields that live beside the row: a contract's schedule, the frame's FX rates."""
    if entity == "contracts":
        rows = session.execute(
            select(ContractScheduleRow.month, ContractScheduleRow.units).where(
                ContractScheduleRow.contract_id == record_id
            )
        )
        return {"schedule": {str(month): int(units) for month, units in rows}}
    if entity == "planning_settings":
        return {"fx_rates": {r.currency: r.rate for r in session.scalars(select(FxRate))}}
    return {}


def _in_utc(value: Any) -> Any:
    """A stored time as the log wrote it (UTC; SQLite hands back times without a zone)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _same(current: Any, logged: Any) -> bool:
    """Equal as logged; two times are equal at the same instant (a zone-less one is UTC, as
    SQLite keeps them)."""
    if current == logged:
        return True
    if isinstance(current, str) and isinstance(logged, str) and "T" in current:
        try:
            return bool(
                _in_utc(datetime.fromisoformat(current)) == _in_utc(datetime.fromisoformat(logged))
            )
        except ValueError:
            return False
    return False


def _field_findings(
    label: str,
    last: LastLeaf,
    live: Mapping[str, Any],
    openings: Mapping[tuple[int, str, str], Opening],
) -> list[str]:
    """Each logged field whose live value differs from what the record's last leaf says."""
    found = []
    for name, logged in (last.after or {}).items():
        if name not in live:
            continue
        current = log_value(_in_utc(live[name]))
        if isinstance(logged, Mapping) and set(logged) == {"commitment"}:
            opening = openings.get((last.seq, "after", name))
            if opening is None or log_value(opening.value) != current:
                found.append(
                    f"{label}: {name} differs from the value committed to in leaf {last.seq}"
                )
        elif not _same(current, logged):
            found.append(
                f"{label}: {name} is {current!r}, the log says {logged!r} (leaf {last.seq})"
            )
    return found


def row_findings(session: Session) -> list[str]:
    """Every live row of a logged table that its last leaf does not vouch for."""
    last = last_leaves(session)
    openings = _openings(session)
    logged = {entity for entity, _ in last}
    found: list[str] = []
    for entity in sorted(logged):
        table = metadata.tables.get(entity)
        if table is None or _key_column(table) is None:
            continue
        live = _live_rows(session, table)
        for (kind, record_id), leaf in sorted(last.items()):
            if kind != entity:
                continue
            label, row = f"{entity}/{record_id}", live.pop(record_id, None)
            if leaf.action == "delete":
                if row is not None:
                    found.append(f"{label}: deleted in leaf {leaf.seq}, but the row exists")
            elif row is None:
                found.append(f"{label}: in the log (leaf {leaf.seq}) but not in the table")
            else:
                row.update(_extras(session, entity, record_id))
                found.extend(_field_findings(label, leaf, row, openings))
        found.extend(f"{entity}/{record_id}: the row is not in the log" for record_id in live)
    return found


def opening_findings(session: Session) -> list[str]:
    """Every stored opening that does not open the commitment in its leaf."""
    by_leaf: dict[int, list[tuple[str, Opening]]] = {}
    for (seq, part, _), opening in _openings(session).items():
        by_leaf.setdefault(seq, []).append((part, opening))
    found = []
    for seq, leaf, _ in _leaves(session):
        for part, opening in by_leaf.get(seq, ()):
            public = leaf.get(part)
            if not isinstance(public, dict) or not verify_opening(public, opening):
                found.append(
                    f"the opening of {opening.field} ({part}) in leaf {seq} "
                    f"({leaf.get('entity')}/{leaf.get('id')}) does not match its commitment"
                )
    return found


def _levels(hashes: list[bytes]) -> list[list[bytes]]:
    """Hashes of every complete subtree, level by level (level 0: the leaves)."""
    levels = [hashes]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])
    return levels


def _node_finding(level: int, idx: int, bad: set[tuple[int, int]], stored: set[Any]) -> str:
    first, last = idx << level, ((idx + 1) << level) - 1
    parent = (level + 1, idx >> 1)
    if level == 1 and (parent in bad or parent not in stored):
        return (
            f"leaf {first} or leaf {last} was rewritten, content and hash together: the stored "
            f"node over leaves {first}..{last} no longer matches them"
        )
    return (
        f"the stored node at level {level}, index {idx} (leaves {first}..{last}) was "
        "rewritten: it is not the hash of the nodes under it"
    )


def node_findings(session: Session) -> list[str]:
    """Every stored node that is not the hash of the leaves under it. Where the nodes under it
    agree with the leaves, the node itself was rewritten; a rewritten leaf (content and hash
    together, so the tree audit's rehash passes) shows as its level-1 node and every node above
    it differing, and the pair of leaves under that node is named."""
    levels = _levels([bytes(digest) for _, _, digest in _leaves(session)])
    stored = {(n.level, n.idx): bytes(n.hash) for n in session.scalars(select(LedgerNode))}
    bad = {
        (level, idx)
        for (level, idx), digest in stored.items()
        if level < len(levels) and idx < len(levels[level]) and levels[level][idx] != digest
    }
    found = [
        _node_finding(level, idx, bad, set(stored))
        for level, idx in sorted(bad)
        if level == 1 or not {(level - 1, 2 * idx), (level - 1, 2 * idx + 1)} & bad
    ]
    return found + _head_finding(session, levels)


def _head_finding(session: Session, levels: list[list[bytes]]) -> list[str]:
    """The head's frontier, where it is kept for the log's size (else appenders read it from
    the nodes), must be the tree's: the next appends pair with it."""
    size = len(levels[0])
    stored = session.scalar(select(LedgerHead.frontier))
    if stored is None or bytes(stored[:SIZE_BYTES]) != size.to_bytes(SIZE_BYTES, "big"):
        return []
    tree = {j: levels[j][(size >> j) - 1] for j in frontier_levels(size)}
    if frontier_of_head(bytes(stored), size) == tree:
        return []
    return [
        "the log head's frontier was rewritten: it is not the hashes of the tree's complete "
        "subtrees, which the next appends pair with"
    ]


def live_findings(session: Session) -> list[str]:
    """Everything the live tables, the openings and the stored nodes disagree with the log on."""
    return [*row_findings(session), *opening_findings(session), *node_findings(session)]
