"""Matrix expressions as Unicode text (Xᵀ(σ(Xw) − y)/n), LaTeX, and calcml's ASCII input syntax.

One printer with three token tables; `to_input` output parses back with `parse_matrix`.

>>> from calcml.symbolic.matrix.nodes import Var, matmul, transpose
>>> X, w = Var("X", "n", "d"), Var("w", "d", 1)
>>> m_text(matmul(transpose(X), matmul(X, w)))
'XᵀXw'
>>> m_input(matmul(transpose(X), matmul(X, w)))
'X^T X w'
"""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from calcml.expr.render import to_latex as scalar_latex
from calcml.expr.render import to_text as scalar_text
from calcml.symbolic.matrix.nodes import (
    Add,
    Const,
    EMap,
    Eye,
    MatMul,
    Node,
    Ones,
    Scale,
    T,
    U,
    Unary,
    Var,
    Zero,
    split_coeff,
)

ADD, HAD, MUL, POST, ATOM = 1, 2, 3, 4, 5
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
GREEK = {
    "lambda": "λ", "alpha": "α", "beta": "β", "gamma": "γ", "mu": "μ", "sigma": "σ",
    "eta": "η", "tau": "τ", "rho": "ρ", "theta": "θ", "epsilon": "ε", "delta": "δ",
}  # fmt: skip
LATEX_GREEK = {v: f"\\{k} " for k, v in GREEK.items()}

FUNC_NAMES = {
    # sympy function -> (text, latex, input)
    "sigmoid": ("σ", r"\sigma", "sigmoid"),
    "relu": ("ReLU", r"\operatorname{ReLU}", "relu"),
    "softplus": ("softplus", r"\operatorname{softplus}", "softplus"),
    "exp": ("exp", r"\exp", "exp"),
    "log": ("log", r"\log", "log"),
    "tanh": ("tanh", r"\tanh", "tanh"),
    "sin": ("sin", r"\sin", "sin"),
    "cos": ("cos", r"\cos", "cos"),
    "Heaviside": ("H", r"H", "step"),
    "sign": ("sign", r"\operatorname{sign}", "sign"),
    "Abs": ("abs", r"\operatorname{abs}", "abs"),
}
UNARY_NAMES = {
    # op -> (text, latex, input)
    "sum": ("sum", r"\operatorname{sum}", "sum"),
    "trace": ("tr", r"\operatorname{tr}", "trace"),
    "logdet": ("log det", r"\log\det", "logdet"),
    "diag": ("diag", r"\operatorname{diag}", "diag"),
    "softmax": ("softmax", r"\operatorname{softmax}", "softmax"),
    "logsumexp": ("logsumexp", r"\operatorname{logsumexp}", "logsumexp"),
}
MODES = ("text", "latex", "input")


def m_text(x: Node) -> str:
    return _render(x, "text")[0]


def m_latex(x: Node) -> str:
    return _render(x, "latex")[0]


def m_input(x: Node) -> str:
    return _render(x, "input")[0]


def m_dict(x: Node) -> dict[str, object]:
    """The JSON form of an expression, with its shape."""
    return {"expr": m_input(x), "latex": m_latex(x), "text": m_text(x), "shape": list(x.shape)}


def name_text(name: str, mode: str) -> str:
    m = re.fullmatch(r"([^\d_]+)_?(\d*)", name)
    base, digits = (m.group(1), m.group(2)) if m else (name, "")
    if mode == "input":
        return name
    base = GREEK.get(base, base)
    if mode == "latex":
        base = LATEX_GREEK.get(base, base)
        return f"{base}_{{{digits}}}" if digits else base
    return base + digits.translate(SUB)


def _paren(s: tuple[str, int], prec: int, mode: str) -> str:
    text, p = s
    if p >= prec:
        return text
    return rf"\left({text}\right)" if mode == "latex" else f"({text})"


def _scalar(value: sp.Expr, mode: str) -> str:
    if mode == "text":
        return scalar_text(value)
    if mode == "latex":
        return scalar_latex(value)
    return str(value).replace("**", "^")


