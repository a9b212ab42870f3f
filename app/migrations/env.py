"""Alembic environment: targets FAB's Model.metadata (db.create_all() would create nothing)."""
from __future__ import annotations

import logging

from alembic import context
from flask import current_app
from flask_appbuilder import Model

# Import every model so that it is on the metadata.
import app.clocks.models  # noqa: F401
import app.core.models  # noqa: F401
import app.core.transfer.models  # noqa: F401
import app.registers  # noqa: F401

logger = logging.getLogger("alembic.env")
config = context.config
target_metadata = Model.metadata


def get_engine():
    return current_app.extensions["migrate"].db.engine


def run_migrations_offline() -> None:
    context.configure(
        url=str(get_engine().url).replace("%", "%%"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def process_revision_directives(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    with get_engine().connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            process_revision_directives=process_revision_directives,
            render_as_batch=True,  # SQLite needs batch mode for ALTER
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
