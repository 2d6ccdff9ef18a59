"""Benchmark of the allocation engine (a script that prints figures, not a timed test).

For each scale (kuznia.demo small / national / stress), in a fresh process so that peak memory
is that scale's own: build, solve and extraction seconds, peak RSS, model size, value against the
greedy baseline, a what-if re-plan after changing one pledge (warm-started) as a share of the cold
time, and the same instance through the naive PuLP/CBC formulation (skipped above a size it
cannot finish, and said so).

    uv run python benchmarks/plan.py                 # small national stress
    uv run python benchmarks/plan.py national --threads 2
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_MAX_VARIABLES = 60_000  # naive PuLP/CBC model beyond this does not finish in minutes


def _naive_size(s: Any) -> int:
    """Variables of the naive formulation: units per (pledge, line, month), deliveries per
    (requirement, line, month), production and first-month binaries per (line, month)."""
    from kuznia.allocation.problem import build_problem

    p = build_problem(s)
    per_lm = (p.capacity > 0).astype(int)
    pairs = int((p.eligible.astype(int) @ p.valid.astype(int) * per_lm).sum())
    lines_per_cap = {
        c: int((p.line_capability == c).sum()) for c in set(p.line_capability.tolist())
    }
    deliveries = sum(lines_per_cap.get(int(c), 0) for c in p.req_capability) * p.horizon
    return pairs + deliveries + 2 * int(per_lm.sum())


def _what_if(s: Any) -> Any:
    """The same scenario with the largest pledge cut by 10 % (a typical what-if)."""
    from decimal import Decimal

    biggest = max(s.pledges, key=lambda g: g.amount * Decimal(s.fx_rate(g.currency)))
    cut = biggest.model_copy(
        update={"amount": (biggest.amount * Decimal("0.9")).quantize(Decimal("0.01"))}
    )
    pledges = tuple(cut if g.id == biggest.id else g for g in s.pledges)
    return s.model_copy(update={"pledges": pledges}), biggest.id


def one(scale: str, seed: int, threads: int, time_limit: float) -> dict[str, Any]:
    """Run one scale in this process and return its figures."""
    from kuznia.allocation import SolverOptions, plan_scenario
    from kuznia.demo import generate
    from kuznia.plancheck import check_plan

    sys.path.insert(0, str(ROOT))
    s = generate(scale, seed).scenario  # type: ignore[arg-type]
    options = SolverOptions(time_limit=time_limit, threads=threads)
    cold = plan_scenario(s, "0" * 64, options)
    plan = cold.plan
    changed, pledge_id = _what_if(s)
    t = time.perf_counter()
    warm = plan_scenario(changed, "0" * 64, options, cold.warm, baseline=False)
    warm_seconds = time.perf_counter() - t
    t = time.perf_counter()
    cold_changed = plan_scenario(changed, "0" * 64, options, baseline=False)
    cold_changed_seconds = time.perf_counter() - t
    violations = len(check_plan(s, plan)) + len(check_plan(changed, warm.plan))
    out: dict[str, Any] = {
        "scale": scale,
        "lines": len(s.proposals),
        "pledges": len(s.pledges),
        "needs": len(s.requirements),
        "months": s.horizon_months,
        "status": plan.status.value,
        "gap": plan.solver.mip_gap,
        "method": plan.solver.method,
        "timings": plan.timings_s.model_dump(),
        "model": plan.solver.model,
        "value": plan.value,
        "greedy": plan.baseline.value if plan.baseline else 0.0,
        "spend": str(plan.total_spend),
        "what_if": {
            "pledge": pledge_id,
            "warm_s": warm_seconds,
            "cold_s": cold_changed_seconds,
            "warm_value": warm.plan.value,
            "cold_value": cold_changed.plan.value,
            "warm_gap": warm.plan.solver.mip_gap,
            "warm_method": warm.plan.solver.method,
        },
        "violations": violations,
    }
    out["reference"] = _reference(s, plan.timings_s.total, time_limit)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _reference(s: Any, ours: float, time_limit: float) -> dict[str, Any]:
    size = _naive_size(s)
    if size > REFERENCE_MAX_VARIABLES:
        return {
            "skipped": f"naive PuLP/CBC model has ~{size:,} variables (> "
            f"{REFERENCE_MAX_VARIABLES:,}); CBC cannot finish it, not run"
        }
    from tests.support.reference import solve_reference

    ref = solve_reference(s, time_limit=max(time_limit, 600.0), gap=1e-3)
    return {
        "status": ref.status,
        "value": ref.value,
        "seconds": ref.seconds,
        "variables": ref.variables,
        "constraints": ref.constraints,
        "speedup": ref.seconds / ours if ours else None,
    }


def _print(r: dict[str, Any]) -> None:
    t, m, w = r["timings"], r["model"], r["what_if"]
    overhead = (t["build"] + t["extraction"]) / t["total"] if t["total"] else 0.0
    print(
        f"\n== {r['scale']}: {r['lines']:,} lines, {r['pledges']} pledges, {r['needs']} needs, "
        f"{r['months']} months"
    )
    print(
        f"  status {r['status']} (gap {r['gap']:.4%}, {r['method']}), plancheck violations "
        f"{r['violations']}"
    )
    print(
        f"  seconds: build {t['build']:.2f}  solve {t['solve']:.2f}  extraction "
        f"{t['extraction']:.2f}  baseline {t['baseline']:.2f}  total {t['total']:.2f}  "
        f"(build+extraction {overhead:.0%} of total)"
    )
    print(
        f"  model: {m['rows']:,} rows, {m['cols']:,} cols, {m['nnz']:,} nnz, "
        f"{m['integers']:,} integers; peak RSS {r['peak_rss_mb']:,.0f} MB"
    )
    ratio = r["value"] / r["greedy"] if r["greedy"] else float("inf")
    print(
        f"  value {r['value']:,.1f} vs greedy {r['greedy']:,.1f} ({ratio:.2f}x); spend {r['spend']}"
    )
    print(
        f"  what-if ({w['pledge']} -10%): warm {w['warm_s']:.2f}s = "
        f"{w['warm_s'] / t['total']:.0%} of cold plan, {w['warm_s'] / w['cold_s']:.0%} of a "
        f"cold re-plan ({w['cold_s']:.2f}s); value warm {w['warm_value']:,.1f} vs cold "
        f"{w['cold_value']:,.1f} (warm gap {w['warm_gap']:.4%}, {w['warm_method']})"
    )
    ref = r["reference"]
    if "skipped" in ref:
        print(f"  PuLP/CBC: skipped: {ref['skipped']}")
    else:
        print(
            f"  PuLP/CBC: {ref['status']} value {ref['value']:,.1f} in {ref['seconds']:.2f}s "
            f"({ref['variables']:,} vars, {ref['constraints']:,} rows): ours is "
            f"{ref['speedup']:.1f}x faster"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("scales", nargs="*", default=["small", "national", "stress"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.seed, args.threads, args.time_limit)))
        return
    for scale in args.scales:
        cmd = [
            sys.executable,
            __file__,
            "--one",
            scale,
            "--seed",
            str(args.seed),
            "--threads",
            str(args.threads),
            "--time-limit",
            str(args.time_limit),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
        if done.returncode != 0:
            print(f"\n== {scale}: failed\n{done.stderr[-2000:]}")
            continue
        _print(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
