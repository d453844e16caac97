"""`calcml admin ...` for the server's operator (accounts, reset codes, cleanup) on the store of
`--database-url` / CALCML_DATABASE_URL; and `calcml progress export`, the CLI's progress as a
JSON file to upload on the web app's account page (the one honest way in: no password typed
into the terminal, nothing sent over the network by the CLI)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from calcml.cli.app import app
from calcml.cli.output import console

admin = typer.Typer(help="Operate a calcml server's store: accounts, reset codes, cleanup.")
progress = typer.Typer(help="Your local progress (the calcml command's own store).")
app.add_typer(admin, name="admin")
app.add_typer(progress, name="progress")

DATABASE = typer.Option(
    None,
    "--database-url",
    envvar="CALCML_DATABASE_URL",
    help="The server's database (SQLAlchemy URL; default: the local SQLite store).",
)
PASSWORD_STDIN = typer.Option(
    False, "--password-stdin", help="Read the password from the first line of stdin."
)


def _engine(url: str | None) -> Any:
    from calcml.store.opening import connect

    return connect(url)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _account(engine: Any, name: str) -> Any:
    from calcml.store import accounts

    found = accounts.find(engine, name)
    if found is None:
        raise accounts.AccountError(f"no account named {name.strip().lower()!r}")
    return found


@admin.command("create")
def create(name: str, password_stdin: bool = PASSWORD_STDIN, database_url: str = DATABASE) -> None:
    """Create an account (the password is asked twice, never echoed)."""
    from calcml.store import accounts

    made = accounts.create_user(_engine(database_url), name, _password(password_stdin))
    console.print(f"created {made.name}", markup=False)


@admin.command("disable")
def disable(name: str, database_url: str = DATABASE) -> None:
    """Disable an account (its sessions end; it cannot log in)."""
    from calcml.store import accounts

    engine = _engine(database_url)
    accounts.set_disabled(engine, _account(engine, name).id, True)
    console.print(f"disabled {name.strip().lower()}", markup=False)


@admin.command("enable")
def enable(name: str, database_url: str = DATABASE) -> None:
    """Enable a disabled account again."""
    from calcml.store import accounts

    engine = _engine(database_url)
    accounts.set_disabled(engine, _account(engine, name).id, False)
    console.print(f"enabled {name.strip().lower()}", markup=False)


@admin.command("reset-password")
def reset_password(
    name: str, password_stdin: bool = PASSWORD_STDIN, database_url: str = DATABASE
) -> None:
    """Set a new password (every session of the account ends)."""
    from calcml.store import accounts

    engine = _engine(database_url)
    account = _account(engine, name)
    accounts.set_password(engine, account.id, _password(password_stdin))
    console.print(f"new password set for {account.name}", markup=False)


@admin.command("reset-code")
def reset_code(name: str, database_url: str = DATABASE) -> None:
    """Print a one-time reset code for the account (valid 48 hours, at /reset)."""
    from calcml.store import accounts

    engine = _engine(database_url)
    code = accounts.issue_reset_code(engine, _account(engine, name).id, accounts.OPERATOR)
    console.print(code, markup=False)


@admin.command("cleanup")
def cleanup(
    days: int = typer.Option(
        180, min=1, max=36_500, help="Keep anonymous learners seen within this many days."
    ),
    database_url: str = DATABASE,
) -> None:
    """Remove anonymous learners not seen for DAYS, expired sessions and reset codes, and old
    log-in counters."""
    from calcml.store import learners

    for what, n in learners.cleanup(_engine(database_url), days).items():
        console.print(f"removed {n} {what}", markup=False)


@progress.command("export")
def export(
    output: Path = typer.Option(
        None, "--output", "-o", help="Write to this file (default: print on stdout)."
    ),
) -> None:
    """Your progress as JSON, to upload on the web app's account page (Import)."""
    from calcml.fileio import atomic_write
    from calcml.store import learners

    data = json.dumps(learners.export(_engine(None), "default"), ensure_ascii=False, indent=1)
    if output is None:
        sys.stdout.write(data + "\n")
    else:
        atomic_write(output, data + "\n")
        console.print(f"wrote {output}", markup=False)
