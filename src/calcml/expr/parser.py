"""`parse`: untrusted user text -> SymPy expression, with a lark LALR grammar (grammar.lark).

Nothing here runs text as code or passes it to SymPy's string parsers: the grammar's tree
becomes SymPy objects node by node. Limits keep it safe on hostile input: text length,
nesting depth, the size of numbers, and no eager evaluation of huge powers.

>>> from calcml.expr.render import to_text
>>> to_text(parse("2x sin x"))
'2·x·sin(x)'
>>> to_text(parse(r"\\frac{1}{1 + e^{-z}}"))
'1/(1 + e^(-z))'
"""

from __future__ import annotations

import difflib
import keyword
import math
import re
from collections.abc import Iterator
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import sympy as sp
from lark import Lark, Token, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken, VisitError
from lark.visitors import Transformer_NonRecursive

from calcml.errors import ParseError
from calcml.expr.functions import euclidean_norm
from calcml.expr.names import (
    CALL_ONLY,
    CONSTANTS,
    FUNCTIONS,
    LATEX_ACCENTS,
    LATEX_NAMES,
    LATEX_VARIANTS,
    OPERATOR_NAMES,
    UNICODE_GREEK,
    accented_letter,
    accented_name,
)
from calcml.expr.roots import real_power
from calcml.expr.sums import expand_sum

MAX_LENGTH = 2000  # characters of input
MAX_DEPTH = 100  # nesting of the parse tree (a chain a + b + c … or a·b·c … is one level)
MAX_DIGITS = 1000  # digits of one number literal (and its decimal exponent)
MAX_EXACT_DIGITS = 4000  # digits of any exact number (below Python's 4,300-digit str limit)
MAX_VECTOR = 50  # components of one explicit vector [z1, …, zn]
MAX_BITS = int(MAX_EXACT_DIGITS / math.log10(2))  # the same, in bits

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_OPERAND_END = {"NUMBER", "NAME", "_RPAR", "_RBRACE", "_RSQB", "RBAR", "RDBAR", "SUPERSCRIPT"}
_OPERAND_END |= {"RFLOOR", "RCEIL"}
_OPENERS = {
    "_LPAR": "_RPAR",
    "_LBRACE": "_RBRACE",
    "_LSQB": "_RSQB",
    "LBAR": "RBAR",
    "LDBAR": "RDBAR",
    "LFLOOR": "RFLOOR",
    "LCEIL": "RCEIL",
}
_BARS = {"BAR": ("LBAR", "RBAR"), "DBAR": ("LDBAR", "RDBAR")}  # |x|, ‖w‖: (opening, closing)
_RESERVED = frozenset(keyword.kwlist) - {"lambda"}  # λ is a variable; `for`, `if`... are not
# \hat{y}_i, \bar{\theta}: an accent command on one letter, with the letter's subscript
_ACCENTED = re.compile(
    f"(?P<accent>{'|'.join(LATEX_ACCENTS)})"
    + r"\s*\{\s*\\?(?P<letter>[A-Za-z]+)\s*\}(?P<sub>_\{\w+\}|_\w+)?"
)
_LOG_BASE = re.compile(r"log_(\d{1,3})")  # log_2(x), log_{10}(x)
_GLUED = re.compile(r"^(?P<func>[a-z]{2,5})(?P<var>[xyz])$")  # sinx, lnx, cosx

# LaTeX commands that are not names: command -> (token type, value); None drops the command
_LATEX_TOKENS: dict[str, tuple[str, str] | None] = {
    "frac": ("FRAC", "\\frac"),
    "dfrac": ("FRAC", "\\frac"),
    "tfrac": ("FRAC", "\\frac"),
    "sqrt": ("SQRT", "√"),
    "cdot": ("_TIMES", "·"),
    "times": ("_TIMES", "×"),
    "div": ("_DIVIDE", "÷"),
    "infty": ("NAME", "oo"),
    "lVert": ("DBAR", "‖"),
    "rVert": ("DBAR", "‖"),
    "Vert": ("DBAR", "‖"),
    "lfloor": ("LFLOOR", "⌊"),
    "rfloor": ("RFLOOR", "⌋"),
    "lceil": ("LCEIL", "⌈"),
    "rceil": ("RCEIL", "⌉"),
    "partial": ("PARTIAL", "∂"),
    **dict.fromkeys("left right big Big bigl bigr Bigl Bigr displaystyle mathord".split(), None),
}


