"""Alembic is the only thing that creates tables, and it agrees with the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_appbuilder import Model
from sqlalchemy import inspect, text

from app.extensions import db


def test_models_and_migrations_agree(ctx):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                Model.metadata)
    assert diff == []


def test_database_is_at_the_newest_migration(ctx):
    from alembic.script import ScriptDirectory
    from flask import current_app

    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    with db.engine.connect() as connection:
        current = connection.execute(text("select version_num from alembic_version")).scalar()
    assert current == script.get_current_head()


def test_sqlite_enforces_foreign_keys(ctx):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_every_model_table_exists(ctx):
    tables = set(inspect(db.engine).get_table_names())
    assert set(Model.metadata.tables) <= tables
