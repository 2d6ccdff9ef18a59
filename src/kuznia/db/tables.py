"""Imports every table module so that ``Base.metadata`` knows them all (migrations, tests).

Add a line here for each new module of tables.
"""

from kuznia.db import (
    contracting,  # noqa: F401
    identity,  # noqa: F401
    jobs,  # noqa: F401
    kernel,  # noqa: F401
    planning,  # noqa: F401
    registries,  # noqa: F401
    resilience,  # noqa: F401
    transparency,  # noqa: F401
)
from kuznia.db.base import Base
from kuznia.db.bounds import attach

metadata = Base.metadata
attach(metadata)  # the bounds of scenario/bounds.py as CHECK constraints