def symbol(name: str) -> sp.Symbol:
    """The real SymPy symbol calcml uses for a variable name.

    >>> symbol("x").is_real
    True
    """
    return sp.Symbol(name, real=True)


def sorted_variables(symbols: Any) -> list[sp.Symbol]:
    """Symbols in the order learners expect: by name, numbers compared as numbers.

    >>> sorted_variables(symbol(n) for n in ["x10", "y", "x2", "b", "w"])
    [b, w, x2, x10, y]
    """
    return sorted(symbols, key=lambda s: _natural_key(str(s)))


def _natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", name)
    )


class _PostLexer:
    """Renames tokens the grammar cannot tell apart by their characters alone.

    A name becomes FUNC when it names a function; each `|` becomes LBAR or RBAR from context;
    LaTeX commands become the tokens they stand for. Also enforces the nesting limit.
    """

    always_accept: tuple[str, ...] = ("LATEX", "BAR", "DBAR")  # lexed, then renamed here

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        tokens = _split_frac_digits([t for t in (self._latex(tok) for tok in stream) if t])
        tokens = _latex_accents(tokens)
        tokens = _derivative_operators(tokens)
        open_bars = {"BAR": 0, "DBAR": 0}
        depth = 0
        previous: Token | None = None
        for i, tok in enumerate(tokens):
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if tok.type == "NAME" and previous is not None and previous.type == "DIFFOP":
                tok = _diff_variable(tok)
            elif tok.type == "NAME":
                tok = self._name(tok, following)
            elif tok.type in _BARS:
                kind = tok.type
                ends = previous is not None and previous.type in _OPERAND_END
                closes = open_bars[kind] > 0 and ends
                open_bars[kind] += -1 if closes else 1
                tok = Token.new_borrow_pos(_BARS[kind][closes], tok.value, tok)
            if tok.type in _OPENERS:
                depth += 1
                if depth > MAX_DEPTH // 2:
                    raise ParseError("brackets nested too deeply", tok.column)
            elif tok.type in _OPENERS.values():
                depth -= 1
            previous = tok
            yield tok

    @staticmethod
    def _latex(tok: Token) -> Token | None:
        if tok.type != "LATEX":
            return tok
        command = tok.value[1:]
        braced = re.fullmatch(r"(operatorname|mathrm|text)\s*\{\s*([A-Za-z_]+)\s*\}", command)
        if braced:
            name = braced.group(2)
            return Token.new_borrow_pos("NAME", OPERATOR_NAMES.get(name, name), tok)
        accented = _ACCENTED.fullmatch(command)
        if accented:  # \hat{y}_i: the accent, its one letter and the letter's subscript
            letter, accent = accented["letter"], LATEX_ACCENTS[accented["accent"]]
            if not _one_letter(letter):
                raise ParseError(f"\\{accent} takes one letter, as in \\{accent}{{y}}", tok.column)
            sub = (accented["sub"] or "").replace("{", "").replace("}", "")
            return Token.new_borrow_pos("NAME", letter + accent + sub, tok)
        if command in LATEX_ACCENTS:
            return Token.new_borrow_pos("ACCENT", LATEX_ACCENTS[command], tok)
        if command in _LATEX_TOKENS:
            replacement = _LATEX_TOKENS[command]
            return None if replacement is None else Token.new_borrow_pos(*replacement, tok)
        command, _, sub = command.partition("_")  # \theta_2, \mu_{k}, \log_{10}
        sub = sub.strip("{}")
        if sub and command not in LATEX_NAMES and command != "log":
            raise ParseError(f"'\\{command}' takes no subscript", tok.column)
        if command in LATEX_NAMES or command in FUNCTIONS or command in CONSTANTS:
            name = LATEX_VARIANTS.get(command, command)
            return Token.new_borrow_pos("NAME", f"{name}_{sub}" if sub else name, tok)
        raise ParseError(f"unknown LaTeX command '\\{command}'", tok.column)

    @staticmethod
    def _name(tok: Token, following: Token | None) -> Token:
        name = _normalise_name(tok.value)
        applied = following is not None and following.type == "_LPAR"
        if name in FUNCTIONS or _LOG_BASE.fullmatch(name):
            return Token.new_borrow_pos("FUNC", name, tok)
        if applied and name in CALL_ONLY:
            return Token.new_borrow_pos("FUNC", CALL_ONLY[name], tok)
        if name in _RESERVED:
            raise ParseError(f"'{name}' is a reserved word, not a variable", tok.column)
        glued = _GLUED.match(name)
        if glued and glued.group("func") in FUNCTIONS:
            func, var = glued.group("func"), glued.group("var")
            raise ParseError(
                f"'{name}' reads as one name — write {func}({var}) or {func} {var}", tok.column
            )
        if applied and _looks_like_function(name):
            raise ParseError(_unknown_function(name), tok.column)
        return Token.new_borrow_pos("NAME", name, tok)


