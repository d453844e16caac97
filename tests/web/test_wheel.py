"""The wheel carries the web app's templates and every vendored asset, byte for byte; installed
alone in a fresh venv (its dependencies from the package index), `calcml serve` from it serves a
calculator page whose math Chromium typesets with KaTeX."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from web.browser import live_server, problems, watch

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "calcml" / "web" / "static" / "vendor"


def _manifest() -> dict[str, dict]:
    return json.loads((VENDOR / "VENDORED.json").read_text())


def test_vendored_files_match_their_recorded_sha256() -> None:
    manifest = _manifest()
    assert {"katex", "htmx", "plotly"} <= set(manifest)
    for name, entry in manifest.items():
        assert entry["version"] and entry["license"]
        assert any(Path(p).name.startswith("LICENSE") for p in entry["files"]), name
        for path, digest in entry["files"].items():
            assert hashlib.sha256((VENDOR / path).read_bytes()).hexdigest() == digest, path
    fonts = [p for p in manifest["katex"]["files"] if p.endswith(".woff2")]
    assert len(fonts) >= 19
    assert "LICENSE-fonts.txt" in " ".join(manifest["katex"]["files"])


def test_no_asset_or_template_loads_from_a_cdn() -> None:
    web = ROOT / "src" / "calcml" / "web"
    for path in [*web.glob("templates/*.html"), web / "static" / "app.js"]:
        text = path.read_text()
        assert "://" not in text, path


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (found,) = out.glob("calcml-*.whl")
    return found


def test_wheel_contains_templates_and_vendored_assets(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for path, digest in ((p, d) for e in _manifest().values() for p, d in e["files"].items()):
            member = f"calcml/web/static/vendor/{path}"
            assert member in names, member
            assert hashlib.sha256(z.read(member)).hexdigest() == digest
        for template in (ROOT / "src" / "calcml" / "web" / "templates").glob("*.html"):
            assert f"calcml/web/templates/{template.name}" in names
        assert "calcml/web/static/app.js" in names
        assert "calcml/web/static/app.css" in names
        assert "calcml/web/static/vendor/VENDORED.json" in names


@pytest.mark.xdist_group("serial")  # tests/conftest.py: SERIAL
@pytest.mark.timeout(1800)  # a venv and an install from the package index: slow on a busy machine
def test_calcml_serve_from_the_wheel_in_a_fresh_venv_serves_typeset_math(
    wheel: Path, tmp_path: Path, browser: Any
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    install = [python, "-m", "pip", "install", "-q", "--no-input", str(wheel)]
    done = subprocess.run(install, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-2000:]
    where = subprocess.run(
        [python, "-c", "import calcml; print(calcml.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert where.startswith(str(venv)) and "site-packages" in where, where  # not the repo's src
    data = tmp_path / "data"
    data.mkdir()
    errors: list[str] = []
    with live_server(data, python=python) as url:
        page = browser.new_page()  # the session's Chromium (tests/web/conftest.py)
        try:
            watch(page, errors)
            page.goto(url + "/calc?op=derive&q=x%5E2%2Asin%28x%29")
            page.wait_for_selector("#result .katex", timeout=60_000)
            assert page.locator("#result .katex").count() >= 2  # the headline and the steps
            assert page.locator(".badge.verified").count() == 1
            assert "\\frac" not in page.inner_text("#result")
            errors += problems(page)
        finally:
            page.close()
    assert not errors, errors
