"""Accounts and classes: users, server-side sessions, log-in counters, reset codes, classes,
memberships, problem sets; and a client-generated id on attempts (a retried submission is
recorded once). Existing rows are kept; SQLite alters `attempts` in batch mode.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id(name: str = "id") -> sa.Column:
    return sa.Column(name, sa.String(32), nullable=False)


def _user(name: str = "user_id") -> sa.Column:
    return sa.Column(
        name, sa.String(32), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )


def _class() -> sa.Column:
    return sa.Column(
        "class_id",
        sa.String(32),
        sa.ForeignKey("classes.id", ondelete="CASCADE"),
        nullable=False,
    )


# table -> (columns, primary key, [(indexed column, unique)])
TABLES: dict[str, tuple[list[sa.Column], list[str], list[tuple[str, bool]]]] = {
    "users": (
        [
            _id(),
            sa.Column("name", sa.String(64), nullable=False),
            sa.Column("password_hash", sa.String(255), nullable=False),
            sa.Column("time_zone", sa.String(64), nullable=False),
            sa.Column("disabled", sa.Boolean, nullable=False),
            _when("created"),
        ],
        ["id"],
        [("name", True)],
    ),
    "sessions": (
        [
            sa.Column("token_hash", sa.String(64), nullable=False),
            _user(),
            _when("created"),
            _when("expires"),
        ],
        ["token_hash"],
        [("user_id", False), ("expires", False)],
    ),
    "login_attempts": (
        [
            sa.Column("key", sa.String(200), nullable=False),
            sa.Column("count", sa.Integer, nullable=False),
            _when("window_start"),
        ],
        ["key"],
        [],
    ),
    "reset_codes": (
        [
            sa.Column("code_hash", sa.String(64), nullable=False),
            _user(),
            sa.Column("issued_by", sa.String(64), nullable=False),
            _when("expires"),
            _when("used", nullable=True),
        ],
        ["code_hash"],
        [("user_id", False)],
    ),
    "classes": (
        [
            _id(),
            sa.Column("name", sa.String(100), nullable=False),
            _user("owner_id"),
            sa.Column("join_code", sa.String(32), nullable=False),
            _when("created"),
        ],
        ["id"],
        [("owner_id", False), ("join_code", True)],
    ),
    "memberships": (
        [_class(), _user(), _when("joined")],
        ["class_id", "user_id"],
        [("user_id", False)],
    ),
    "problem_sets": (
        [
            _id(),
            _class(),
            sa.Column("title", sa.String(100), nullable=False),
            sa.Column("skills", sa.Text, nullable=False),
            sa.Column("difficulty", sa.Integer, nullable=False),
            sa.Column("count", sa.Integer, nullable=False),
            sa.Column("per_learner", sa.Boolean, nullable=False),
            sa.Column("seed", sa.Integer, nullable=False),
            _when("due", nullable=True),
            _when("created"),
        ],
        ["id"],
        [("class_id", False)],
    ),
}


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("client_id", sa.String(64), nullable=True))
        batch.create_index("ix_attempts_client_id", ["client_id"], unique=True)
    for table, (columns, key, indexed) in TABLES.items():
        op.create_table(table, *columns, sa.PrimaryKeyConstraint(*key))
        for column, unique in indexed:
            op.create_index(f"ix_{table}_{column}", table, [column], unique=unique)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
    with op.batch_alter_table("attempts") as batch:
        batch.drop_index("ix_attempts_client_id")
        batch.drop_column("client_id")