def _latex_accents(tokens: list[Token]) -> list[Token]:
    """`\\hat{y}`, `\\bar x`, `\\tilde{\\theta}` become the accented variable (yhat, xbar,
    thetatilde): an accent takes one letter or one Greek letter."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type != "ACCENT":
            out.append(tok)
            i += 1
            continue
        braced = [t.type for t in tokens[i + 1 : i + 4]] == ["_LBRACE", "NAME", "_RBRACE"]
        letter = tokens[i + 2] if braced else tokens[i + 1] if i + 1 < len(tokens) else None
        base, _, sub = letter.value.partition("_") if letter is not None else ("", "", "")
        if letter is None or letter.type != "NAME" or not _one_letter(base):
            example = f"\\{tok.value}{{y}}"
            raise ParseError(f"\\{tok.value} takes one letter, as in {example}", tok.column)
        out.append(Token.new_borrow_pos("NAME", base + tok.value + (sub and f"_{sub}"), tok))
        i += 4 if braced else 2
    return out


def _one_letter(name: str) -> bool:
    return len(name) == 1 or name in UNICODE_GREEK.values() or name in UNICODE_GREEK


def _derivative_operators(tokens: list[Token]) -> list[Token]:
    """`\\frac{d}{dx}` and `\\frac{\\partial}{\\partial x}` become the operator d/dx; an operator
    not followed by a parenthesis takes the rest of its bracket (`d/dx x^2 + 1` is d/dx(x² + 1))."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        latex = _frac_operator(tokens, i)
        if latex is not None:
            operator, name, i = latex
            out += [operator, name]
        elif tokens[i].type == "DIFFOP" and i + 1 < len(tokens) and tokens[i + 1].type == "NAME":
            out += tokens[i : i + 2]
            i += 2
        else:
            out.append(tokens[i])
            i += 1
            continue
        if i < len(tokens) and tokens[i].type == "_LPAR":
            continue
        end = _end_of_bracket(tokens, i)
        if end == i:
            raise ParseError(
                f"{out[-2].value}{out[-1].value} needs an expression to differentiate",
                out[-2].column,
            )
        out += [Token.new_borrow_pos("_LPAR", "(", out[-1])]
        out += _derivative_operators(tokens[i:end])
        out += [Token.new_borrow_pos("_RPAR", ")", out[-1])]
        i = end
    return out


