"""The joint plan (capacity projects) on national, beside the same national plan without them.

``tests/support/national_projects.py`` adds ~150 generated projects (both directions, realistic
capex per unit of monthly capacity) and investment-only pledges (Germany's earmarked for
long-range strike in Ukraine, Denmark's and the UK's for Ukrainian plants on their soil, an EU
instrument, a notional fund, firms' equity) to the national demo. Both plans run in this one
process, alternately, ``ROUNDS`` times each, and each keeps its quickest run (the machine is
shared: one slow spell should not decide the ratio); the value that investment adds is the
joint plan's value less the plain plan's. Then ``kuznia plan``
runs on the plain national file as a user would, its wall time beside the plan's own
``timings_s.total`` (the rest: interpreter start, imports, reading and writing the files).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 2


def joint_figures(seed: int, threads: int, time_limit: float) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from kuznia.allocation import SolverOptions, plan_scenario
    from kuznia.plancheck import check_plan
    from kuznia.scenario.io import dump_scenario, scenario_sha256
    from tests.support.national_projects import national_with_projects

    plain, joint = national_with_projects(seed)
    options = SolverOptions(time_limit=time_limit, threads=threads)
    out: dict[str, Any] = {"projects": len(joint.projects), "pledges": len(joint.pledges)}
    out["investment_pledges"] = len(joint.pledges) - len(plain.pledges)
    for name, s in [("plain", plain), ("joint", joint)] * ROUNDS:
        data = dump_scenario(s)
        start = time.perf_counter()
        plan = plan_scenario(s, scenario_sha256(data), options).plan
        wall = time.perf_counter() - start
        if name in out and out[name]["total"] <= plan.timings_s.total:
            out[name]["totals"].append(plan.timings_s.total)
            continue
        capex = sum(float(r.amount) for r in plan.capex or ())
        reasons: dict[str, int] = {}
        for row in plan.unbuilt or ():
            reasons[row.reason.value] = reasons.get(row.reason.value, 0) + 1
        out[name] = {
            "totals": [*out.get(name, {}).get("totals", []), plan.timings_s.total],
            "wall": wall,
            "total": plan.timings_s.total,
            "value": plan.value,
            "spend": float(plan.total_spend),
            "status": plan.status.value,
            "gap": plan.solver.mip_gap,
            "method": plan.solver.method,
            "model": plan.solver.model,
            "builds": len(plan.builds or ()),
            "capex": capex,
            "unbuilt": reasons,
            "baseline": plan.baseline.value if plan.baseline else None,
            "violations": len(check_plan(s, plan, data)),
        }
    out["cli"] = _cli(dump_scenario(plain), time_limit)
    return out


def _cli(data: bytes, time_limit: float) -> dict[str, float]:
    """``kuznia plan national.json --out plan.json``: wall seconds and the plan's total."""
    with tempfile.TemporaryDirectory() as tmp:
        scenario, plan = Path(tmp) / "national.json", Path(tmp) / "plan.json"
        scenario.write_bytes(data)
        kuznia = Path(sys.executable).parent / "kuznia"
        cmd = [str(kuznia), "plan", str(scenario), "--out", str(plan)]
        start = time.perf_counter()
        subprocess.run([*cmd, "--time-limit", str(time_limit)], check=True, capture_output=True)
        wall = time.perf_counter() - start
        total = json.loads(plan.read_bytes())["timings_s"]["total"]
    return {"wall": wall, "total": total}


def print_joint(r: dict[str, Any]) -> None:
    p, j, cli = r["plain"], r["joint"], r["cli"]
    print(
        f"\n== joint: national + {r['projects']} capacity projects, "
        f"{r['investment_pledges']} investment pledges ({r['pledges']} pledges in all)"
    )
    for name, f in (("plain", p), ("joint", j)):
        print(
            f"  {name}: {f['total']:.1f} s (runs {', '.join(f'{t:.1f}' for t in f['totals'])}), "
            f"value {f['value']:,.0f}, "
            f"spend {f['spend']:,.0f}, {f['status']} gap {f['gap']:.3%}, {f['method']}, "
            f"{f['model'].get('cols', 0):,} cols, plancheck violations {f['violations']}"
        )
    print(
        f"  built {j['builds']} of {r['projects']} (capex {j['capex']:,.0f}); unbuilt "
        f"{j['unbuilt']}; greedy baseline (builds nothing) {j['baseline']:,.0f}"
    )
    ratio = j["total"] / p["total"] if p["total"] else 0.0
    added = j["value"] - p["value"]
    verdict = "PASS" if ratio <= 2.0 else "MISS"
    print(f"  joint / plain time {ratio:.2f}x (target <= 2x: {verdict})")
    print(f"  value investment adds {added:,.0f} points ({added / max(p['value'], 1e-9):.2%})")
    print(
        f"  kuznia plan (plain national): wall {cli['wall']:.1f} s, plan total "
        f"{cli['total']:.1f} s, wall/total {cli['wall'] / cli['total']:.2f}x"
    )
