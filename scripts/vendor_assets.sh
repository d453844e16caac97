#!/usr/bin/env bash
# Fetch the front-end assets calcml serves and inlines (development time only; the fetched files
# are committed, so neither a user nor CI runs this or needs Node.js). Nothing is ever loaded
# from a CDN: the web app and the book use these copies.
#
#   scripts/vendor_assets.sh            fetch the pinned versions with `npm pack`, write VENDORED.json
#
# Pinned versions (change here, re-run, commit the result):
set -euo pipefail
KATEX=0.19.1            # MIT; its fonts: SIL OFL 1.1
HTMX=2.0.11             # 0BSD (zero-clause BSD); major version 2 pinned
PLOTLY=4.1.1            # MIT; the "strict" bundle: no eval / new Function (CSP-safe)
AXE=4.11.4              # MPL-2.0; test-only (accessibility checks), kept under tests/

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENDOR="$ROOT/src/calcml/web/static/vendor"
TESTVENDOR="$ROOT/tests/web/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fetch() {  # fetch NAME@VERSION into $WORK/NAME (npm checks the registry's integrity hash)
    local spec="$1" dir="$WORK/$2"
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz)
    echo "$dir/package"
}

rm -rf "$VENDOR" "$TESTVENDOR"
mkdir -p "$VENDOR/katex/fonts" "$VENDOR/htmx" "$VENDOR/plotly" "$TESTVENDOR/axe"

pkg=$(fetch "katex@$KATEX" katex)
cp "$pkg/dist/katex.min.js" "$pkg/dist/katex.min.css" "$pkg/LICENSE" "$VENDOR/katex/"
cp "$pkg"/dist/fonts/*.woff2 "$VENDOR/katex/fonts/"   # the CSS lists woff2 first; browsers stop there
cp "$ROOT/scripts/OFL-1.1.txt" "$VENDOR/katex/LICENSE-fonts.txt"

pkg=$(fetch "htmx.org@$HTMX" htmx)
cp "$pkg/dist/htmx.min.js" "$pkg/LICENSE" "$VENDOR/htmx/"
# calcml's copy cannot evaluate code: its internal eval helper (htmx._) throws. allowEval is off
# and the CSP forbids eval anyway; this takes the call out of the file itself.
python3 - "$VENDOR/htmx/htmx.min.js" <<'PY'
import pathlib, sys
path = pathlib.Path(sys.argv[1])
text = path.read_text()
old = "function e(e){return Tn(ee().body,function(){return eval(e)})}"
assert text.count(old) == 1, "htmx changed: update the patch in scripts/vendor_assets.sh"
path.write_text(text.replace(old, 'function e(e){throw new Error("calcml: htmx code evaluation is removed")}'))
PY

pkg=$(fetch "plotly.js-strict-dist-min@$PLOTLY" plotly)
cp "$pkg/plotly-strict.min.js" "$pkg/LICENSE" "$VENDOR/plotly/"
# calcml's copy cannot evaluate code: a script loader's eval (map traces, unused here) throws and
# the global eval is not handed out by its intrinsics table.
python3 - "$VENDOR/plotly/plotly-strict.min.js" <<'PY'
import pathlib, sys
path = pathlib.Path(sys.argv[1])
text = path.read_text()
for old, new in [
    ("globalThis.eval(r)", '(()=>{throw Error("calcml: code evaluation is removed")})()'),
    ('"%eval%":eval,', '"%eval%":void 0,'),
]:
    assert text.count(old) == 1, "plotly changed: update the patch in scripts/vendor_assets.sh"
    text = text.replace(old, new)
path.write_text(text)
PY

pkg=$(fetch "axe-core@$AXE" axe)
cp "$pkg/axe.min.js" "$pkg/LICENSE" "$TESTVENDOR/axe/"

manifest() {  # manifest DIR: JSON {name: {version, license, files: {path: sha256}}}
    local dir="$1"; shift
    python3 - "$dir" "$@" <<'PY'
import hashlib, json, pathlib, sys
root = pathlib.Path(sys.argv[1])
out = {}
for entry in sys.argv[2:]:
    name, version, licence = entry.split(":", 2)
    files = sorted(p for p in (root / name).rglob("*") if p.is_file())
    out[name] = {
        "version": version,
        "license": licence,
        "files": {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files},
    }
(root / "VENDORED.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
PY
}
manifest "$VENDOR" "katex:$KATEX:MIT (fonts: OFL-1.1)" "htmx:$HTMX:0BSD (patched: no code evaluation)" "plotly:$PLOTLY:MIT (patched: no code evaluation)"
manifest "$TESTVENDOR" "axe:$AXE:MPL-2.0"
echo "vendored into $VENDOR and $TESTVENDOR"