def _frac_operator(tokens: list[Token], i: int) -> tuple[Token, Token, int] | None:
    """\\frac{d}{dx} (or {\\partial}{\\partial x}) at tokens[i]: (d/dx, x, index after)."""
    window = tokens[i : i + 8]
    shape = [(t.type, t.value) for t in window]
    if len(shape) < 7 or shape[0][0] != "FRAC" or shape[1][0] != "_LBRACE":
        return None
    if shape[2] == ("NAME", "d") and [k for k, _ in shape[3:7]] == [
        "_RBRACE",
        "_LBRACE",
        "NAME",
        "_RBRACE",
    ]:  # \frac{d}{dx}: the name dx is d and x
        below = window[5]
        if len(below.value) > 1 and below.value.startswith("d"):
            name = Token.new_borrow_pos("NAME", below.value[1:], below)
            return Token.new_borrow_pos("DIFFOP", "d/d", tokens[i]), name, i + 7
        return None
    lead = {("NAME", "d"): "d", ("PARTIAL", "∂"): "∂"}.get(shape[2])
    if lead is None or len(shape) < 8 or [k for k, _ in shape[3:5]] != ["_RBRACE", "_LBRACE"]:
        return None
    if shape[5] == shape[2] and shape[6][0] == "NAME" and shape[7][0] == "_RBRACE":
        return Token.new_borrow_pos("DIFFOP", f"{lead}/{lead}", tokens[i]), window[6], i + 8
    return None


def _end_of_bracket(tokens: list[Token], start: int) -> int:
    """The index where the bracket (or the whole text) that tokens[start] is in closes; a comma
    at that level ends it too."""
    depth = 0
    for j in range(start, len(tokens)):
        kind = tokens[j].type
        if kind in _OPENERS:
            depth += 1
        elif kind in _OPENERS.values():
            if depth == 0:
                return j
            depth -= 1
        elif kind == "_COMMA" and depth == 0:
            return j
    return len(tokens)


def _diff_variable(tok: Token) -> Token:
    """The variable after d/d: a name, never a function or a constant."""
    name = _normalise_name(tok.value)
    if name in CONSTANTS or name in FUNCTIONS or name in _RESERVED:
        raise ParseError(f"d/d{name}: '{name}' is not a variable to differentiate by", tok.column)
    return Token.new_borrow_pos("NAME", name, tok)


def _split_frac_digits(tokens: list[Token]) -> list[Token]:
    """LaTeX's \\frac12 is 1/2: a \\frac takes single digits as its two arguments."""
    out: list[Token] = []
    for tok in tokens:
        digits = tok.value if tok.type == "NUMBER" and tok.value.isdigit() else ""
        if out and out[-1].type == "FRAC" and len(digits) > 1:
            out.append(Token.new_borrow_pos("NUMBER", digits[0], tok))
            out.append(Token.new_borrow_pos("NUMBER", digits[1], tok))
            if len(digits) > 2:
                out.append(Token.new_borrow_pos("NUMBER", digits[2:], tok))
        else:
            out.append(tok)
    return out


def _normalise_name(raw: str) -> str:
    accented = accented_name(raw) if not raw.isascii() else None
    if accented is not None:
        return accented
    name = "".join(UNICODE_GREEK.get(ch, ch) for ch in raw) if not raw.isascii() else raw
    name = name.translate(_SUBSCRIPT_DIGITS)
    if "_{" in name:
        name = name.replace("_{", "_").rstrip("}")
    if name != raw and not raw.isascii():
        tail = raw.lstrip("".join(UNICODE_GREEK))
        if any(ch in "₀₁₂₃₄₅₆₇₈₉" for ch in tail) and "_" not in name:
            head = name.rstrip("0123456789")
            name = f"{head}_{name[len(head) :]}"
    return name


def _looks_like_function(name: str) -> bool:
    """A multi-letter plain word before '(' is a function call; x(…) or θ(…) is a product."""
    plain = name not in UNICODE_GREEK.values() and accented_letter(name) is None
    return len(name) > 1 and name.isalpha() and plain


