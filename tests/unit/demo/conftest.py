from __future__ import annotations

import pytest

from kuznia.demo import DemoWorld, generate


@pytest.fixture(scope="session")
def small() -> DemoWorld:
    return generate("small", 1)


@pytest.fixture(scope="session")
def national() -> DemoWorld:
    return generate("national", 1)