def _render(x: Node, mode: str) -> tuple[str, int]:
    fn: Any = RENDERERS.get(type(x))
    if fn is None:
        raise TypeError(f"no renderer for {type(x).__name__}")
    return fn(x, mode)


def _var(x: Var, mode: str) -> tuple[str, int]:
    return name_text(x.name, mode), ATOM


def _const(x: Const, mode: str) -> tuple[str, int]:
    v = x.value
    prec = ATOM if (v.is_Atom and not (v.is_Number and v < 0)) else MUL
    if v.is_Add:
        prec = ADD
    return _scalar(v, mode), prec


def _ones(x: Ones, mode: str) -> tuple[str, int]:
    if mode == "input":
        return (f"ones({x.rows})" if x.cols == 1 else f"ones({x.rows}, {x.cols})"), ATOM
    bold = r"\mathbf{1}" if mode == "latex" else "1"
    if x.cols == 1:
        return bold, ATOM
    return (
        f"{bold}_{{{x.rows}\\times {x.cols}}}" if mode == "latex" else f"1[{x.rows}×{x.cols}]"
    ), ATOM


def _eye(x: Eye, mode: str) -> tuple[str, int]:
    return (f"eye({x.n})" if mode == "input" else "I"), ATOM


def _zero(x: Zero, mode: str) -> tuple[str, int]:
    return (f"0*ones({x.rows}, {x.cols})" if mode == "input" else "0"), ATOM


def _add(x: Add, mode: str) -> tuple[str, int]:
    terms = sorted(x.terms, key=lambda t: (_negative(t), isinstance(split_coeff(t)[1], T)))
    out = ""
    for i, t in enumerate(terms):
        if _negative(t):
            body = _render(_negate(t), mode)
            out += (" - " if mode != "text" else " − ") if i else "-" if mode != "text" else "−"
            out += _paren(body, MUL, mode)
        else:
            out += (" + " if i else "") + _paren(_render(t, mode), ADD + 1, mode)
    return out, ADD


def _negative(t: Node) -> bool:
    if isinstance(t, Scale) and isinstance(t.c, Const):
        return bool(t.c.value.could_extract_minus_sign())
    return isinstance(t, Const) and bool(t.value.could_extract_minus_sign())


def _negate(t: Node) -> Node:
    if isinstance(t, Scale) and isinstance(t.c, Const):
        return t.x if t.c.value == -1 else Scale(Const(-t.c.value), t.x)
    assert isinstance(t, Const)
    return Const(-t.value)


def _scale(x: Scale, mode: str) -> tuple[str, int]:
    body = _render(x.x, mode)
    if isinstance(x.c, EMap):
        num, den = sp.fraction(x.c.fn)
        if den != 1 and not (num.free_symbols & set(U)):
            top = Scale(Const(num), x.x) if num != 1 else x.x
            bottom = _sym(den, [_render(a, mode) for a in x.c.args], mode, False, x.c.args)
            if mode == "latex":
                return rf"\frac{{{_render(top, mode)[0]}}}{{{bottom[0]}}}", MUL
            return f"{_paren(_render(top, mode), MUL, mode)}/{_paren(bottom, ATOM, mode)}", MUL
    if not isinstance(x.c, Const):
        c = _render(x.c, mode)
        sep = " * " if mode == "input" else (r" \, " if mode == "latex" else "")
        return f"{_paren(c, ATOM, mode)}{sep}{_paren(body, MUL, mode)}", MUL
    num, den = sp.fraction(sp.factor_terms(x.c.value))
    minus = "-" if mode != "text" else "−"
    lead = ""
    if num == -1:
        lead = minus
    elif num.could_extract_minus_sign() and mode == "text":
        lead = minus + _scalar(-num, mode)
    elif num != 1 and not lead:
        lead = _scalar(num, mode) if num.is_Atom or num.is_Mul else f"({_scalar(num, mode)})"
        if num.is_Mul:
            lead = f"({_scalar(num, mode)})"
        lead += " * " if mode == "input" else ("·" if mode == "text" else r" \cdot ")
        if mode == "text" and num.is_Integer:
            lead = lead[:-1]
    elif lead and mode == "text" and not num.is_Integer:
        lead += "·"
    text = lead + _paren(body, MUL, mode)
    if den != 1:
        d = _scalar(den, mode)
        if mode == "latex":
            return rf"\frac{{{lead}{_paren(body, MUL, mode)}}}{{{d}}}".replace(r"\cdot }", "}"), MUL
        if not den.is_Atom:
            d = f"({d})"
        text = f"{text}/{d}"
    return text, MUL


