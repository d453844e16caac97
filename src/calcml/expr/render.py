"""Renderers: one-line Unicode text (`x²·sin(x)`), LaTeX, and calcml's own input syntax.

All three round-trip through `calcml.parse`: `parse(to_text(e)) == parse(to_input(e)) == e`.

>>> from sympy import Symbol, sin
>>> x = Symbol("x", real=True)
>>> to_text(x**2 * sin(x))
'x²·sin(x)'
>>> to_input(x**2 * sin(x))
'x^2*sin(x)'
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter

from calcml.expr.functions import LEAKY_SLOPE
from calcml.expr.names import GREEK_LETTER_OF, accented_letter
from calcml.expr.roots import fold_real_roots

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


# SymPy class name -> name in calcml's input syntax (where they differ)
INPUT_NAMES: dict[str, str] = {
    "Abs": "abs",
    "Heaviside": "heaviside",
    "Max": "max",
    "Min": "min",
    "ceiling": "ceil",
}


COMPACT_DIGITS = 100  # an exact number with more digits is printed as a power when it is one


def _as_power(n: int) -> sp.Expr:
    """n (> 0) as an unevaluated b^k when it is a perfect power with many digits, else n."""
    from sympy.ntheory.factor_ import perfect_power

    if n.bit_length() < COMPACT_DIGITS * 3.3:
        return sp.Integer(n)
    found = perfect_power(n)
    if not found:
        return sp.Integer(n)
    base, k = found
    return sp.Pow(_as_power(int(base)), sp.Integer(k), evaluate=False)


class _BigNumbers:
    """Prints a big exact number as the power it is (10^5000, not 5,001 digits), so the
    printed form stays short and `calcml.parse` reads it back."""

    def _big(self, r: sp.Rational) -> str | None:
        if max(abs(int(r.p)), int(r.q)).bit_length() <= COMPACT_DIGITS * 3.3:
            return None
        num, den = _as_power(abs(int(r.p))), _as_power(int(r.q))
        if not (num.is_Pow or den.is_Pow):
            return None  # no shorter form (10^100 − 1): its digits (printing it again would loop)
        shown = num if den == 1 else sp.Mul(num, sp.Pow(den, -1, evaluate=False), evaluate=False)
        text = str(self._print(shown))  # type: ignore[attr-defined]
        return f"-{text}" if r < 0 else text

    def _print_Integer(self, expr: sp.Integer) -> str:
        parent = getattr(super(), "_print_Integer", None) or super()._print_Rational  # type: ignore[misc]
        return self._big(expr) or str(parent(expr))

    def _print_Rational(self, expr: sp.Rational) -> str:
        return self._big(expr) or str(super()._print_Rational(expr))  # type: ignore[misc]


class _TermOrder:
    """Terms by degree (`w·x + b`, `x² + 1`), but led by a positive term (`1 - σ(x)`)."""

    def _as_ordered_terms(self, expr: Any, order: str | None = None) -> list[Any]:
        terms = list(super()._as_ordered_terms(expr, order="grlex"))  # type: ignore[misc]
        if terms and terms[0].could_extract_minus_sign():
            positive = next((t for t in terms if not t.could_extract_minus_sign()), None)
            if positive is not None:
                terms.remove(positive)
                terms.insert(0, positive)
        return terms


def _is_sum_factor(factor: sp.Expr) -> bool:
    base = factor.base if factor.is_Pow and factor.exp.is_positive else factor
    return bool(base.is_Add)


class InputPrinter(_BigNumbers, _TermOrder, StrPrinter):
    """Prints calcml's ASCII input syntax: `x^2*sin(x)`, `sigmoid(w*x + b)`."""

    printmethod = "_calcml_input"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        text: str = super()._print_Pow(expr, rational)
        return text.replace("**", "^")

    def _print_Mul(self, expr: sp.Mul) -> str:
        folded = fold_real_roots(expr)  # sign(x)·|x|^(1/3) is the real root x^(1/3)
        if folded is not expr:
            return str(self._print(folded))
        # sums go after the other factors: σ(z)·(1 - σ(z)), x·(x + 1), e^x·(x - 1)²
        coeff, rest = expr.as_coeff_Mul()
        factors = list(sp.Mul.make_args(rest))
        reordered = sorted(factors, key=_is_sum_factor)
        if reordered == factors:
            return str(super()._print_Mul(expr))
        saved, self._settings["order"] = self._settings["order"], "none"
        try:
            head = [] if coeff == 1 else [coeff]
            return str(super()._print_Mul(sp.Mul(*head, *reordered, evaluate=False)))
        finally:
            self._settings["order"] = saved

    def _print_Function(self, expr: Any) -> str:
        name = INPUT_NAMES.get(type(expr).__name__, type(expr).__name__)
        return f"{name}({self.stringify(expr.args, ', ')})"

    def _print_Exp1(self, expr: Any) -> str:
        return "e"

    def _print_Float(self, expr: sp.Float) -> str:
        return str(sp.Rational(str(expr)))

    def _print_leaky_relu(self, expr: Any) -> str:
        z, a = expr.args
        if a == LEAKY_SLOPE:
            return f"leaky_relu({self._print(z)})"
        return f"leaky_relu({self._print(z)}, {self._print(a)})"

    def _print_Heaviside(self, expr: Any) -> str:
        return f"heaviside({self._print(expr.args[0])})"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        """d/dx(…), read back by `calcml.parse` as the derivative it asks for."""
        inner = str(self._print(expr.expr))
        for var, count in expr.variable_count:
            for _ in range(int(count)):
                inner = f"d/d{self._print(var)}({inner})"
        return inner

    _print_Abs = _print_Function
    _print_Max = _print_Function
    _print_Min = _print_Function


