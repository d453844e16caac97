"""Alembic's environment for calcml: migrations run on the connection calcml.store.migrate
hands over (config.attributes["connection"]), in batch mode so SQLite can alter tables."""

from __future__ import annotations

from alembic import context

from calcml.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
