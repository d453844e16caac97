"""Shape declarations: "X: n×d, w: d, y: n" (also `n x d`, `(n, d)`, `scalar`) and the defaults.

Conventions used everywhere: a vector is a column (w: d means d×1); a data matrix X has one example
per row (n×d); a gradient has the shape of its variable. Undeclared names default, with a note, by
case: upper-case → matrix, lower-case → vector, Greek → scalar; their sizes are inferred.

>>> parse_shapes("X: n×d, w: d, y: (n,), λ: scalar")
{'X': ('n', 'd'), 'w': ('d', 1), 'y': ('n', 1), 'λ': (1, 1)}
>>> parse_shapes("W: (m, n)")["W"]
('m', 'n')
"""

from __future__ import annotations

import re
import unicodedata

from calcml.errors import ParseError
from calcml.symbolic.matrix.nodes import SCALAR, Dim, Shape

MAX_VARIABLES = 32  # declared variables in one question
MAX_DIM = 10_000  # a numeric dimension
MAX_SPEC = 1_000  # characters in a --shapes string

_DIM = r"(?:[A-Za-z][A-Za-z0-9_]*|\d+)"
_NAME = re.compile(r"^[^\W\d]\w*$")
_SEP = r"\s*(?:×|x|X|\*|,)\s*"
_FORMS = [
    re.compile(rf"^\(?\s*({_DIM}){_SEP}({_DIM})\s*\)?$"),
    re.compile(rf"^\(?\s*({_DIM})\s*,?\s*\)?$"),
]
GREEK_WORDS = {
    "alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "kappa", "lambda", "mu",
    "nu", "rho", "sigma", "tau", "phi", "omega",
}  # fmt: skip
SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def normalize_name(name: str) -> str:
    """W₁ and W1 are one name."""
    return name.translate(SUBSCRIPTS)


def _dim(text: str) -> Dim:
    if text.isdigit():
        value = int(text)
        if not 1 <= value <= MAX_DIM:
            raise ParseError(f"a dimension must be between 1 and {MAX_DIM}, got {value}")
        return value
    return text


SIMPLEX_WORDS = re.compile(r"\s*\b(one-hot|onehot|probabilities|probability|simplex)\s*$", re.I)


def simplex_names(text: str | dict[str, object] | None) -> set[str]:
    """Names declared one-hot (each row, or the vector, sums to 1): 'Y: n×k one-hot'."""
    if not isinstance(text, str):
        return set()
    out = set()
    for part in _split(text):
        if ":" in part:
            name, spec = part.split(":", 1)
            if SIMPLEX_WORDS.search(spec):
                out.add(normalize_name(unicodedata.normalize("NFC", name.strip())))
    return out


def parse_shape(spec: str) -> Shape:
    """One shape: 'n×d', 'n x d', '(n, d)', 'd' (a column vector) or 'scalar'."""
    spec = SIMPLEX_WORDS.sub("", spec.strip()).strip()
    if spec.lower() in ("scalar", "()", "1", "(1)", "ℝ"):
        return SCALAR
    for form in _FORMS:
        m = form.match(spec)
        if m:
            dims = [_dim(g) for g in m.groups()]
            return (dims[0], dims[1]) if len(dims) == 2 else (dims[0], 1)
    raise ParseError(f"cannot read the shape {spec!r}: write n×d, n x d, (n, d), d or scalar")


def _split(text: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch in ",;" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [s for s in (p.strip() for p in out) if s]


def parse_shapes(text: str | dict[str, object] | None) -> dict[str, Shape]:
    """'X: n×d, w: d' (or a dict name -> spec/tuple) -> {name: (rows, cols)}."""
    if text is None:
        return {}
    items: list[tuple[str, object]]
    if isinstance(text, dict):
        items = list(text.items())
    else:
        if len(text) > MAX_SPEC:
            raise ParseError(f"--shapes is longer than {MAX_SPEC} characters")
        items = []
        # split on commas outside parentheses, but a comma inside "n, d" belongs to a shape only
        # when parenthesised; "X: n×d, w: d" splits into two declarations.
        for part in _split(text):
            if ":" not in part:
                raise ParseError(f"expected 'name: shape', got {part!r}")
            left, right = part.split(":", 1)
            items.append((left.strip(), right))
    if len(items) > MAX_VARIABLES:
        raise ParseError(f"at most {MAX_VARIABLES} variables can be declared")
    out: dict[str, Shape] = {}
    for raw, spec in items:
        name = normalize_name(unicodedata.normalize("NFC", str(raw)))
        if not _NAME.match(name):
            raise ParseError(f"{name!r} is not a variable name")
        if isinstance(spec, tuple | list):
            dims = [_dim(str(d)) for d in spec]
            shape: Shape = SCALAR if not dims else (dims[0], dims[1] if len(dims) > 1 else 1)
        else:
            shape = parse_shape(str(spec))
        if name in out and out[name] != shape:
            raise ParseError(f"{name} is declared twice, with different shapes")
        out[name] = shape
    return out


def is_greek(name: str) -> bool:
    base = re.sub(r"[\d_]+$", "", name)
    return base.lower() in GREEK_WORDS or all("\u0370" <= ch <= "\u03ff" for ch in base)


def default_shape(name: str) -> Shape:
    """The convention for an undeclared name: Greek scalar, upper-case matrix, else vector."""
    if is_greek(name):
        return SCALAR
    if name[0].isupper():
        return (f"{name}.rows", f"{name}.cols")
    return (f"{name}.rows", 1)


def is_inferred(d: Dim) -> bool:
    return isinstance(d, str) and "." in d
