"""A throwaway PostgreSQL cluster for tests and the soak benchmark: Debian's `initdb`/`pg_ctl`
(from /usr/lib/postgresql/*/bin, installed by `make test` when missing) run as the `postgres`
user when we are root (initdb refuses root), in a temporary folder owned by it, listening on
127.0.0.1 at a free port only (no Unix socket outside that folder). `stop()` removes it all;
an atexit hook does so too if a caller forgot (never a postgres left running)."""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

RUN_AS = "postgres"  # the Debian package's user
START_TIMEOUT_S = 60


def pg_bin() -> Path:
    """The newest Debian PostgreSQL's bin folder (AssertionError naming `make test` if none)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major)
    assert found, "PostgreSQL is not installed: `make test` installs it (apt: postgresql)"
    return Path(found[-1]).parent


def _major(path: str) -> int:
    part = Path(path).parts[-3]
    return int(part) if part.isdigit() else 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """One PostgreSQL server in a temporary folder; `url(db)` gives SQLAlchemy URLs."""

    def __init__(self, fast: bool = True) -> None:
        self.bin = pg_bin()
        self.root = Path(tempfile.mkdtemp(prefix="calcml-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.as_other = os.geteuid() == 0
        self.running = False
        # fsync off in tests: a crash of the machine is not what they test (the soak keeps it)
        self.settings = ["-c", "fsync=off", "-c", "full_page_writes=off"] if fast else []
        if self.as_other:
            shutil.chown(self.root, RUN_AS, RUN_AS)
        atexit.register(self.stop)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")  # fmt: skip

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / tool), *args]
        if self.as_other:
            command = ["runuser", "-u", RUN_AS, "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, check=check, cwd=self.root, timeout=120
        )

    def start(self) -> None:
        """Start (again, after stop_server) on the same port; returns when it accepts."""
        options = " ".join(
            ["-p", str(self.port), "-c", "listen_addresses=127.0.0.1",
             "-c", f"unix_socket_directories={self.root}", "-c", "max_connections=200",
             *self.settings]
        )  # fmt: skip
        done = self._run(
            "pg_ctl", "start", "-w", "-t", str(START_TIMEOUT_S), "-D", str(self.data),
            "-l", str(self.log), "-o", options, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"postgres did not start: {done.stderr}\n{self.server_log()}")
        self.running = True

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the server (mode: smart, fast or immediate); the data folder stays."""
        if self.running:
            self._run("pg_ctl", "stop", "-w", "-m", mode, "-D", str(self.data), check=False)
            self.running = False

    def stop(self) -> None:
        """Stop the server and remove its folder (idempotent)."""
        if self.data.exists():
            self.running = True  # stop whatever may be running there
            self.stop_server("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def server_log(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; its SQLAlchemy URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def count(self, url: str, sql: str) -> int:
        """One integer from a query (tests read the database without calcml)."""
        import psycopg

        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn) as connection:
            row = connection.execute(sql).fetchone()
        assert row is not None
        return int(row[0])