def _edge(x: Node, side: int) -> str:
    """The variable name at the left (0) or right (1) edge of a product, '' if none."""
    while isinstance(x, MatMul | T):
        x = (x.a if side == 0 else x.b) if isinstance(x, MatMul) else x.x
    return name_text(re.sub(r"\d+$", "", x.name), "text") if isinstance(x, Var) else ""


def _join(left: str, right: str, mode: str, long_name: bool = False) -> str:
    if mode in ("input", "latex") or long_name:
        return f"{left} {right}"
    if left and right and left[-1].isdigit() and right[0].isdigit():
        return f"{left}·{right}"
    return left + right


def _matmul(x: MatMul, mode: str) -> tuple[str, int]:
    left = _paren(_render(x.a, mode), POST if isinstance(x.a, Scale) else MUL, mode)
    right_r = _render(x.b, mode)
    right = right_r[0] if isinstance(x.b, MatMul) else _paren(right_r, POST, mode)
    if isinstance(x.b, Scale):
        right = f"({right_r[0]})" if mode != "latex" else rf"\left({right_r[0]}\right)"
    long_name = len(_edge(x.a, 1)) > 1 or len(_edge(x.b, 0)) > 1
    return _join(left, right, mode, long_name), MUL


def _t(x: T, mode: str) -> tuple[str, int]:
    if isinstance(x.x, Unary) and x.x.op == "inv":
        inner = _paren(_render(x.x.x, mode), ATOM, mode)
        tail = {"text": "⁻ᵀ", "latex": "^{-\\top}", "input": ""}[mode]
        if mode == "input":
            return f"inv({_render(x.x.x, mode)[0]})^T", POST
        return inner + tail, POST
    inner = _paren(_render(x.x, mode), ATOM, mode)
    tail = {"text": "ᵀ", "latex": "^{\\top}", "input": "^T"}[mode]
    return inner + tail, POST


def _unary(x: Unary, mode: str) -> tuple[str, int]:
    arg = _render(x.x, mode)
    if x.op == "inv":
        if mode == "input":
            return f"inv({arg[0]})", ATOM
        return _paren(arg, ATOM, mode) + ("⁻¹" if mode == "text" else "^{-1}"), POST
    if x.op == "sqnorm":
        fro = x.x.shape[1] != 1 and x.x.shape[0] != 1
        if mode == "input":
            return f"norm({arg[0]})^2", POST
        if mode == "latex":
            return rf"\left\lVert {arg[0]} \right\rVert{'_F' if fro else ''}^{{2}}", POST
        return f"‖{arg[0]}‖{'_F' if fro else ''}²", POST
    name = UNARY_NAMES[x.op][MODES.index(mode)]
    if mode == "latex":
        return rf"{name}\left({arg[0]}\right)", ATOM
    return f"{name}({arg[0]})", ATOM


def _emap(x: EMap, mode: str) -> tuple[str, int]:
    arg0 = x.args[0]
    if x.fn == sp.sqrt(U[0]) and isinstance(arg0, Unary) and arg0.op == "sqnorm":
        inner = _render(arg0.x, mode)[0]
        if mode == "input":
            return f"norm({inner})", ATOM
        return (rf"\left\lVert {inner} \right\rVert" if mode == "latex" else f"‖{inner}‖"), ATOM
    args = [_render(a, mode) for a in x.args]
    return _sym(x.fn, args, mode, not x.is_scalar(), x.args)


