from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kuznia.demo import DemoWorld, generate
from kuznia.scenario.io import dump_scenario


@pytest.mark.parametrize("scale", ["small", "national"])
def test_the_same_scale_and_seed_give_the_same_scenario_bytes(scale: str) -> None:
    first = dump_scenario(generate(scale, 7).scenario)  # type: ignore[arg-type]
    second = dump_scenario(generate(scale, 7).scenario)  # type: ignore[arg-type]
    assert first == second


def test_the_same_seed_gives_the_same_registries(small: DemoWorld) -> None:
    again = generate("small", 1)
    assert again.partners == small.partners
    assert again.companies == small.companies
    assert again.sites == small.sites
    assert again.investments == small.investments
    assert dict(again.proposal_sites) == dict(small.proposal_sites)


@pytest.mark.parametrize("scale", ["small", "national"])
def test_a_different_seed_gives_a_different_world(scale: str) -> None:
    one = generate(scale, 1)  # type: ignore[arg-type]
    two = generate(scale, 2)  # type: ignore[arg-type]
    assert dump_scenario(one.scenario) != dump_scenario(two.scenario)
    assert one.sites != two.sites


def test_an_unknown_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        generate("huge", 1)  # type: ignore[arg-type]


def test_the_bytes_do_not_depend_on_the_interpreters_hash_seed() -> None:
    code = (
        "import hashlib, sys; from kuznia.demo import generate; "
        "from kuznia.scenario.io import dump_scenario; w = generate('small', 3); "
        "sys.stdout.write(hashlib.sha256(dump_scenario(w.scenario) + repr("
        "(w.companies, w.sites, w.investments, sorted(w.proposal_sites.items()))"
        ").encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
