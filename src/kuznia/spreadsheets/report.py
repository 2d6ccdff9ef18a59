"""What an import did, or would do in a dry run: per record created, updated or unchanged, with
the fields that differ (old and new value, written as in the spreadsheet)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Action = Literal["create", "update", "unchanged"]


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class RecordChange:
    row: int
    record_id: str
    action: Action
    fields: tuple[FieldChange, ...] = ()

    def document(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "id": self.record_id,
            "action": self.action,
            "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in self.fields],
        }


@dataclass(frozen=True)
class ImportReport:
    """The outcome of importing one table. ``registered`` names the companies and partners that
    were (or, in a dry run, would be) registered because rows refer to them."""

    kind: str
    filename: str
    dry_run: bool
    rows: int
    records: tuple[RecordChange, ...]
    registered: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def counts(self) -> Counter[str]:
        counted = Counter(r.action for r in self.records)
        return Counter({a: counted[a] for a in ("create", "update", "unchanged")})

    @property
    def changed(self) -> tuple[RecordChange, ...]:
        return tuple(r for r in self.records if r.action != "unchanged")

    def summary(self) -> str:
        c = self.counts
        verb = "would be" if self.dry_run else "were"
        parties = "".join(
            f", {len(ids)} {what} {verb} registered" for what, ids in self.registered.items() if ids
        )
        return (
            f"{self.kind}: {self.rows:,} rows; {c['create']:,} created, {c['update']:,} updated, "
            f"{c['unchanged']:,} unchanged{parties}"
            + (" (dry run: nothing written)" if self.dry_run else "")
        )

    def document(self) -> dict[str, Any]:
        """A JSON-able form, for the API and the web page."""
        return {
            "kind": self.kind,
            "filename": self.filename,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "counts": dict(self.counts),
            "registered": {k: list(v) for k, v in self.registered.items()},
            "records": [r.document() for r in self.records],
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class WorkbookReport:
    """The outcome of importing a whole workbook: the planning frame and one report per sheet."""

    filename: str
    dry_run: bool
    settings: tuple[FieldChange, ...]
    tables: tuple[ImportReport, ...]
    seconds: float = 0.0

    def document(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "dry_run": self.dry_run,
            "settings": [{"field": f.field, "old": f.old, "new": f.new} for f in self.settings],
            "tables": [t.document() for t in self.tables],
            "seconds": round(self.seconds, 3),
        }
