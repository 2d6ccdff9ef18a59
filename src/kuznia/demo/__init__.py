"""Deterministic, notional demo worlds for kuznia: ``generate(scale, seed) -> DemoWorld``.

A demo world is a planning scenario (``kuznia.scenario/1``) plus the registries behind it
(partners, companies, sites with secret locations, cross-border investments). It is synthetic and
labelled so (every firm is "Notional ..."), but its proportions follow the public figures in
../shared/demo-facts.md:

- **capacity**: about 800 companies at national scale, ~85% Ukrainian (the 800-900 enterprises,
  about 100 of them state-owned, drone makers the largest group), with ~3,000 production lines;
  declared capacity is about EUR 26bn a year, EUR 79bn over the 36 months with lead times and
  ramp-up (2024 output ~$9bn, 2025 capacity claimed ~$35bn).
- **money**: pledged money (pledges whose window meets the horizon) is 30-36% of declared
  capacity value over the horizon (national, seed 1: EUR 24bn of EUR 79bn), the "about one
  third the state can fund" of demo-facts.md. Ukraine's own budget is ~45% of it.
  Pledge templates keep their public relative sizes (Danish model: EU windfall profits ~EUR 1bn,
  Denmark ~130m, Sweden, Norway, Canada, Iceland; Build with Ukraine DKK 500m; PURL ~$500m each;
  Germany's long-range earmark; EU ASAP EUR 500m for ammunition) and are scaled together; at
  national scale the scale factor is close to 1 (Build with Ukraine Denmark ~DKK 490m, PURL
  Netherlands ~$540m).
- **needs**: about 600 requirements over 60 capabilities; needs over the horizon are 0.5-1.6x
  the capacity of their capability (air defence and interceptors most short), so demand is
  about three times what the pledges can buy.
- **prices**: FPV ~EUR 480-550, interceptor drones EUR 3.3-4.6k, long-range strike drone
  ~EUR 52k, naval drone ~EUR 185k, 155 mm shell EUR 4.5k, wheeled howitzer EUR 2.3m
  (catalogue.py); lines abroad cost 1.2-2.2x and ship 1-2 months later; new plants across the
  border (Ukrainian abroad, foreign in Ukraine) start 2-9 months later and mostly carry setup.

Scales: ``small`` (10 capabilities, 40 lines, 20 needs, 8 pledges, 12 months: for tests and the
quick start), ``national`` (as above, 36 months) and ``stress`` (3x national: capabilities in
three blocks, 9,000 lines, 1,800 needs, each pledge in three tranches; the same ~50 partners).
The module is pure: numpy and the scenario models, no web, database or CLI framework.
``kuznia.demo.measures`` states the proportions exactly (Money, base currency).
"""

from kuznia.demo.generator import generate
from kuznia.demo.records import Company, DemoWorld, Investment, Partner, Scale, Site

__all__ = ["Company", "DemoWorld", "Investment", "Partner", "Scale", "Site", "generate"]