def _unknown_function(name: str) -> str:
    tails = [f for f in FUNCTIONS if name.endswith(f) and len(f) > 1 and name[: -len(f)].isalpha()]
    if tails:  # xsin(x): a variable glued to a function
        head, f = name[: -len(max(tails, key=len))], max(tails, key=len)
        return f"unknown function '{name}' — did you mean {head}·{f}(…)? (write {head}*{f}(...))"
    anagrams = [f for f in FUNCTIONS if sorted(f) == sorted(name)]  # tahn -> tanh
    close = anagrams or difflib.get_close_matches(name, list(FUNCTIONS), n=1, cutoff=0.6)
    if close:
        return f"unknown function '{name}' — did you mean '{close[0]}'?"
    return f"unknown function '{name}' — write {name}*(...) for a product"


@cache
def _lark() -> Lark:
    grammar = resources.files("calcml.expr").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="basic", postlex=_PostLexer(), start="start")


def _check_bits(base: sp.Expr, exponent: sp.Expr, column: int | None) -> None:
    """Refuse exact powers whose value would have more than MAX_BITS bits (9^9^9 and the like)."""
    if not (base.is_Rational and exponent.is_Rational) or base == 0:
        return
    p, q = abs(int(base.p)), int(base.q)  # type: ignore[attr-defined]
    bits = max(p.bit_length(), q.bit_length()) - 1 if max(p, q) > 1 else 0
    size = abs(exponent) * bits
    if size > MAX_BITS:
        log_digits = math.log10(size.p) - math.log10(size.q) + math.log10(math.log10(2))
        about = f"{10**log_digits:.2g}" if log_digits < 15 else f"10^{log_digits:.0f}"
        raise ParseError(
            f"number too large: this power has about {about} digits (at most {MAX_EXACT_DIGITS})",
            column,
        )


def power(base: sp.Expr, exponent: sp.Expr, column: int | None = 0) -> sp.Expr:
    """base^exponent, refusing exact results too large to hold (never a hang); an odd root
    (x^(1/3), x^(2/5)) is the real root."""
    if base.is_Rational and exponent.is_Float:
        exponent = sp.Rational(str(exponent))
    _check_bits(base, exponent, column)
    return real_power(base, exponent)


