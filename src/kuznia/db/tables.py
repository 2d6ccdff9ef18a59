"""Imports every table module so that ``Base.metadata`` knows them all (migrations, tests).

Add a line here for each new module of tables.
"""

from kuznia.db import (
    models,  # noqa: F401
    models_identity,  # noqa: F401
    models_ledger,  # noqa: F401
    models_plans,  # noqa: F401
)
from kuznia.db.models import Base

metadata = Base.metadata
