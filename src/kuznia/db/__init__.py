"""The database shell: SQLAlchemy 2 tables, engines and Alembic migrations."""
