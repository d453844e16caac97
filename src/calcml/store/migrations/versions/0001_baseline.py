"""Baseline: the tables of calcml 0.1.0 (attempts, skill_cards).

A database made by 0.1.0 (tables, no alembic_version) is adopted as it is; a table missing a
column that 0.1.0 has (an older layout) gets the column with a default, every row kept.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# table -> (column factory, indexed columns); each column: name, type, nullable, default for
# rows that exist when the column is added to an older table
Column = tuple[str, Callable[[], sa.types.TypeEngine], bool, str | None]
TABLES: dict[str, tuple[list[Column], list[str], list[str]]] = {
    "attempts": (
        [
            ("id", sa.Integer, False, None),
            ("learner", lambda: sa.String(100), False, "default"),
            ("skill", lambda: sa.String(100), False, ""),
            ("seed", sa.Integer, False, "0"),
            ("difficulty", sa.Integer, False, "1"),
            ("answer", sa.Text, False, ""),
            ("correct", sa.Boolean, False, "0"),
            ("score", sa.Float, False, "0"),
            ("mistake", lambda: sa.String(100), True, None),
            ("counted", sa.Boolean, False, "1"),
            ("hints", sa.Integer, False, "0"),
            ("at", lambda: sa.DateTime(timezone=True), False, "1970-01-01 00:00:00"),
        ],
        ["id"],
        ["learner", "skill"],
    ),
    "skill_cards": (
        [
            ("learner", lambda: sa.String(100), False, "default"),
            ("skill", lambda: sa.String(100), False, ""),
            ("card", sa.Text, False, "{}"),
            ("due", lambda: sa.DateTime(timezone=True), False, "1970-01-01 00:00:00"),
        ],
        ["learner", "skill"],
        ["due"],
    ),
}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = set(inspector.get_table_names())
    for table, (columns, key, indexed) in TABLES.items():
        if table not in existing:
            op.create_table(
                table,
                *(sa.Column(name, kind(), nullable=null) for name, kind, null, _ in columns),
                sa.PrimaryKeyConstraint(*key),
            )
        else:
            have = {c["name"] for c in inspector.get_columns(table)}
            missing = [c for c in columns if c[0] not in have]
            if missing:
                with op.batch_alter_table(table) as batch:
                    for name, kind, null, default in missing:
                        batch.add_column(
                            sa.Column(name, kind(), nullable=null, server_default=default)
                        )
        indexes = {i["name"] for i in inspector.get_indexes(table)} if table in existing else set()
        for column in indexed:
            name = f"ix_{table}_{column}"
            if name not in indexes:
                op.create_index(name, table, [column])


def downgrade() -> None:
    raise NotImplementedError("the baseline is where calcml's history starts")