def _sym(
    e: sp.Expr,
    args: list[tuple[str, int]],
    mode: str,
    elementwise: bool,
    nodes: tuple[Node, ...] = (),
) -> tuple[str, int]:
    """Print a scalar SymPy expression whose placeholders u_i stand for rendered arguments."""
    if e in U:
        return args[U.index(e)]
    if e.is_Pow and e.exp == sp.Rational(1, 2) and e.base in U and nodes:
        node = nodes[U.index(e.base)]
        if isinstance(node, Unary) and node.op == "sqnorm":
            return _emap(EMap(sp.sqrt(U[0]), (node,)), mode)
    if e.is_Number or not (e.free_symbols & set(U)):
        return _const(Const(e), mode)
    if e.is_Add:
        terms = sorted(e.as_ordered_terms(), key=lambda t: bool(t.could_extract_minus_sign()))
        out = ""
        for i, t in enumerate(terms):
            if t.could_extract_minus_sign():
                out += (
                    (" − " if mode == "text" else " - ") if i else ("−" if mode == "text" else "-")
                )
                out += _paren(_sym(-t, args, mode, elementwise, nodes), MUL, mode)
            else:
                out += (" + " if i else "") + _paren(
                    _sym(t, args, mode, elementwise, nodes), ADD + 1, mode
                )
        return out, ADD
    if e.is_Mul or (e.is_Pow and e.exp.is_negative):
        num, den = sp.fraction(e)
        if den != 1:
            top = _sym(num, args, mode, elementwise, nodes)
            bottom = _sym(den, args, mode, elementwise, nodes)
            if mode == "latex":
                return rf"\frac{{{top[0]}}}{{{bottom[0]}}}", MUL
            slash = {"input": " ./ ", "text": " ⊘ "}.get(mode, " / ") if elementwise else " / "
            return f"{_paren(top, MUL, mode)}{slash}{_paren(bottom, POST, mode)}", (
                HAD if elementwise else MUL
            )
        coeff, factors = e.as_coeff_mul()
        factors = tuple(sorted(factors, key=lambda f: bool(f.is_Add)))
        sep = {
            "text": " ⊙ " if elementwise else "·",
            "latex": r" \odot " if elementwise else r" \cdot ",
            "input": " .* " if elementwise else " * ",
        }[mode]
        body = sep.join(
            _paren(_sym(f, args, mode, elementwise, nodes), POST, mode) for f in factors
        )
        prec = HAD if elementwise and len(factors) > 1 else MUL
        if coeff == -1:
            return ("−" if mode == "text" else "-") + body, prec
        if coeff != 1:
            glue = " * " if mode == "input" else ("" if mode == "text" else " ")
            return f"{_scalar(coeff, mode)}{glue}{body}", prec
        return body, prec
    if e.is_Pow:
        base = _paren(_sym(e.base, args, mode, elementwise, nodes), ATOM, mode)
        if e.exp == sp.Rational(1, 2):
            return _call("sqrt", r"\sqrt", _sym(e.base, args, mode, elementwise, nodes), mode)
        exp = _scalar(e.exp, mode)
        if mode == "latex":
            return f"{base}^{{{exp}}}", POST
        if mode == "text" and e.exp == 2:
            return f"{base}²", POST
        if mode == "input" and elementwise:
            return f"{base}.^{exp if e.exp.is_Atom and e.exp > 0 else f'({exp})'}", POST
        return f"{base}^{exp if e.exp.is_Atom and e.exp > 0 else f'({exp})'}", POST
    if isinstance(e, sp.Function):
        name = type(e).__name__
        names = FUNC_NAMES.get(name, (name, rf"\operatorname{{{name}}}", name))
        inner = _sym(e.args[0], args, mode, elementwise, nodes)
        return _call(names[MODES.index(mode)], names[1], inner, mode)
    return _scalar(e, mode), ATOM


def _call(name: str, latex_name: str, inner: tuple[str, int], mode: str) -> tuple[str, int]:
    if mode == "latex":
        if latex_name == r"\sqrt":
            return rf"\sqrt{{{inner[0]}}}", ATOM
        return rf"{latex_name}\left({inner[0]}\right)", ATOM
    return f"{name}({inner[0]})", ATOM


RENDERERS = {
    Var: _var,
    Const: _const,
    Ones: _ones,
    Eye: _eye,
    Zero: _zero,
    Add: _add,
    Scale: _scale,
    MatMul: _matmul,
    T: _t,
    Unary: _unary,
    EMap: _emap,
}
