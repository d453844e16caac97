"""The web app's settings: one frozen record, read once at start (from `calcml serve` options)."""

from __future__ import annotations

from dataclasses import dataclass

MAX_BODY_BYTES = 64_000  # the largest request body accepted (a form or a JSON request)
MAX_UPLOAD_BYTES = 4_000_000  # an uploaded progress export (only on UPLOAD_PATHS)
UPLOAD_PATHS = ("/account/import",)
MAX_RATE_PER_MINUTE = 10_000  # the highest per-client rate limit that may be configured


@dataclass(frozen=True)
class WebConfig:
    """How one app process runs.

    `engine_workers` is the engine service's process pool (per app process); `inline` runs the
    engines in this process instead (tests only). `secure_cookies` marks cookies Secure (serve
    over HTTPS); plain-HTTP classrooms leave it off. `trusted_proxy_header` (e.g.
    "X-Forwarded-For") names the header a reverse proxy sets with the client's address; without
    it the socket's address is the client. `rate_per_minute` bounds engine requests per client.
    """

    engine_workers: int = 2
    database_url: str | None = None
    inline: bool = False
    time_limit: float = 10.0
    memory_mb: int = 1536
    queue_size: int = 64
    secure_cookies: bool = False
    trusted_proxy_header: str | None = None
    rate_per_minute: int = 120
    max_body_bytes: int = MAX_BODY_BYTES

    def __post_init__(self) -> None:
        if not 1 <= self.rate_per_minute <= MAX_RATE_PER_MINUTE:
            raise ValueError(f"rate_per_minute must be 1..{MAX_RATE_PER_MINUTE}")
        if not 1_000 <= self.max_body_bytes <= MAX_BODY_BYTES:
            raise ValueError(f"max_body_bytes must be 1000..{MAX_BODY_BYTES}")
