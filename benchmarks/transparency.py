"""Transparency core figures: appends per second, proof times and memory at a million leaves.

Run: ``uv run python benchmarks/transparency.py [--leaves 1000000] [--batch 1000]``.
Pure in-memory part only (``TreeLevels``); the database-backed store is measured separately.
Prints figures; it asserts nothing about them.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable

from kuznia.transparency import (
    Checkpoint,
    TreeLevels,
    audit_leaves,
    canonical_json,
    generate_private_key,
    leaf_hash,
    open_checkpoint,
    sign_checkpoint,
    verifier_for,
    verify_consistency,
    verify_inclusion,
)


def record(seq: int) -> dict[str, object]:
    """A leaf shaped like a logged state change (about 200 bytes of canonical JSON)."""
    return {
        "seq": seq,
        "entity": "delivery",
        "id": f"delivery-{seq}",
        "change": "recorded",
        "contract": f"contract-{seq % 977}",
        "units": str(seq % 500),
        "at": "2025-01-01T00:00:00Z",
        "actor": "company-17",
    }


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def append_figures(leaves: list[bytes], batch: int) -> TreeLevels:
    tree = TreeLevels()
    start = time.perf_counter()
    for offset in range(0, len(leaves), batch):
        tree.append_leaves(leaves[offset : offset + batch])
    seconds = time.perf_counter() - start
    print(f"append {len(leaves):,} leaves in batches of {batch:,}: {seconds:.2f} s, "
          f"{len(leaves) / seconds:,.0f} leaves/s (leaf hash + all levels)")  # fmt: skip
    return tree


def per_call(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return f"median {statistics.median(ordered) * 1e6:,.0f} us, p99 {p99 * 1e6:,.0f} us"


def inclusion_figures(tree: TreeLevels, leaves: list[bytes], rounds: int) -> None:
    size, rng = tree.size(), random.Random(1)
    root = tree.root()
    generate, verify = [], []
    for _ in range(rounds):
        index = rng.randrange(size)
        start = time.perf_counter()
        proof = tree.inclusion_proof(index)
        generate.append(time.perf_counter() - start)
        digest = leaf_hash(leaves[index])
        verify.append(timed(lambda: verify_inclusion(index, size, digest, proof, root)))  # noqa: B023
    print(f"inclusion proof at {size:,} leaves ({len(proof)} hashes): "
          f"generate {per_call(generate)}; verify {per_call(verify)}")  # fmt: skip


def consistency_figures(tree: TreeLevels, rounds: int) -> None:
    size, rng = tree.size(), random.Random(2)
    new_root = tree.root()
    generate, verify = [], []
    for _ in range(rounds):
        old = rng.randrange(1, size)
        start = time.perf_counter()
        proof = tree.consistency_proof(old)
        generate.append(time.perf_counter() - start)
        old_root = tree.root(old)
        verify.append(timed(lambda: verify_consistency(old, size, old_root, new_root, proof)))  # noqa: B023
    print(f"consistency proof old -> {size:,}: generate {per_call(generate)}; "
          f"verify {per_call(verify)}")  # fmt: skip
    past = [timed(lambda: tree.root(rng.randrange(size))) for _ in range(rounds)]
    print(f"root of a past size: {per_call(past)}")


def checkpoint_figures(tree: TreeLevels, rounds: int) -> None:
    key = generate_private_key()
    vkey = verifier_for("kuznia.example/log", key).vkey
    checkpoint = Checkpoint("kuznia.example/log", tree.size(), tree.root())
    sign = [timed(lambda: sign_checkpoint(checkpoint, key)) for _ in range(rounds)]
    signed = sign_checkpoint(checkpoint, key)
    verify = [timed(lambda: open_checkpoint(signed, vkey)) for _ in range(rounds)]
    print(f"checkpoint: sign {per_call(sign)}; parse + verify with the vkey {per_call(verify)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=1_000)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}")

    start = time.perf_counter()
    leaves = [canonical_json(record(i)) for i in range(args.leaves)]
    seconds = time.perf_counter() - start
    print(f"canonical JSON for {args.leaves:,} records: {seconds:.2f} s, "
          f"{args.leaves / seconds:,.0f} records/s, {len(leaves[-1])} bytes each")  # fmt: skip

    tree = append_figures(leaves, args.batch)
    print(f"memory: tree levels {tree.memory_bytes() / 2**20:,.1f} MiB "
          f"({tree.memory_bytes() / tree.size():.0f} bytes/leaf); "
          f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB "
          "(includes the leaves themselves)")  # fmt: skip
    inclusion_figures(tree, leaves, args.rounds)
    consistency_figures(tree, args.rounds)
    checkpoint_figures(tree, args.rounds)

    checkpoints = [Checkpoint("kuznia.example/log", n, tree.root(n)) for n in (1, tree.size())]
    seconds = timed(lambda: audit_leaves(leaves, checkpoints=checkpoints))
    print(f"audit (recompute the tree from every leaf, streaming): {seconds:.2f} s, "
          f"{len(leaves) / seconds:,.0f} leaves/s")  # fmt: skip


if __name__ == "__main__":
    main()