@v_args(inline=True)
class _ToSympy(Transformer_NonRecursive):
    """Builds SymPy objects from the tree (the only place user text becomes SymPy)."""

    def number(self, tok: Token) -> sp.Expr:
        mantissa, _, exp = tok.value.lower().partition("e")
        if len(mantissa) > MAX_DIGITS or (exp and abs(int(exp)) > MAX_DIGITS):
            raise ParseError("number too large", tok.column)
        value = Fraction(tok.value)
        return sp.Rational(value.numerator, value.denominator)

    def name(self, tok: Token) -> sp.Expr:
        if tok.value in CONSTANTS:
            return CONSTANTS[tok.value]
        return symbol(tok.value)

    def add(self, a: sp.Expr, b: sp.Expr) -> sp.Expr:
        return a + b

    def sub(self, a: sp.Expr, b: sp.Expr) -> sp.Expr:
        return a - b

    def mul(self, a: sp.Expr, b: sp.Expr) -> sp.Expr:
        return a * b

    def div(self, a: sp.Expr, b: sp.Expr) -> sp.Expr:
        return a / b

    def neg(self, a: sp.Expr) -> sp.Expr:
        return -a

    def pow(self, base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
        return power(base, exponent)

    def supow(self, base: sp.Expr, sup: Token) -> sp.Expr:
        return power(base, _superscript(sup), sup.column)

    def abs(self, _open: Token, inner: sp.Expr, _close: Token) -> sp.Expr:
        return sp.Abs(inner)

    def args(self, *items: sp.Expr) -> list[sp.Expr]:
        return list(items)

    def vector(self, *items: Any) -> Vector:
        components = items[0] if len(items) == 1 and isinstance(items[0], list) else items
        if any(isinstance(c, Vector) for c in components):
            raise ParseError("a vector's components must be numbers or expressions, not vectors")
        if len(components) > MAX_VECTOR:
            raise ParseError(f"a vector has at most {MAX_VECTOR} components")
        return Vector(components)

    def big_sum(
        self, op: Token, index: Token, lower: sp.Expr, upper: sp.Expr, body: sp.Expr
    ) -> sp.Expr:
        try:
            return expand_sum(body, self.name(index), lower, upper)
        except ParseError as error:
            raise ParseError(error.reason, op.column) from None

    def floor_bars(self, _open: Token, inner: sp.Expr, _close: Token) -> sp.Expr:
        return sp.floor(inner)

    def ceil_bars(self, _open: Token, inner: sp.Expr, _close: Token) -> sp.Expr:
        return sp.ceiling(inner)

    def norm_bars(self, _open: Token, inner: Any, _close: Token) -> sp.Expr:
        return euclidean_norm(*(inner if isinstance(inner, Vector) else (inner,)))

    def bare_arg(self, *factors: sp.Expr) -> sp.Expr:
        return sp.Mul(*factors)

    def call(self, func: Token, arguments: list[sp.Expr] | sp.Expr) -> sp.Expr:
        return _apply(func, arguments if isinstance(arguments, list) else [arguments])

    def call_abs(self, func: Token, _open: Token, inner: sp.Expr, _close: Token) -> sp.Expr:
        return _apply(func, [sp.Abs(inner)])

    def call_pow(self, func: Token, exponent: sp.Expr, arguments: Any) -> sp.Expr:
        arguments = arguments if isinstance(arguments, list) else [arguments]
        spec = FUNCTIONS.get(func.value)
        inverse = spec.inverse if spec else None
        if exponent == -1 and inverse is not None:  # sin^{-1}(x) is arcsin
            return _apply(Token.new_borrow_pos("FUNC", inverse, func), arguments)
        return power(_apply(func, arguments), exponent, func.column)

    def call_supow(self, func: Token, sup: Token, arguments: Any) -> sp.Expr:
        return self.call_pow(func, _superscript(sup), arguments)

    def frac(self, _frac: Token, numerator: sp.Expr, denominator: sp.Expr) -> sp.Expr:
        return numerator / denominator

    def sqrt(self, _sqrt: Token, inner: sp.Expr) -> sp.Expr:
        return sp.sqrt(inner)

    def diff(self, _op: Token, name: Token, inner: sp.Expr) -> sp.Expr:
        return sp.Derivative(inner, symbol(name.value), evaluate=False)

    def root(self, _sqrt: Token, degree: sp.Expr, inner: sp.Expr) -> sp.Expr:
        if degree == 0:
            raise ParseError("a root of degree 0 is undefined", _sqrt.column)
        return power(inner, 1 / degree, _sqrt.column)


def _superscript(tok: Token) -> sp.Integer:
    text = tok.value.translate(_SUPERSCRIPT_DIGITS).lstrip("+")
    if not re.fullmatch(r"-?\d+", text):
        raise ParseError(f"cannot read the exponent '{tok.value}'", tok.column)
    if len(text) > MAX_DIGITS:
        raise ParseError("number too large", tok.column)
    return sp.Integer(int(text))


class Vector(tuple[sp.Expr, ...]):
    """An explicit vector of components, `[w1, w2]` or `(w1, w2)`: only functions of vectors
    (norm, softmax) take one."""


def _apply(func: Token, arguments: list[sp.Expr]) -> sp.Expr:
    based = _LOG_BASE.fullmatch(func.value)
    if based:
        if len(arguments) != 1:
            raise ParseError(f"{func.value} takes 1 argument, got {len(arguments)}", func.column)
        base = int(based.group(1))
        if base < 2:
            raise ParseError(f"a logarithm needs a base of 2 or more, not {base}", func.column)
        return sp.log(arguments[0], base)
    spec = FUNCTIONS[func.value]
    if not spec.vectors and any(isinstance(a, Vector) for a in arguments):
        raise ParseError(f"{func.value} does not take a vector [… , …]", func.column)
    count = len(arguments)
    most = spec.max_args
    if count < spec.min_args or (most is not None and count > most):
        wanted = (
            f"{spec.min_args}"
            if most == spec.min_args
            else f"{spec.min_args} or more"
            if most is None
            else f"{spec.min_args} to {most}"
        )
        plural = "" if wanted == "1" else "s"
        raise ParseError(f"{func.value} takes {wanted} argument{plural}, got {count}", func.column)
    try:
        return spec.build(*arguments)
    except ParseError as error:
        raise ParseError(error.reason, func.column) from None


# operators that chain: a + b − c is one level of nesting, not three
_CHAINS = {"add": "sum", "sub": "sum", "mul": "product", "div": "product"}


def _tree_depth(tree: Tree[Token]) -> int:
    """Nesting depth: a chain of the same kind of operator (a + b + … + z) counts once."""
    deepest = 0
    stack: list[tuple[Tree[Token] | Token, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, Tree):
            kind = _CHAINS.get(str(node.data), "")
            for child in node.children:
                same = kind and isinstance(child, Tree) and _CHAINS.get(str(child.data)) == kind
                stack.append((child, depth if same else depth + 1))
    return deepest


def _check_numbers(result: sp.Expr) -> None:
    """Refuse a result holding an exact number of more than MAX_EXACT_DIGITS digits.

    Each power is checked as it is built; a product of big numbers (10^4000·10^4000) only here.
    """
    for number in result.atoms(sp.Rational):
        bits = max(abs(int(number.p)).bit_length(), int(number.q).bit_length())
        if bits > MAX_BITS:
            raise ParseError(
                f"number too large: at most {MAX_EXACT_DIGITS} digits in an exact number"
            )


def _describe(tok: Token) -> str:
    shown = {"LBAR": "|", "RBAR": "|", "FRAC": "\\frac"}.get(tok.type, str(tok.value))
    return f"'{shown}'"


def _lark_error(error: Exception, text: str) -> ParseError:
    if isinstance(error, UnexpectedCharacters):
        pos = error.pos_in_stream or 0
        char = text[pos] if pos < len(text) else ""
        what = "line break" if char in "\r\n" else f"character '{char}'"
        return ParseError(f"unexpected {what}", error.column, text)
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        return ParseError(
            "the expression ends too early — is a ')' or an operand missing?",
            len(text) + 1,
            text,
        )
    if isinstance(error, UnexpectedToken):
        return ParseError(f"unexpected {_describe(error.token)}", error.column, text)
    return ParseError(str(error), 0, text)


def parse(text: str) -> sp.Expr:
    """Parse untrusted user text into a SymPy expression (real variables; never run as Python).

    Accepts calcml's input syntax, its own Unicode output (`x²·sin(x)`, `σ(z)`) and a LaTeX
    subset (`\\frac{a}{b}`, `\\sqrt{x}`, `e^{-x}`). Raises `ParseError(message, column)`.

    >>> parse("x^2 + 1")
    x**2 + 1
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"expression too long ({len(text)} characters; at most {MAX_LENGTH})")
    if not text.strip():
        raise ParseError("empty expression", 1, text)
    try:
        tree = _lark().parse(text)
        if _tree_depth(tree) > MAX_DEPTH:
            raise ParseError("expression nested too deeply", 0, text)
        result = _ToSympy().transform(tree)
    except ParseError as error:
        raise ParseError(error.reason, error.column, text) from None
    except VisitError as error:
        if isinstance(error.orig_exc, ParseError):
            raise ParseError(error.orig_exc.reason, error.orig_exc.column, text) from None
        raise ParseError(f"cannot build this expression: {error.orig_exc}", 0, text) from None
    except (UnexpectedCharacters, UnexpectedToken, UnexpectedEOF) as error:
        raise _lark_error(error, text) from None
    if not isinstance(result, sp.Expr):
        raise ParseError("not an expression", 1, text)
    _check_numbers(result)
    if result.has(sp.zoo, sp.nan):
        raise ParseError("the expression is undefined (division by zero or ∞ − ∞)", 0, text)
    return result
