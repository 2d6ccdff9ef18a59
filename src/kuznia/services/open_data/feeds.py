"""Open data feeds: the aid-tracker CSV and the public feed of published records.

**Tracker CSV.** Commitments and disbursements summed by month, partner, capability category,
transaction type and currency, with IATI-like column names (``provider_org_ref``,
``transaction_type_code`` 2 = commitment, 3 = disbursement, ``value``, ``value_date``), so that
aid trackers (the Kiel Ukraine Support Tracker, IATI-based dashboards) can take it in. Amounts
are decimal text; ``value_base`` converts at the planning rates. Aggregates only: public.

**Public feed.** Published records in the order the transparency log sequenced them, paged by
the log's leaf sequence number (``after`` = the last ``seq`` the crawler has; ``next_after`` is
what to ask for next). Sequence numbers are handed out under the log head's row lock, which is
held until the transaction commits, so no record with a smaller ``seq`` can become visible after
a larger one: a crawler that pages by ``seq`` never misses a record (paging by timestamp can,
which is how Prozorro crawlers lost records). Published records are signed contracts, money flows
and deliveries, without secret fields and without who recorded them; ``leaf_hash`` ties each item
to the signed log.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kuznia.db import registries as db
from kuznia.db.contracting import Contract, FlowKind, MoneyFlow
from kuznia.db.transparency import LedgerLeaf
from kuznia.errors import InvalidInput
from kuznia.money import FxRates, Money, format_cents
from kuznia.services.access.rules import SECRET_FIELDS
from kuznia.services.transparency.store import log_size
from kuznia.spreadsheets.safe_cells import safe_cell

TRACKER_COLUMNS = (
    "value_date",
    "provider_org_ref",
    "provider_org_name",
    "provider_org_country",
    "recipient_country",
    "sector_category",
    "transaction_type_code",
    "transaction_type",
    "currency",
    "value",
    "base_currency",
    "value_base",
    "transactions",
    "contracts",
)
TRACKED: dict[str, str] = {FlowKind.COMMITMENT: "2", FlowKind.DISBURSEMENT: "3"}
UNCATEGORISED = "uncategorised"
RECIPIENT_COUNTRY = "UA"


@dataclass
class _Sum:
    cents: int = 0
    transactions: int = 0
    contracts: set[str] | None = None


def _tracker_sums(session: Session) -> dict[tuple[str, str, str, str, str], _Sum]:
    query = (
        select(
            MoneyFlow.value_date,
            MoneyFlow.kind,
            MoneyFlow.currency,
            MoneyFlow.amount_cents,
            MoneyFlow.contract_id,
            Contract.partner_id,
            db.Capability.category,
        )
        .join(Contract, Contract.id == MoneyFlow.contract_id)
        .join(db.Capability, db.Capability.id == Contract.capability_id)
        .where(MoneyFlow.kind.in_(tuple(TRACKED)))
    )
    sums: dict[tuple[str, str, str, str, str], _Sum] = defaultdict(_Sum)
    for row in session.execute(query):
        month = row.value_date.strftime("%Y-%m")
        key = (month, row.partner_id, row.category or UNCATEGORISED, row.kind, row.currency)
        total = sums[key]
        total.cents += int(row.amount_cents)
        total.transactions += 1
        total.contracts = (total.contracts or set()) | {row.contract_id}
    return sums


def _rates(session: Session) -> FxRates | None:
    settings = session.get(db.PlanningSettings, 1)
    if settings is None:
        return None
    rates = {r.currency: r.rate for r in session.scalars(select(db.FxRate))}
    return FxRates.parse(settings.base_currency, rates)


def tracker_rows(session: Session) -> list[dict[str, str]]:
    """One row per (month, partner, capability category, transaction type, currency)."""
    partners = {p.id: p for p in session.scalars(select(db.Partner))}
    rates = _rates(session)
    rows = []
    for key, total in sorted(_tracker_sums(session).items()):
        month, partner_id, category, kind, currency = key
        partner = partners.get(partner_id)
        base = rates.to_base(Money(total.cents, currency)) if rates else None
        rows.append(
            {
                "value_date": month,
                "provider_org_ref": partner_id,
                "provider_org_name": partner.name if partner else partner_id,
                "provider_org_country": (partner.country or "") if partner else "",
                "recipient_country": RECIPIENT_COUNTRY,
                "sector_category": category,
                "transaction_type_code": TRACKED[kind],
                "transaction_type": kind,
                "currency": currency,
                "value": format_cents(total.cents),
                "base_currency": rates.base if rates else "",
                "value_base": format_cents(base.cents) if base else "",
                "transactions": str(total.transactions),
                "contracts": str(len(total.contracts or ())),
            }
        )
    return rows


def tracker_csv(session: Session) -> bytes:
    """The tracker feed as UTF-8 CSV with a header row."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, TRACKER_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    # names of partners are typed by people: never a formula in the reader's spreadsheet
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in tracker_rows(session))
    return buffer.getvalue().encode("utf-8")


