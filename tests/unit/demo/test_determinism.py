from __future__ import annotations

import pytest

from kuznia.demo import DemoWorld, generate
from kuznia.scenario import dump_scenario


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
