"""Sampled disruption paths: which sites are out in which months, and how hard.

A path is a (sites, months) array of the share of capacity lost. Each path draws from its own
generator, derived from ``(seed, path index)`` by numpy's ``SeedSequence``, so a path is the same
whichever worker samples it and in whatever order: 1 worker and 20 give the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kuznia.risk.model import RiskSection

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Disruption:
    """The disruption model as plain arrays, one row per site (the risk file's order)."""

    site_ids: tuple[str, ...]
    site_class: tuple[str, ...]
    probability: FloatArray  # (S,) a strike or outage begins in a month
    loss: FloatArray  # (S,) share of capacity lost while out
    months: IntArray  # (S, K) outage lengths, padded with the last
    cdf: FloatArray  # (S, K) cumulative probabilities of those lengths, last exactly 1

    @property
    def n_sites(self) -> int:
        return len(self.site_ids)


def disruption_of(risk: RiskSection) -> Disruption:
    classes = {c.id: c for c in risk.classes}
    width = max((len(c.durations) for c in risk.classes), default=1)
    months = np.ones((len(risk.sites), width), dtype=np.int64)
    cdf = np.ones((len(risk.sites), width), dtype=np.float64)
    for i, site in enumerate(risk.sites):
        ds = sorted(classes[site.risk_class].durations, key=lambda d: d.months)
        lengths = [d.months for d in ds]
        cum = np.cumsum([d.probability for d in ds])
        cum[-1] = 1.0
        months[i] = lengths + [lengths[-1]] * (width - len(ds))
        cdf[i] = list(cum) + [1.0] * (width - len(ds))
    return Disruption(
        site_ids=tuple(s.id for s in risk.sites),
        site_class=tuple(s.risk_class for s in risk.sites),
        probability=np.array(
            [classes[s.risk_class].monthly_probability for s in risk.sites], dtype=np.float64
        ),
        loss=np.array([classes[s.risk_class].capacity_loss for s in risk.sites], dtype=np.float64),
        months=months,
        cdf=cdf,
    )


def path_rng(seed: int, index: int) -> np.random.Generator:
    """The generator of path ``index``: ``SeedSequence(seed, spawn_key=(index,))``, the same as
    ``SeedSequence(seed).spawn(n)[index]``, built without spawning the ones before it."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(index,))))


def sample_path(d: Disruption, horizon: int, seed: int, index: int) -> FloatArray:
    """(S, T) share of capacity lost: a strike begins at site s in month m with probability
    ``p_s`` (one uniform draw per site and month, in that order), lasts a length drawn from the
    class's distribution (one more draw per strike, in row-major order of the strikes), and
    takes ``loss_s`` of the capacity in the months it covers; overlapping strikes do not add."""
    rng = path_rng(seed, index)
    starts = rng.random((d.n_sites, horizon)) < d.probability[:, None]
    site, month = np.nonzero(starts)
    draws = rng.random(len(site))
    out = np.zeros((d.n_sites, horizon), dtype=np.float64)
    for s, m, u in zip(site.tolist(), month.tolist(), draws.tolist(), strict=True):
        k = min(int(np.searchsorted(d.cdf[s], u, side="right")), d.cdf.shape[1] - 1)
        out[s, m : m + int(d.months[s, k])] = d.loss[s]
    return out
