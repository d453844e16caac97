"""The wheel carries the web app's templates, static files, migrations and every vendored asset,
byte for byte; installed next to only the distributions its metadata requires (make test: linked
from this venv, no index; soak: a fresh venv from the package index), its `calcml` entry point
derives from outside the repo and `calcml serve` serves a calculator page whose math Chromium
typesets with KaTeX."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from email.parser import Parser
from importlib.metadata import Distribution, distribution
from pathlib import Path
from typing import Any

import pytest
import sympy
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

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
        package = ROOT / "src" / "calcml"
        # every template and static file; every migration (script.py.mako only writes new ones)
        for folder, pattern in (("web/templates", "*"), ("web/static", "*"), ("store", "*.py")):
            files = [p for p in (package / folder).rglob(pattern) if p.is_file()]
            for path in (p for p in files if "__pycache__" not in p.parts):
                assert path.relative_to(package.parent).as_posix() in names, path
        assert "calcml/web/static/app.js" in names
        assert "calcml/web/static/app.css" in names
        assert "calcml/web/static/vendor/VENDORED.json" in names
        assert "calcml/store/migrations/versions/0001_baseline.py" in names


def runtime_closure(wheel: Path) -> dict[str, Distribution]:
    """The installed distributions (this venv's) that the wheel's own `Requires-Dist` needs,
    transitively, extras and markers honoured: what `pip install <wheel>` would bring."""
    with zipfile.ZipFile(wheel) as z:
        (meta,) = (n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(z.read(meta).decode())
    wanted = [(r, "") for r in metadata.get_all("Requires-Dist") or []]
    found: dict[str, Distribution] = {}
    done: set[tuple[str, str]] = set()
    while wanted:
        text, extra = wanted.pop()
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        dist = distribution(requirement.name)
        name = canonicalize_name(dist.metadata["Name"])
        found[name] = dist
        for wanted_extra in ("", *requirement.extras):
            if (name, wanted_extra) not in done:
                done.add((name, wanted_extra))
                wanted += [(r, wanted_extra) for r in dist.requires or []]
    return found


def venv_of_runtime_dependencies(wheel: Path, venv: Path) -> str:
    """A venv (no pip) whose site-packages links exactly `runtime_closure(wheel)` from this
    venv, then the wheel installed into it by this venv's pip (--no-deps, no index): the
    wheel's metadata must name everything `calcml serve` imports. Its python's path."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    (site,) = venv.glob("lib/python*/site-packages")
    for dist in runtime_closure(wheel).values():
        tops = {f.parts[0] for f in dist.files or []} - {"..", "__pycache__"}
        for top in tops:
            if not (site / top).exists():
                (site / top).symlink_to(Path(str(dist.locate_file(top))))
    install = [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps"]
    done = subprocess.run(
        [*install, "--no-index", str(wheel)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return python


def test_the_runtime_closure_follows_extras_and_markers(wheel: Path) -> None:
    """psycopg[binary] brings psycopg-binary; dev extras (pytest) and other platforms'
    dependencies (tzdata on win32 only, for psycopg) do not come along."""
    closure = runtime_closure(wheel)
    assert {"numpy", "sympy", "fastapi", "uvicorn", "psycopg", "psycopg-binary"} <= set(closure)
    assert {"argon2-cffi-bindings", "starlette", "click"} <= set(closure)  # transitive
    assert not {"pytest", "hypothesis", "mypy", "playwright", "calcml"} & set(closure)


def serves_typeset_math(python: str, where: Path, browser: Any) -> None:
    """`python` runs the installed calcml (not the repo's src): its `calcml` entry point
    derives from outside the repo, and `calcml serve` serves a calculator page whose math
    Chromium typesets with KaTeX, verified, with no console error or CSP violation."""
    venv = Path(python).parents[1]
    where.mkdir(exist_ok=True)
    located = subprocess.run(
        [python, "-c", "import calcml; print(calcml.__file__)"],
        capture_output=True,
        text=True,
        cwd=where,
        check=True,
    ).stdout
    assert located.startswith(str(venv)) and "site-packages" in located, located
    derived = subprocess.run(
        [str(venv / "bin" / "calcml"), "derive", "x^2*sin(x)", "--json"],
        capture_output=True,
        text=True,
        cwd=where,
        timeout=600,
    )
    assert derived.returncode == 0, derived.stderr[-2000:]
    x = sympy.Symbol("x")
    answer = sympy.sympify(json.loads(derived.stdout)["result"]["expr"], locals={"x": x})
    assert sympy.simplify(answer - sympy.diff(x**2 * sympy.sin(x), x)) == 0
    data = where / "data"
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


@pytest.mark.xdist_group("serial")  # tests/conftest.py: SERIAL
def test_calcml_serve_from_the_wheel_with_only_its_runtime_dependencies_serves_typeset_math(
    wheel: Path, tmp_path: Path, browser: Any
) -> None:
    """The wheel installed without an index next to links to the distributions its metadata
    requires (taken from this venv): seconds, where the fresh venv from the index (soak) takes
    minutes."""
    python = venv_of_runtime_dependencies(wheel, tmp_path / "venv")
    serves_typeset_math(python, tmp_path / "elsewhere", browser)


@pytest.mark.soak
@pytest.mark.xdist_group("serial")  # tests/conftest.py: SERIAL
@pytest.mark.timeout(1800)  # a venv and an install from the package index: slow on a busy machine
def test_calcml_serve_from_the_wheel_in_a_fresh_venv_serves_typeset_math(
    wheel: Path, tmp_path: Path, browser: Any
) -> None:
    """The wheel installed alone in a fresh venv, its dependencies from the package index (what
    a user does)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    install = [python, "-m", "pip", "install", "-q", "--no-input", str(wheel)]
    done = subprocess.run(install, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-2000:]
    serves_typeset_math(python, tmp_path / "elsewhere", browser)
