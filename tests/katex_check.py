"""The vendored KaTeX run by Node, for tests: what error, if any, strict mode gives each LaTeX
source (tests/symbolic/test_latex_katex.py, tests/learn/test_cheatsheet.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import calcml

KATEX = Path(calcml.__file__).parent / "web" / "static" / "vendor" / "katex" / "katex.min.js"
RENDER = """
const katex = require(process.argv[1]);
const items = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(items.map((tex) => {
  try { katex.renderToString(tex, {strict: "error", throwOnError: true, displayMode: true});
        return null; } catch (e) { return String(e.message); }
})));
"""


def katex_errors(sources: list[str]) -> list[str | None]:
    """KaTeX's error for each LaTeX source (None: it rendered), in strict mode."""
    node = shutil.which("node")
    assert node, "Node is needed to run the vendored KaTeX"
    done = subprocess.run(
        [node, "-e", RENDER, str(KATEX)],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]
