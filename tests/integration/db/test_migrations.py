from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kuznia.db.migrate import current_revision
from kuznia.db.tables import metadata


def test_migrations_build_exactly_the_tables_the_models_declare(database):
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_the_database_is_at_the_latest_revision(database):
    assert current_revision(database.engine) is not None
