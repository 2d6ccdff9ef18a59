"""What every OCDS release kuznia writes shares: the publisher's options, RFC 3339 moments,
exact values, and release ids that are digests of their content."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from kuznia.errors import InvalidInput
from kuznia.money import format_cents
from kuznia.months import add_months

_OCID_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,49}$")


@dataclass(frozen=True, slots=True)
class OcdsOptions:
    """What a publisher configures: its ocid prefix (from the Open Contracting Partnership, e.g.
    ``ocds-a1b2c3``), its name, where the package lives, and who the buyer is."""

    ocid_prefix: str = "ocds-kuznia"
    publisher_name: str = "kuznia"
    package_uri: str = "https://kuznia.example/ocds/releases.json"
    buyer_id: str = "ua-coordinator"
    buyer_name: str = "Coordinator of defence production financing (Ukraine)"

    def __post_init__(self) -> None:
        if not _OCID_PREFIX.match(self.ocid_prefix):
            raise InvalidInput.single(
                "ocid_prefix", f"{self.ocid_prefix!r} is not an ocid prefix (e.g. ocds-a1b2c3)"
            )


def timestamp(moment: datetime | date | None) -> str | None:
    """RFC 3339 in UTC; a date is its midnight; naive times (SQLite) are UTC."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(0), tzinfo=UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def month_start(month: str) -> str:
    return f"{month}-01T00:00:00Z"


def month_end(month: str) -> str:
    """The last second of ``month``."""
    following = datetime.strptime(f"{add_months(month, 1)}-01", "%Y-%m-%d").replace(tzinfo=UTC)
    return (following - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def value(cents: int, currency: str) -> dict[str, Any]:
    return {"amount": Decimal(format_cents(cents)), "currency": currency}


def release(ocid: str, tag: str, moment: str | None, body: Mapping[str, Any]) -> dict[str, Any]:
    digest = hashlib.sha256(
        json.dumps(body, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()[:16]
    return {
        "ocid": ocid,
        "id": f"{ocid}-{tag}-{digest}",
        "date": moment,
        "tag": [tag],
        "initiationType": "tender",
        **body,
    }