class TextPrinter(InputPrinter):
    """Prints one-line Unicode: `x²·sin(x)`, `σ(w·x + b)`, `|x|`, `√(x + 1)`, `e^(−x)`."""

    printmethod = "_calcml_text"

    def _print_Mul(self, expr: sp.Mul) -> str:
        # StrPrinter joins factors with '*'; our Pow never prints '*', so each '*' is a product.
        return super()._print_Mul(expr).replace("*", "·")

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        base, exp = expr.args
        if exp in (sp.S.Half, -sp.S.Half):
            inner = self._print(base)
            root = f"√{inner}" if base.is_Atom else f"√({inner})"
            return root if exp == sp.S.Half else f"1/{root}"
        if exp.is_Integer and -100 < exp < 0:
            return "1/" + self.parenthesize(sp.Pow(base, -exp), PRECEDENCE["Mul"], strict=True)
        if exp.is_Integer and 1 < exp < 100:
            inner = self.parenthesize(base, PRECEDENCE["Pow"], strict=True)
            if base.is_Pow or (base.is_Rational and (base < 0 or not base.is_Integer)):
                inner = f"({self._print(base)})"
            return inner + str(exp).translate(_SUPERSCRIPT)
        return str(super()._print_Pow(expr, rational))

    def _print_exp(self, expr: Any) -> str:
        arg = expr.args[0]
        shown = self._print(arg)
        simple = arg.is_Symbol or (arg.is_Integer and arg >= 0)
        return f"e^{shown}" if simple else f"e^({shown})"

    def _print_Exp1(self, expr: Any) -> str:
        return "e"

    def _print_Pi(self, expr: Any) -> str:
        return "π"

    def _print_Infinity(self, expr: Any) -> str:
        return "∞"

    def _print_NegativeInfinity(self, expr: Any) -> str:
        return "-∞"

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return accented_letter(expr.name) or GREEK_LETTER_OF.get(expr.name, expr.name)

    def _print_Abs(self, expr: Any) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_sigmoid(self, expr: Any) -> str:
        return f"σ({self._print(expr.args[0])})"

    def _print_relu(self, expr: Any) -> str:
        return f"ReLU({self._print(expr.args[0])})"


class CalcmlLatexPrinter(_BigNumbers, _TermOrder, LatexPrinter):
    """SymPy's LaTeX with calcml's conventions (σ, ReLU, real symbols, `\\log` for ln)."""

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        super().__init__({"order": "grlex", "mul_symbol": None, **(settings or {})})

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        """d/dx applied to its whole operand: `\\frac{d}{dx}\\left(x y\\right)` (SymPy leaves a
        product unbracketed, which reads as (d/dx x)·y)."""
        inner = str(self._print(expr.expr))
        d = "d" if len(expr.expr.free_symbols) <= 1 else "\\partial"
        for var, count in expr.variable_count:
            for _ in range(int(count)):
                inner = f"\\frac{{{d}}}{{{d} {self._print(var)}}}\\left({inner}\\right)"
        return inner

    def _print_Mul(self, expr: sp.Mul) -> str:
        folded = fold_real_roots(expr)
        return str(self._print(folded) if folded is not expr else super()._print_Mul(expr))

    def _print_Heaviside(self, expr: Any, exp: Any = None) -> str:
        text = rf"\operatorname{{H}}\left({self._print(expr.args[0])}\right)"
        return f"{text}^{{{exp}}}" if exp else text


def _drop_double_parens(text: str) -> str:
    """'x/((x + 1))' -> 'x/(x + 1)': SymPy doubles them around unevaluated denominators."""
    match: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            match[stack.pop()] = i
    drop = {
        j
        for i, close in match.items()
        if text[i + 1 : i + 2] == "(" and match.get(i + 1) == close - 1
        for j in (i, close)
    }
    return "".join(ch for i, ch in enumerate(text) if i not in drop) if drop else text


def to_text(expr: Any) -> str:
    """One-line Unicode rendering that `calcml.parse` reads back."""
    if isinstance(expr, sp.MatrixBase):
        rows = ["[" + ", ".join(to_text(v) for v in expr.row(i)) + "]" for i in range(expr.rows)]
        return "[" + ", ".join(rows) + "]"
    if isinstance(expr, (list, tuple)):
        return "(" + ", ".join(to_text(v) for v in expr) + ")"
    return _drop_double_parens(str(TextPrinter({"order": "grlex"}).doprint(expr)))


def to_input(expr: Any) -> str:
    """calcml's ASCII input syntax (`x^2*sin(x)`): the `expr` field of the JSON form."""
    if isinstance(expr, sp.MatrixBase):
        rows = ["[" + ", ".join(to_input(v) for v in expr.row(i)) + "]" for i in range(expr.rows)]
        return "[" + ", ".join(rows) + "]"
    return _drop_double_parens(str(InputPrinter({"order": "grlex"}).doprint(expr)))


def to_latex(expr: Any) -> str:
    """LaTeX rendering (σ for sigmoid, ReLU as \\operatorname{ReLU})."""
    return str(CalcmlLatexPrinter().doprint(expr))


def expr_dict(expr: Any) -> dict[str, str]:
    """The JSON form of an expression: {"expr": input syntax, "latex": ..., "text": ...}."""
    return {"expr": to_input(expr), "latex": to_latex(expr), "text": to_text(expr)}


def needs_parens(expr: Any) -> bool:
    """True when `expr` must be parenthesised as a factor (sums and the like)."""
    return bool(precedence(expr) < PRECEDENCE["Mul"])
