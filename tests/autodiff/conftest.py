"""Put tests/ on sys.path (for the shared `randexpr` generator) and this folder (for the
`autograd_cases` data that the benchmark also reads)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for path in (str(HERE.parent), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)
