"""Independent, reproducible random streams: one per part of the world, all derived from the seed.

Each part (companies, proposals, ...) draws from its own stream, so changing how one part is drawn
does not shift the numbers of the others.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, part: str) -> np.random.Generator:
    """A PCG64 generator for ``part`` of the world generated from ``seed``."""
    key = zlib.crc32(part.encode("utf-8"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, key])))
