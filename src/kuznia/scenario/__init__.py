"""The scenario and plan exchange formats of ../shared/ALLOCATION.md (pure: no web or database).

Import from the modules (``scenario.io`` reads and writes files, ``scenario.model`` holds the
Pydantic models, ``scenario.kinds`` and ``scenario.bounds`` the plain rules the database's tables
share): this package imports nothing, so a table that needs one enum loads no model.
"""
