"""Alembic migrations of the calcml store, shipped in the package and run by
calcml.store.migrate (no alembic.ini needed). A new revision: a module in versions/ with
`revision`, `down_revision`, `upgrade()`; SQLite changes go through op.batch_alter_table."""
