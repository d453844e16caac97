"""`calcml serve`: the web app (calcml.web) on this machine or a server."""

from __future__ import annotations

import typer

from calcml.cli.app import app


@app.command()
def serve(
    host: str = typer.Option(
        "127.0.0.1", envvar="CALCML_HOST", help="Address to listen on (0.0.0.0: every interface)."
    ),
    port: int = typer.Option(
        8000, envvar="CALCML_PORT", min=0, max=65535, help="Port (0: any free port)."
    ),
    workers: int = typer.Option(
        1, envvar="CALCML_WORKERS", min=1, max=32, help="App processes (uvicorn workers), 1–32."
    ),
    engine_workers: int = typer.Option(
        2,
        envvar="CALCML_ENGINE_WORKERS",
        min=1,
        max=64,
        help="Engine worker processes per app process, 1–64.",
    ),
    database_url: str = typer.Option(
        None,
        envvar="CALCML_DATABASE_URL",
        help="Progress database: postgresql+psycopg://user:pw@host/db for several servers "
        "(default: SQLite in the user data dir, as the CLI).",
    ),
    secure_cookies: bool = typer.Option(
        False, envvar="CALCML_SECURE_COOKIES", help="Mark cookies Secure (when served over HTTPS)."
    ),
    trusted_proxy_header: str = typer.Option(
        None,
        envvar="CALCML_TRUSTED_PROXY_HEADER",
        help="Header with the client address set by your reverse proxy (X-Forwarded-For).",
    ),
    rate: int = typer.Option(
        120,
        envvar="CALCML_RATE",
        min=1,
        max=10_000,
        help="Engine requests per minute per client, 1–10000.",
    ),
    time_limit: float = typer.Option(
        10.0, min=1, max=3600, help="Hard wall-clock seconds of one engine request, 1–3600."
    ),
) -> None:
    """Serve the web app: calculator, practice and roadmap. Ctrl-C stops it."""
    from calcml.web.config import WebConfig
    from calcml.web.server import serve as run

    config = WebConfig(
        engine_workers=engine_workers,
        database_url=database_url,
        secure_cookies=secure_cookies,
        trusted_proxy_header=trusted_proxy_header,
        rate_per_minute=rate,
        time_limit=time_limit,
    )
    run(host, port, workers, config)
