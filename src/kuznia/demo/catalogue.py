"""The capability catalogue: what Ukraine's forces need, with indicative unit prices.

Categories follow the capability coalitions and typical categories of demo-facts.md. Unit prices
are indicative EUR figures: FPV drone ~$500-600, interceptor drone $3.5-5k, long-range strike drone
~$50-60k, naval drone ~$200k, 155 mm shell ~EUR 4-5k, wheeled howitzer ~$2.5m (demo-facts.md);
the rest are rounded public orders of magnitude. A production line of a category makes, per month,
about ``line_value_eur`` worth of its product (the line's size, drawn around it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Category:
    """How lines and needs of one capability category look.

    ``lead``/``ramp``: month ranges for a line in Ukraine; ``setup_share``: share of lines with a
    one-off setup cost of ``setup_months`` (range) of monthly output value; ``min_share`` and
    ``min_months`` the same for ``min_total_units``; ``demand_ratio``: needs over the horizon per
    unit of declared capacity; ``importance``: value points per EUR 1,000 of unit price.
    """

    id: str
    name: str
    stem: str
    line_value_eur: float
    lead: tuple[int, int]
    ramp: tuple[int, int]
    setup_share: float
    setup_months: tuple[float, float]
    min_share: float
    min_months: tuple[float, float]
    demand_ratio: float
    importance: float
    ua_firm_weight: float
    foreign_firm_weight: float


@dataclass(frozen=True, slots=True)
class CapabilitySpec:
    id: str
    name: str
    unit: str
    category: str
    price_eur: float
    base: str


# Tables of data: one row per line reads better than the formatter's one value per line.
# fmt: off
CATEGORIES: tuple[Category, ...] = (
    # id, name, company name stem,
    #   line value EUR/month, lead, ramp, setup share and months, min-run share and months,
    #   demand ratio, importance, weight among Ukrainian firms, weight among foreign firms
    Category("fpv-bomber-drones", "FPV and bomber drones", "Drone Works",
             2.8e5, (0, 2), (1, 3), 0.2, (0.5, 2), 0.25, (0.5, 2), 0.7, 1.0, 33, 2),
    Category("interceptor-drones", "Interceptor drones", "Interceptor Systems",
             2.4e5, (0, 2), (1, 3), 0.25, (0.5, 2), 0.25, (0.5, 2), 1.4, 1.3, 9, 2),
    Category("recon-drones", "Reconnaissance drones", "Aerial Reconnaissance",
             2.4e5, (0, 3), (1, 3), 0.25, (0.5, 2), 0.25, (0.5, 2), 0.8, 0.9, 10, 3),
    Category("long-range-strike", "Long-range strike drones and missiles", "Strike Systems",
             1.4e6, (1, 5), (2, 4), 0.5, (1, 4), 0.4, (1, 3), 0.9, 1.2, 6, 4),
    Category("naval-drones", "Naval drones", "Maritime Robotics",
             7e5, (2, 5), (2, 4), 0.4, (1, 3), 0.35, (1, 3), 0.8, 1.0, 3, 2),
    Category("artillery-ammunition", "Artillery ammunition", "Munitions Plant",
             7e5, (2, 6), (3, 6), 0.6, (2, 6), 0.45, (2, 5), 1.1, 1.0, 10, 22),
    Category("artillery-systems", "Artillery systems", "Artillery Systems",
             1.9e6, (4, 10), (4, 8), 0.7, (3, 8), 0.55, (3, 6), 0.7, 0.9, 4, 12),
    Category("air-defence-interceptors", "Air-defence interceptors", "Air Defence Systems",
             1.9e6, (6, 14), (4, 8), 0.7, (3, 8), 0.55, (3, 6), 1.6, 1.1, 4, 16),
    Category("electronic-warfare", "Electronic warfare", "Electronics",
             1.9e5, (0, 2), (1, 3), 0.2, (0.5, 2), 0.2, (0.5, 2), 0.8, 1.0, 10, 7),
    Category("armoured-vehicles", "Armoured vehicles", "Armour Works",
             1.4e6, (3, 8), (3, 6), 0.6, (2, 6), 0.45, (2, 5), 0.6, 0.7, 6, 16),
    Category("ground-robots", "Ground robots", "Robotics",
             2.8e5, (0, 3), (1, 3), 0.25, (0.5, 2), 0.25, (0.5, 2), 0.9, 1.0, 8, 4),
    Category("demining", "Demining", "Demining Technologies",
             2.4e5, (1, 4), (1, 4), 0.3, (1, 3), 0.3, (1, 3), 0.5, 0.8, 6, 10),
)

_CATALOGUE: dict[str, tuple[tuple[str, str, str, float], ...]] = {
    # category: (id, name, unit, indicative unit price in EUR)
    "fpv-bomber-drones": (
        ("fpv-7in", "FPV strike drone, 7-inch", "drone", 480.0),
        ("fpv-10in", "FPV strike drone, 10-inch", "drone", 550.0),
        ("fpv-fibre-optic", "Fibre-optic FPV drone", "drone", 900.0),
        ("fpv-thermal", "FPV drone with thermal camera", "drone", 800.0),
        ("bomber-heavy", "Heavy bomber multicopter", "drone", 15000.0),
        ("bomber-quad", "Drop-munition quadcopter", "drone", 2500.0),
        ("fpv-warhead-kit", "FPV warhead kit", "kit", 60.0),
    ),
    "interceptor-drones": (
        ("interceptor-quad", "Interceptor drone, quadcopter", "drone", 3300.0),
        ("interceptor-fixed-wing", "Interceptor drone, fixed-wing", "drone", 4600.0),
        ("interceptor-radar-guided", "Interceptor drone, radar-cued", "drone", 4400.0),
        ("interceptor-ai-terminal", "Interceptor drone, AI terminal guidance", "drone", 4000.0),
    ),
    "recon-drones": (
        ("recon-quad", "Reconnaissance quadcopter", "drone", 2000.0),
        ("recon-fixed-wing", "Reconnaissance fixed-wing drone", "drone", 35000.0),
        ("recon-long-endurance", "Long-endurance reconnaissance drone", "drone", 150000.0),
        ("recon-tethered", "Tethered observation drone", "drone", 20000.0),
    ),
    "long-range-strike": (
        ("lr-strike-drone", "Long-range strike drone", "drone", 52000.0),
        ("lr-jet-drone", "Jet-powered long-range strike drone", "drone", 300000.0),
        ("lr-missile-drone", "Missile-drone", "missile", 400000.0),
        ("lr-cruise-missile", "Long-range cruise missile", "missile", 900000.0),
        ("lr-ballistic-missile", "Ballistic missile", "missile", 1500000.0),
    ),
    "naval-drones": (
        ("usv-strike", "Strike naval drone", "boat", 185000.0),
        ("usv-recon", "Reconnaissance naval drone", "boat", 120000.0),
        ("usv-carrier", "Drone-carrier naval drone", "boat", 300000.0),
        ("uuv-strike", "Underwater strike drone", "vehicle", 400000.0),
    ),
    "artillery-ammunition": (
        ("shell-155mm", "155 mm artillery shell", "round", 4500.0),
        ("shell-152mm", "152 mm artillery shell", "round", 3500.0),
        ("shell-122mm", "122 mm artillery shell", "round", 2500.0),
        ("mortar-120mm", "120 mm mortar bomb", "round", 900.0),
        ("mortar-82mm", "82 mm mortar bomb", "round", 350.0),
        ("rocket-122mm", "122 mm artillery rocket", "round", 1200.0),
        ("guided-rocket-227mm", "227 mm guided rocket", "round", 150000.0),
        ("charge-155mm", "155 mm modular charge set", "set", 600.0),
    ),
    "artillery-systems": (
        ("howitzer-wheeled-155", "Wheeled self-propelled howitzer, 155 mm", "system", 2300000.0),
        ("howitzer-tracked-155", "Tracked self-propelled howitzer, 155 mm", "system", 4000000.0),
        ("mortar-system-120", "120 mm mortar system", "system", 90000.0),
        ("mlrs-launcher-122", "122 mm rocket launcher vehicle", "system", 1500000.0),
        ("barrel-155", "155 mm replacement barrel", "system", 250000.0),
    ),
    "air-defence-interceptors": (
        ("sam-long-range", "Long-range air-defence interceptor", "missile", 3700000.0),
        ("sam-medium-range", "Medium-range air-defence interceptor", "missile", 450000.0),
        ("sam-short-range", "Short-range air-defence missile", "missile", 120000.0),
        ("ad-gun-35mm", "35 mm programmable air-defence round", "round", 1000.0),
        ("ad-mobile-gun", "Mobile air-defence gun system", "system", 1500000.0),
    ),
    "electronic-warfare": (
        ("ew-trench", "Trench drone jammer", "system", 1200.0),
        ("ew-vehicle", "Vehicle-mounted EW system", "system", 30000.0),
        ("ew-stationary", "Stationary EW complex", "system", 300000.0),
        ("ew-drone-detector", "Drone detector", "system", 800.0),
        ("ew-gnss-antijam", "GNSS anti-jam module", "system", 2000.0),
    ),
    "armoured-vehicles": (
        ("apc-wheeled", "Wheeled armoured personnel carrier", "vehicle", 900000.0),
        ("mrap", "Mine-protected patrol vehicle", "vehicle", 450000.0),
        ("ifv-overhaul", "Infantry fighting vehicle overhaul", "vehicle", 250000.0),
        ("armoured-ambulance", "Armoured ambulance", "vehicle", 350000.0),
        ("tank-overhaul", "Main battle tank overhaul", "vehicle", 600000.0),
    ),
    "ground-robots": (
        ("ugv-logistics", "Logistics ground robot", "robot", 25000.0),
        ("ugv-combat", "Combat ground robot", "robot", 45000.0),
        ("ugv-casevac", "Casualty-evacuation ground robot", "robot", 30000.0),
        ("ugv-mine-laying", "Mine-laying ground robot", "robot", 35000.0),
    ),
    "demining": (
        ("demining-machine", "Remote-controlled demining machine", "system", 500000.0),
        ("demining-drone", "Mine-detection drone", "system", 10000.0),
        ("demining-kit", "Manual demining kit", "kit", 3000.0),
        ("mine-clearing-charge", "Mine-clearing line charge", "kit", 15000.0),
    ),
}
# fmt: on

CATEGORY: dict[str, Category] = {c.id: c for c in CATEGORIES}
CAPABILITIES: tuple[CapabilitySpec, ...] = tuple(
    CapabilitySpec(i, name, unit, cat, price, i)
    for cat, rows in _CATALOGUE.items()
    for i, name, unit, price in rows
)

# The small world: one capability of each of the most discussed kinds, so every earmark of the
# small pledge set (long-range, air defence, drones, naval) names an existing capability.
SMALL_CAPABILITIES: tuple[str, ...] = (
    "fpv-10in",
    "interceptor-quad",
    "recon-quad",
    "lr-strike-drone",
    "usv-strike",
    "shell-155mm",
    "howitzer-wheeled-155",
    "sam-medium-range",
    "ew-trench",
    "ugv-logistics",
)


def select(ids: tuple[str, ...] | None, variants: int) -> tuple[CapabilitySpec, ...]:
    """The catalogue for a scale: a subset (``ids``) or all, each in ``variants`` blocks.

    Block 2 and 3 variants (stress scale) are dearer versions of the same capability.
    """
    chosen = [c for c in CAPABILITIES if ids is None or c.id in ids]
    out = list(chosen)
    for block in range(2, variants + 1):
        factor = 1 + 0.08 * (block - 1)
        out += [
            CapabilitySpec(
                f"{c.id}-b{block}",
                f"{c.name}, block {block}",
                c.unit,
                c.category,
                round(c.price_eur * factor, 2),
                c.base,
            )
            for c in chosen
        ]
    return tuple(out)
