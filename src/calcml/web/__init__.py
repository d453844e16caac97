"""calcml.web: the web app (FastAPI + Jinja2 + htmx; KaTeX and Plotly.js served from the
package). Thin over `calcml.service` (the engines, in worker processes) and `calcml.store`.

`create_app(WebConfig(...))` builds the app; `calcml serve` runs it with uvicorn.
"""

from __future__ import annotations

from calcml.web.app import create_app
from calcml.web.config import WebConfig

__all__ = ["WebConfig", "create_app"]
