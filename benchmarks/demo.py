"""Demo generation figures: how long the deterministic generator takes per scale (it runs in
``kuznia start`` before anything is shown), beside the small scale measured in the same run.

Run: ``uv run python benchmarks/demo.py``. Targets: national <= 2 s, stress <= 6 s. Prints
figures; asserts nothing about them.
"""

from __future__ import annotations

import statistics
import time

from kuznia.demo import generate

TARGETS = {"national": 2.0, "stress": 6.0}


def timed(scale: str, runs: int) -> float:
    """The median wall time of ``runs`` generations of ``scale`` (seed 11)."""
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        generate(scale, 11)  # type: ignore[arg-type]
        seconds.append(time.perf_counter() - began)
    return statistics.median(seconds)


def main() -> None:
    small = timed("small", 5)
    print(f"small (baseline, same run): {small:.3f} s")
    for scale, target in TARGETS.items():
        took = timed(scale, 3)
        verdict = "PASS" if took <= target else "MISS"
        print(
            f"{scale}: {took:.2f} s = {took / small:.0f}x small; target <= {target:.0f} s {verdict}"
        )


if __name__ == "__main__":
    main()
