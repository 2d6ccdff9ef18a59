"""Benchmark of the allocation engine (a script that prints figures, not a timed test).

For each scale, in a fresh process so that peak memory is that scale's own: build, solve and
extraction seconds, peak RSS, model size, value against the greedy baseline, two what-if
re-plans (the largest pledge cut by 10 %; a mid-size pledge given a capability earmark),
warm-started, as a share of the cold time, the same instance through the naive PuLP/CBC
formulation of tests/support/reference.py, and the targets of issue 3 with PASS/MISS.

Scales: kuznia.demo's small, national and stress; ``lumpy``: generated small scenarios of few
expensive units (tests/support/factory.lumpy_scenario: unit costs 40k-2.5M, 1-6 units a
month, setups up to 3M, minimum lots 2-12, needs of 1-14 units; ``LUMPY_SEEDS`` seeds at
``LUMPY_SIZE``), each planned and compared with the exact optimum of the naive formulation
solved by HiGHS (gap 0), against the targets of issue 13 (within 0.1 %, at most 2 s each); and
``mid``: the national demo (same seed) cut
to its first 3 capabilities, with only their lines and needs and all pledges (earmarks
untouched; a pledge for none of them has nothing to pay): ~300 lines, 26 needs, 36 months, a
naive model of ~400k variables that CBC solves in one to two minutes, so that the speed ratio is
measured, not bounded. It is not in the default list (it would take the run past 10 minutes).
``joint``: national with ~150 generated capacity projects and investment pledges, its joint plan
beside the plain national plan in the same process, and ``kuznia plan``'s wall time beside the
plan's own total (``benchmarks/joint.py``).

The reference runs in a child process (its own session, killed with its CBC at the cap) under
an address-space limit, with the parent also watching the resident memory of the child and CBC.
The cap is 10 x our cold plan's total seconds, at least 60 s (600 s for mid), or
``--reference-cap``: if CBC has not finished by then, ours is more than cap/ours times faster,
and the output says how far PuLP/CBC got. It is not run above ``--reference-max-variables``
(default 5M, which skips stress).

    uv run python benchmarks/plan.py                 # small national stress
    uv run python benchmarks/plan.py lumpy           # 20 lumpy scenarios against the exact MILP
    uv run python benchmarks/plan.py small mid national
    uv run python benchmarks/plan.py national --threads 2
    uv run python benchmarks/plan.py national --reference-cap 900
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from joint import joint_figures, print_joint

ROOT = Path(__file__).resolve().parent.parent
SCALES = ["small", "lumpy", "mid", "national", "stress", "joint"]
DEFAULT_SCALES = ["small", "national", "stress", "joint"]  # ~13 minutes; mid adds ~2.5
MID_CAPABILITIES = 3  # first capabilities of national kept in "mid"; 4 takes CBC > 5 minutes
REFERENCE_MAX_VARIABLES = 5_000_000  # national has ~3.5M, stress ~24M
REFERENCE_MIN_CAP = 60.0  # seconds; 10 x a sub-second plan would not let CBC start
REFERENCE_MIN_CAP_MID = 600.0  # mid is there for a measured ratio: let CBC finish
REFERENCE_MEMORY_GIB = 12.0
NATIONAL_TOTAL_S, STRESS_TOTAL_S, OVERHEAD_SHARE, WHAT_IF_SHARE, SPEEDUP = 10, 60, 0.2, 0.3, 10
LUMPY_SEEDS = 20
LUMPY_SIZE = {"lines": 12, "needs": 10, "pledges": 4, "horizon": 12, "caps": 3}
LUMPY_GAP, LUMPY_SECONDS, LUMPY_REFERENCE_CAP = 1e-3, 2.0, 120.0


def scenario(scale: str, seed: int) -> Any:
    from kuznia.demo import generate

    if scale != "mid":
        return generate(scale, seed).scenario  # type: ignore[arg-type]
    s = generate("national", seed).scenario
    keep = {c.id for c in s.capabilities[:MID_CAPABILITIES]}
    return s.model_copy(
        update={
            "capabilities": tuple(c for c in s.capabilities if c.id in keep),
            "requirements": tuple(r for r in s.requirements if r.capability in keep),
            "proposals": tuple(p for p in s.proposals if p.capability in keep),
        }
    )


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


def _base_amount(s: Any, g: Any) -> Decimal:
    return g.amount * Decimal(s.fx_rate(g.currency))


def _what_if(s: Any) -> tuple[Any, str]:
    """The same scenario with the largest pledge cut by 10 % (a typical what-if)."""
    biggest = max(s.pledges, key=lambda g: _base_amount(s, g))
    cut = biggest.model_copy(
        update={"amount": (biggest.amount * Decimal("0.9")).quantize(Decimal("0.01"))}
    )
    pledges = tuple(cut if g.id == biggest.id else g for g in s.pledges)
    return s.model_copy(update={"pledges": pledges}), biggest.id


def _earmark(s: Any) -> tuple[Any, str, str]:
    """The same scenario with a new earmark: the median (in base money) of the pledges without a
    capability restriction may pay only for the first half of the capabilities that have needs."""
    free = sorted((g for g in s.pledges if not g.capabilities), key=lambda g: _base_amount(s, g))
    pledge = free[len(free) // 2]
    needed = {r.capability for r in s.requirements}
    caps = [c.id for c in s.capabilities if c.id in needed]
    caps = caps[: max(1, len(caps) // 2)]
    earmarked = pledge.model_copy(update={"capabilities": tuple(caps)})
    pledges = tuple(earmarked if g.id == pledge.id else g for g in s.pledges)
    change = f"earmarked to {len(caps)} of {len(s.capabilities)} capabilities"
    return s.model_copy(update={"pledges": pledges}), pledge.id, change


def _replan(changed: Any, cold: Any, options: Any) -> tuple[dict[str, Any], Any]:
    """Warm re-plan of a changed scenario from the cold plan, and a cold one to compare."""
    from kuznia.allocation import plan_scenario

    t = time.perf_counter()
    warm = plan_scenario(changed, "0" * 64, options, cold.warm, baseline=False)
    warm_seconds = time.perf_counter() - t
    t = time.perf_counter()
    cold_changed = plan_scenario(changed, "0" * 64, options, baseline=False)
    cold_changed_seconds = time.perf_counter() - t
    figures = {
        "warm_s": warm_seconds,
        "cold_s": cold_changed_seconds,
        "warm_value": warm.plan.value,
        "cold_value": cold_changed.plan.value,
        "warm_gap": warm.plan.solver.mip_gap,
        "warm_method": warm.plan.solver.method,
    }
    return figures, warm.plan


def one(scale: str, seed: int, threads: int, time_limit: float, ref: dict[str, Any]) -> dict:
    """Run one scale in this process (the reference in a child) and return its figures."""
    from kuznia.allocation import SolverOptions, plan_scenario
    from kuznia.plancheck import check_plan

    s = scenario(scale, seed)
    options = SolverOptions(time_limit=time_limit, threads=threads)
    cold = plan_scenario(s, "0" * 64, options)
    plan = cold.plan
    changed, pledge_id = _what_if(s)
    what_if, warm_plan = _replan(changed, cold, options)
    earmarked, earmark_id, change = _earmark(s)
    what_if_earmark, earmark_plan = _replan(earmarked, cold, options)
    violations = (
        len(check_plan(s, plan))
        + len(check_plan(changed, warm_plan))
        + len(check_plan(earmarked, earmark_plan))
    )
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
        "what_if": {"pledge": pledge_id, **what_if},
        "what_if_earmark": {"pledge": earmark_id, "change": change, **what_if_earmark},
        "violations": violations,
    }
    # our peak before the reference; the reference's own peaks are measured in its processes
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["reference"] = _reference(s, plan.timings_s.total, {**ref, "scale": scale})
    return out


def lumpy(threads: int, time_limit: float) -> dict[str, Any]:
    """Each lumpy scenario: our plan (status, gap, seconds, value) and the exact optimum of the
    naive formulation (HiGHS through PuLP, gap 0, at most ``LUMPY_REFERENCE_CAP`` seconds)."""
    sys.path.insert(0, str(ROOT))
    from kuznia.allocation import SolverOptions, plan_scenario
    from kuznia.plancheck import check_plan
    from tests.support.factory import lumpy_scenario
    from tests.support.reference import solve_reference

    options = SolverOptions(time_limit=time_limit, threads=threads)
    rows = []
    for seed in range(LUMPY_SEEDS):
        s = lumpy_scenario(seed, **LUMPY_SIZE)
        t = time.perf_counter()
        plan = plan_scenario(s, "0" * 64, options).plan
        seconds = time.perf_counter() - t
        ref = solve_reference(s, LUMPY_REFERENCE_CAP, 0.0, solver="highs")
        rows.append(
            {
                "seed": seed,
                "lines": len(s.proposals),
                "status": plan.status.value,
                "method": plan.solver.method,
                "gap": plan.solver.mip_gap,
                "seconds": seconds,
                "value": plan.value,
                "exact": ref.value,
                "exact_status": ref.status,
                "exact_seconds": ref.seconds,
                "violations": len(check_plan(s, plan)),
            }
        )
    return {"scale": "lumpy", "size": LUMPY_SIZE, "rows": rows}


def _print_lumpy(r: dict[str, Any]) -> None:
    rows = r["rows"]
    print(f"\n== lumpy: {len(rows)} scenarios of {r['size']}")
    for x in rows:
        share = x["value"] / x["exact"] if x["exact"] else 1.0
        print(
            f"  seed {x['seed']:2d}: {x['status']:<8} gap {x['gap']:.4%} {x['method']:<12} "
            f"{x['seconds']:5.2f} s  value {x['value']:10.2f} vs exact {x['exact']:10.2f} "
            f"({x['exact_status']}, {x['exact_seconds']:.1f} s): {share:.5f}; "
            f"violations {x['violations']}"
        )
    worst = min((x["value"] / x["exact"] if x["exact"] else 1.0) for x in rows)
    slowest = max(x["seconds"] for x in rows)
    exact = all(x["exact_status"] == "optimal" for x in rows)
    print("  targets (issue 13):")
    print(
        f"    {'every plan within 0.1% of the exact optimum':<44} "
        f"{f'worst {worst:.5f} of it':<44} "
        f"{'PASS' if worst >= 1 - LUMPY_GAP - 1e-9 and exact else 'MISS'}"
    )
    print(
        f"    {'every plan in at most 2 s':<44} {f'slowest {slowest:.2f} s':<44} "
        f"{'PASS' if slowest <= LUMPY_SECONDS else 'MISS'}"
    )


# ---- the PuLP/CBC reference, in a child process with a wall-clock cap and a memory limit ----


def _reference(s: Any, ours: float, opts: dict[str, Any]) -> dict[str, Any]:
    if opts["skip"]:
        return {"skipped": "--no-reference"}
    size = _naive_size(s)
    if size > opts["max_variables"]:
        return {
            "skipped": f"naive PuLP/CBC model has ~{size:,} variables (> "
            f"{opts['max_variables']:,}, --reference-max-variables); not run"
        }
    floor = REFERENCE_MIN_CAP_MID if opts["scale"] == "mid" else REFERENCE_MIN_CAP
    cap = opts["cap"] or max(SPEEDUP * ours, floor)
    out = _run_child(s, cap, opts["memory_gib"])
    out.update(cap_s=cap, ours_s=ours, naive_variables=size, memory_limit_gib=opts["memory_gib"])
    if out["outcome"] == "finished":
        out["speedup"] = out["seconds"] / ours if ours else None
    return out


def _run_child(s: Any, cap: float, memory_gib: float) -> dict[str, Any]:
    """Run solve_reference in a child; kill it (and CBC) at the cap or over the memory limit.

    The cap counts from the child's first progress line ("building the PuLP model"), so that
    neither starting Python nor reading the scenario is charged to PuLP/CBC.
    """
    limit = int(memory_gib * 2**30)
    with tempfile.TemporaryDirectory(prefix="kuznia-ref-") as tmp:
        path, log = Path(tmp, "scenario.json"), Path(tmp, "cbc.log")
        path.write_text(s.model_dump_json())
        cmd = [sys.executable, __file__, "--reference-child", str(path), "--cbc-log", str(log)]
        cmd += ["--time-limit", str(cap), "--memory-gib", str(memory_gib)]
        env = {**os.environ, "TMPDIR": tmp, "TMP": tmp}  # PuLP's MPS and solution files
        child = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        launched = time.perf_counter()
        phases: list[tuple[float, str]] = []  # (seconds since launch, message)
        stderr: list[str] = []  # anything else the child said (a traceback)
        reader = threading.Thread(target=_read_progress, args=(child, launched, phases, stderr))
        reader.start()
        peaks: dict[int, tuple[str, int]] = {}  # pid -> (command, peak RSS in kB)
        outcome, rss_at_kill, cbc_from = None, 0, None
        while child.poll() is None:
            time.sleep(0.25)
            now = time.perf_counter() - launched
            rss = 0
            for pid in _process_tree(child.pid):
                name, current, peak = _memory(pid)
                if name:
                    rss += current
                    peaks[pid] = (name, max(peak, peaks.get(pid, (name, 0))[1]))
                    if pid != child.pid and cbc_from is None and "cbc" in name.lower():
                        cbc_from = now
            started = phases[0][0] if phases else None
            if rss * 1024 > limit:
                outcome, rss_at_kill = "memory", rss
            elif started is not None and now - started > cap:
                outcome = "cap"
            elif started is None and now > 300:
                outcome = "did not start"
            if outcome:
                os.killpg(child.pid, signal.SIGKILL)  # the child and its CBC
                break
        child.wait()
        elapsed = time.perf_counter() - launched
        reader.join()
        result_line = child.stdout.read().strip().splitlines() if child.stdout else []
        cbc_log = _log_tail(log)
    started = phases[0][0] if phases else 0.0
    out: dict[str, Any] = json.loads(result_line[-1]) if result_line and not outcome else {}
    if not outcome:
        outcome = out.pop("outcome", f"failed (exit {child.returncode})")
    python_peak = max([kb for name, kb in peaks.values() if "cbc" not in name.lower()] + [0])
    cbc_peak = max([kb for name, kb in peaks.values() if "cbc" in name.lower()] + [0])
    out.update(
        outcome=outcome,
        elapsed_s=elapsed - started,
        phases=[(t - started, m) for t, m in phases],
        cbc_started_s=cbc_from - started if cbc_from is not None else None,
        python_peak_mb=max(python_peak / 1024, out.get("python_peak_mb", 0.0)),
        cbc_peak_mb=max(cbc_peak / 1024, out.get("cbc_peak_mb", 0.0)),
        rss_at_kill_mb=rss_at_kill / 1024,
        cbc_log=cbc_log,
    )
    if outcome not in ("finished", "cap", "memory") and stderr:
        out.setdefault("error", stderr[-1][:300])
    if outcome not in ("finished", "cap", "memory") and "alloc" in (cbc_log + str(out)).lower():
        out["outcome"] = "memory"  # CBC (or Python) hit the address-space limit
    return out


def _read_progress(
    child: Any, launched: float, phases: list[tuple[float, str]], stderr: list[str]
) -> None:
    for line in child.stderr:
        if line.startswith("progress: "):
            phases.append((time.perf_counter() - launched, line[len("progress: ") :].strip()))
        elif line.strip():
            stderr.append(line.strip())


def _process_tree(pid: int) -> list[int]:
    """pid and its descendants (Linux /proc); empty where /proc is not there."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _memory(pid: int) -> tuple[str, int, int]:
    """(command, current RSS, peak RSS) in kB, from /proc; ("", 0, 0) if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "", 0, 0
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    kb = lambda key: int(fields.get(key, "0 kB").split()[0])  # noqa: E731
    return fields.get("Name", "?").strip(), kb("VmRSS"), kb("VmHWM")


def _log_tail(log: Path) -> str:
    try:
        lines = [ln.strip() for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return ""
    return lines[-1][:160] if lines else ""


def reference_child(path: str, cbc_log: str, time_limit: float, memory_gib: float) -> None:
    """The child: PuLP/CBC on the scenario at path, progress on stderr, the result on stdout."""
    limit = int(memory_gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # inherited by CBC
    sys.path.insert(0, str(ROOT))
    from kuznia.scenario.model import Scenario
    from tests.support.reference import solve_reference

    s = Scenario.model_validate_json(Path(path).read_text())

    def say(message: str) -> None:
        print(f"progress: {message}", file=sys.stderr, flush=True)

    try:
        ref = solve_reference(s, time_limit, 1e-3, progress=say, log_path=cbc_log)
    except MemoryError:
        print(json.dumps({"outcome": "memory"}))
        return
    except Exception as e:  # CBC failed (e.g. out of memory): say what PuLP said
        print(json.dumps({"outcome": "error", "error": f"{type(e).__name__}: {e}"}))
        return
    usage = lambda who: resource.getrusage(who).ru_maxrss / 1024  # noqa: E731
    result = {
        "outcome": "finished",
        "status": ref.status,
        "value": ref.value,
        "seconds": ref.seconds,
        "variables": ref.variables,
        "constraints": ref.constraints,
        "python_peak_mb": usage(resource.RUSAGE_SELF),
        "cbc_peak_mb": usage(resource.RUSAGE_CHILDREN),
    }
    print(json.dumps(result))


# ---- printing ----


def _print(r: dict[str, Any]) -> None:
    t, m, c, e = r["timings"], r["model"], r["what_if"], r["what_if_earmark"]
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
    for label, w in ((f"{c['pledge']} -10%", c), (f"{e['pledge']} {e['change']}", e)):
        print(
            f"  what-if ({label}): warm {w['warm_s']:.2f}s = "
            f"{w['warm_s'] / t['total']:.0%} of cold plan, {w['warm_s'] / w['cold_s']:.0%} of a "
            f"cold re-plan ({w['cold_s']:.2f}s); value warm {w['warm_value']:,.1f} vs cold "
            f"{w['cold_value']:,.1f} (warm gap {w['warm_gap']:.4%}, {w['warm_method']})"
        )
    _print_reference(r["reference"], r["value"])
    print("  targets (issue 3):")
    for target, figure, ok in _targets(r):
        print(f"    {target:<44} {figure:<44} {ok}")


def _print_reference(ref: dict[str, Any], ours_value: float) -> None:
    if "skipped" in ref:
        print(f"  PuLP/CBC: skipped: {ref['skipped']}")
        return
    cap, ours, outcome = ref["cap_s"], ref["ours_s"], ref["outcome"]
    if outcome == "finished":
        diff = (ours_value - ref["value"]) / ref["value"] if ref["value"] else 0.0
        print(
            f"  PuLP/CBC: {ref['status']} value {ref['value']:,.1f} in {ref['seconds']:.2f}s "
            f"({ref['variables']:,} vars, {ref['constraints']:,} rows): ours is "
            f"{ref['speedup']:.1f}x faster"
        )
        print(f"    CBC finished within the {cap:.0f} s cap; our value vs CBC's: {diff:+.3%}")
    elif outcome == "cap":
        print(
            f"  PuLP/CBC: did not finish within {cap:.0f} s (our plan: {ours:.2f} s) => ours is "
            f"more than {cap / ours:.0f}x faster"
        )
    elif outcome == "memory":
        print(
            f"  PuLP/CBC: ran out of the {ref['memory_limit_gib']:g} GiB memory limit after "
            f"{ref['elapsed_s']:.0f} s (cap {cap:.0f} s; our plan: {ours:.2f} s)"
        )
    else:
        print(f"  PuLP/CBC: {outcome} after {ref['elapsed_s']:.0f} s: {ref.get('error', '')}")
    print(f"    how far: {_how_far(ref)}")
    print(
        f"    peak RSS: PuLP (Python) {ref['python_peak_mb']:,.0f} MB, CBC "
        + (f"{ref['cbc_peak_mb']:,.0f} MB" if ref["cbc_peak_mb"] else "not started")
        + f" (limit {ref['memory_limit_gib']:g} GiB together"
        + (
            f"; {ref['rss_at_kill_mb']:,.0f} MB together when killed)"
            if ref["rss_at_kill_mb"]
            else ")"
        )
    )


def _how_far(ref: dict[str, Any]) -> str:
    """Which phase PuLP/CBC reached and how long each took (seconds from the model's start)."""
    end, finished = ref["elapsed_s"], ref["outcome"] == "finished"
    built = next(((t, m) for t, m in ref["phases"] if m.startswith("model built")), None)
    if built is None:
        last = ref["phases"][-1][1] if ref["phases"] else "nothing reported"
        return f"PuLP still building the model at {end:.0f} s (last step: {last})"
    size = built[1].split(": ", 1)[-1].split(";")[0]
    steps = [f"PuLP built the model in {built[0]:.1f} s ({size})"]
    cbc, returned = ref["cbc_started_s"], [t for t, m in ref["phases"] if m.startswith("CBC ret")]
    if cbc is None and not finished:
        steps.append(f"still writing the MPS file for CBC at {end:.0f} s")
    elif cbc is None:
        steps.append(f"MPS file and CBC {returned[-1] - built[0]:.1f} s")
    else:
        stop = returned[-1] if returned else end
        steps += [f"wrote the MPS file in {cbc - built[0]:.1f} s", f"CBC ran {stop - cbc:.1f} s"]
        if not finished:
            steps[-1] += " and was still solving when stopped"
    if not finished and ref["cbc_log"]:
        steps.append(f"CBC's last log line: {ref['cbc_log']!r}")
    return ", ".join(steps)


def _targets(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(target, measured figure, PASS/MISS) for the targets of issue 3 that apply to this scale."""
    t, scale = r["timings"], r["scale"]
    verdict = lambda ok: "PASS" if ok else "MISS"  # noqa: E731
    out = []
    if scale == "national":
        out.append(
            (
                f"national total <= {NATIONAL_TOTAL_S} s",
                f"{t['total']:.2f} s",
                verdict(t["total"] <= NATIONAL_TOTAL_S),
            )
        )
    if scale == "stress":
        out.append(
            (
                f"stress total <= {STRESS_TOTAL_S} s",
                f"{t['total']:.2f} s",
                verdict(t["total"] <= STRESS_TOTAL_S),
            )
        )
    share = (t["build"] + t["extraction"]) / t["total"] if t["total"] else 0.0
    out.append(
        (
            f"build+extraction <= {OVERHEAD_SHARE:.0%} of total",
            f"{share:.0%}",
            verdict(share <= OVERHEAD_SHARE),
        )
    )
    for key, label in (("what_if", "pledge -10%"), ("what_if_earmark", "earmark")):
        warm = r[key]["warm_s"] / t["total"] if t["total"] else 0.0
        out.append(
            (
                f"what-if warm re-plan <= {WHAT_IF_SHARE:.0%} of cold plan",
                f"{warm:.0%} ({label})",
                verdict(warm <= WHAT_IF_SHARE),
            )
        )
    target = f">= {SPEEDUP}x faster than PuLP/CBC" + (
        " (on national)" if scale == "national" else ""
    )
    out.append((target, *_speedup(r["reference"])))
    return out


def _speedup(ref: dict[str, Any]) -> tuple[str, str]:
    if "skipped" in ref:
        return "not measured (reference skipped)", "n/a"
    if ref["outcome"] == "finished":
        x = ref["speedup"]
        return f"{x:.1f}x (CBC {ref['seconds']:.1f} s)", "PASS" if x >= SPEEDUP else "MISS"
    bound = ref["elapsed_s"] / ref["ours_s"]  # CBC had not finished after elapsed_s
    figure = f"> {bound:.1f}x (PuLP/CBC stopped at {ref['elapsed_s']:.0f} s: {ref['outcome']})"
    if bound >= SPEEDUP:
        return figure, "PASS"
    return figure, "n/a (stopped before 10x ours: not measured)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("scales", nargs="*", default=DEFAULT_SCALES, help=" ".join(SCALES))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument(
        "--reference-cap",
        type=float,
        metavar="SECONDS",
        help="wall-clock cap of PuLP/CBC (default: 10 x our cold plan, at least 60 s; mid 600 s)",
    )
    ap.add_argument("--no-reference", action="store_true", help="do not run PuLP/CBC")
    ap.add_argument("--reference-memory-gib", type=float, default=REFERENCE_MEMORY_GIB)
    ap.add_argument("--reference-max-variables", type=int, default=REFERENCE_MAX_VARIABLES)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--reference-child", help=argparse.SUPPRESS)
    ap.add_argument("--cbc-log", help=argparse.SUPPRESS)
    ap.add_argument("--memory-gib", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.reference_child:
        reference_child(args.reference_child, args.cbc_log, args.time_limit, args.memory_gib)
        return
    ref = {
        "skip": args.no_reference,
        "cap": args.reference_cap,
        "memory_gib": args.reference_memory_gib,
        "max_variables": args.reference_max_variables,
    }
    if args.one == "lumpy":
        print(json.dumps(lumpy(args.threads, args.time_limit)))
        return
    if args.one == "joint":
        print(json.dumps(joint_figures(args.seed, args.threads, args.time_limit)))
        return
    if args.one:
        print(json.dumps(one(args.one, args.seed, args.threads, args.time_limit, ref)))
        return
    for scale in args.scales:
        cmd = [sys.executable, __file__, "--one", scale, "--seed", str(args.seed)]
        cmd += ["--threads", str(args.threads), "--time-limit", str(args.time_limit)]
        cmd += ["--reference-memory-gib", str(args.reference_memory_gib)]
        cmd += ["--reference-max-variables", str(args.reference_max_variables)]
        if args.reference_cap is not None:
            cmd += ["--reference-cap", str(args.reference_cap)]
        if args.no_reference:
            cmd.append("--no-reference")
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
        if done.returncode != 0:
            print(f"\n== {scale}: failed\n{done.stderr[-2000:]}")
            continue
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        if scale == "lumpy":
            _print_lumpy(figures)
        elif scale == "joint":
            print_joint(figures)
        else:
            _print(figures)


if __name__ == "__main__":
    main()
