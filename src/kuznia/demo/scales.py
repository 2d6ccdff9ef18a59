"""How big each demo world is. national follows the public figures; stress is about 3x national."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from kuznia.demo.records import Scale


@dataclass(frozen=True, slots=True)
class ScaleSpec:
    """Sizes of one scale. ``tranches``: copies of each pledge template (stress: 3)."""

    name: Scale
    horizon_months: int
    capability_variants: int
    companies: int
    proposals: int
    requirements: int
    tranches: int
    investments: int


def start_month(today: date | None = None) -> str:
    """Where a demo world starts: January of the current year (UTC), so that its pledges are
    valid today and its needs lie ahead, whatever year the demo is made in."""
    year = (today or datetime.now(UTC).date()).year
    return f"{year:04d}-01"


LATENESS_DECAY = 0.97

SCALES: dict[str, ScaleSpec] = {
    "small": ScaleSpec("small", 12, 1, 24, 40, 20, 1, 8),
    "national": ScaleSpec("national", 36, 1, 800, 3000, 600, 1, 160),
    "stress": ScaleSpec("stress", 36, 3, 2400, 9000, 1800, 3, 480),
}


def spec_for(scale: str) -> ScaleSpec:
    try:
        return SCALES[scale]
    except KeyError:
        raise ValueError(f"unknown scale {scale!r}; expected one of {sorted(SCALES)}") from None