# --- the public feed -------------------------------------------------------------------------

PUBLISHED_ENTITIES = ("contracts", "money_flows", "deliveries")
MAX_PAGE = 1000


@dataclass(frozen=True, slots=True)
class FeedItem:
    seq: int
    entity: str
    record_id: str
    action: str
    at: str
    leaf_hash: str
    record: Mapping[str, Any]

    def document(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "entity": self.entity,
            "id": self.record_id,
            "action": self.action,
            "at": self.at,
            "leaf_hash": self.leaf_hash,
            "record": dict(self.record),
        }


@dataclass(frozen=True, slots=True)
class FeedPage:
    after: int
    next_after: int
    log_size: int
    items: tuple[FeedItem, ...]

    @property
    def at_end(self) -> bool:
        """True when the crawler has seen every leaf the log had when the page was read."""
        return self.next_after >= self.log_size - 1

    def document(self) -> dict[str, Any]:
        return {
            "after": self.after,
            "next_after": self.next_after,
            "log_size": self.log_size,
            "at_end": self.at_end,
            "items": [i.document() for i in self.items],
        }


def public_record(entity: str, record: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The publishable part of a logged record, or None if it is not published (yet).

    Secret fields (and their commitments) are dropped, and so are the people who signed,
    recorded or inspected (``*_by``: officials' user names are not open data; the dates stay).
    A contract is published once both parties have signed it.
    """
    if record is None:
        return None
    if entity == "contracts" and not (
        record.get("coordinator_signed_at") and record.get("partner_signed_at")
    ):
        return None
    secret = SECRET_FIELDS.get(entity, frozenset())
    return {
        k: v
        for k, v in record.items()
        if k not in secret
        and not k.endswith("_by")
        and not (isinstance(v, dict) and "commitment" in v)
    }


def _item(row: LedgerLeaf) -> FeedItem | None:
    leaf = json.loads(row.leaf)
    record = public_record(row.entity, leaf.get("after") or leaf.get("before"))
    if record is None:
        return None
    return FeedItem(
        seq=row.seq,
        entity=row.entity,
        record_id=row.record_id,
        action=row.action,
        at=str(leaf.get("at", "")),
        leaf_hash=bytes(row.leaf_hash).hex(),
        record=record,
    )


def public_feed(session: Session, after: int = -1, limit: int = 100) -> FeedPage:
    """Published records with ``seq > after``, in sequence order, at most ``limit`` leaves read.

    ``next_after`` is the last sequence number read (published or not), so paging with it skips
    nothing; an empty page means the crawler is at the end of the log for now.
    """
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput.single("limit", f"must be between 1 and {MAX_PAGE}")
    if after < -1:
        raise InvalidInput.single("after", "must be -1 (from the start) or a sequence number")
    size = log_size(session)
    rows = list(
        session.scalars(
            select(LedgerLeaf)
            .where(LedgerLeaf.seq > after, LedgerLeaf.entity.in_(PUBLISHED_ENTITIES))
            .order_by(LedgerLeaf.seq)
            .limit(limit)
        )
    )
    items = tuple(item for item in map(_item, rows) if item is not None)
    last_read = rows[-1].seq if rows else -1
    # a full page stops at its last leaf; a short one has read every leaf the head counted
    next_after = last_read if len(rows) == limit else max(after, size - 1, last_read)
    return FeedPage(after, next_after, size, items)


def crawl(session: Session, page_size: int = 100) -> Iterable[FeedItem]:
    """Every published item from the start (what a crawler does, for tests and exports)."""
    after = -1
    while True:
        page = public_feed(session, after, page_size)
        yield from page.items
        if page.next_after == after or page.at_end:
            return
        after = page.next_after
