"""Run the web app with uvicorn: `serve(...)` behind `calcml serve`. A busy port is reported
in one line naming --port; Ctrl-C (SIGINT) or SIGTERM stops the server and its workers."""

from __future__ import annotations

import errno
import os
import socket

from calcml.errors import CalcmlError
from calcml.web.app import CONFIG_ENV, config_env
from calcml.web.config import WebConfig

MAX_WORKERS = 32  # uvicorn app processes at most


def bind(host: str, port: int) -> socket.socket:
    """The listening socket (port 0: any free port), or a CalcmlError naming --port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise CalcmlError(
                f"port {port} is in use on {host}; choose another with --port {port + 1}"
            ) from None
        raise CalcmlError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def open_store(url: str | None) -> None:
    """Open, migrate and write-probe the progress database before listening: a read-only,
    locked or unreachable database stops `calcml serve` with the store's message (exit 2); a
    damaged SQLite file is moved aside and a new one started with its readable rows (said on
    stderr)."""
    from calcml.store.db import default_url
    from calcml.store.migrate import check_writable
    from calcml.store.opening import connect

    url = url or default_url()
    check_writable(connect(url), url)


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    config: WebConfig | None = None,
    announce: bool = True,
) -> None:
    """Serve until interrupted; prints the URL (with the real port when `port` is 0)."""
    import uvicorn

    if not 1 <= workers <= MAX_WORKERS:
        raise CalcmlError(f"--workers must be between 1 and {MAX_WORKERS}")
    open_store((config or WebConfig()).database_url)
    sock = bind(host, port)
    shown = f"[{host}]" if ":" in host else host
    if announce:
        print(f"calcml: serving on http://{shown}:{sock.getsockname()[1]}/", flush=True)
    os.environ[CONFIG_ENV] = config_env(config or WebConfig())
    try:
        uvicorn.run(
            "calcml.web.app:app_from_env",
            factory=True,
            fd=sock.fileno(),  # the socket bound above (uvicorn's workers inherit it)
            workers=workers,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=5,
        )
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it handled: a clean stop
        pass
    finally:
        sock.close()
    if announce:
        print("calcml: stopped", flush=True)
