"""derive, gradient, jacobian, hessian, directional_derivative: verified step-by-step derivatives.

>>> from calcml.expr import symbol
>>> x, y = symbol("x"), symbol("y")
>>> derive(x**3 * sp.exp(x)).result
x**2*(x + 3)*exp(x)
>>> list(gradient(x**2 * y + y**3, [x, y]).result)
[2*x*y, x**2 + 3*y**2]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import sympy as sp

from calcml.errors import CalcmlError, ShapeError, VerificationError
from calcml.expr.convert import as_expr, evaluate_asked
from calcml.expr.parser import sorted_variables
from calcml.expr.render import to_text
from calcml.expr.variables import glued_notes, look_alikes, variable, variable_names
from calcml.symbolic.budget import budgeted, charge_work, count_nodes
from calcml.symbolic.differentiator import Differentiator, held_constant
from calcml.symbolic.inputs import noting_how_input_reads
from calcml.symbolic.simplify import size, tidy, tidy_terms
from calcml.symbolic.steps import Derivation, Step
from calcml.symbolic.verify import equivalent, reference_derivative, verify_derivative

Expression: TypeAlias = str | sp.Expr | int | float
Variables: TypeAlias = str | sp.Symbol | Sequence[str | sp.Symbol] | None


# ----------------------------------------------------------------------------- inputs


def variables_of(expr: sp.Expr | Sequence[sp.Expr]) -> list[sp.Symbol]:
    """The variables of an expression (or several), sorted by name."""
    exprs = [expr] if isinstance(expr, sp.Basic) else list(expr)
    found: set[sp.Symbol] = set()
    for e in exprs:
        data = e.atoms(sp.Indexed)
        labels = {a.base.label for a in data} | {i for a in data for i in a.indices}
        found |= {s for s in e.free_symbols if isinstance(s, sp.Symbol) and s not in labels}
    return sorted_variables(found)


def as_variables(wrt: Variables, expr: sp.Expr | Sequence[sp.Expr]) -> list[sp.Symbol]:
    """'x, y', ['x', 'y'], a Symbol, or None (every variable of `expr`, sorted by name)."""
    if wrt is None:
        found = variables_of(expr)
        if not found:
            raise CalcmlError("the expression has no variables; say which one with wrt")
        return found
    names = variable_names(wrt) if isinstance(wrt, str) else wrt
    if isinstance(names, sp.Symbol):
        names = [names]
    by_name = {s.name: s for s in variables_of(expr)}
    out: list[sp.Symbol] = []
    for w in names:
        named = variable(w if isinstance(w, sp.Symbol) else str(w))
        out.append(by_name.get(named.name, named))
    if len(set(out)) != len(out):
        raise CalcmlError("a variable is listed twice in wrt")
    return out


def _one_variable(wrt: Variables, expr: sp.Expr) -> sp.Symbol:
    if wrt is None:
        found = variables_of(expr)
        if len(found) > 1:
            names = ", ".join(s.name for s in found)
            hints = "".join(f"; {h}" for h in glued_notes(expr))
            raise CalcmlError(
                f"{to_text(expr)} has several variables ({names}): say which with wrt{hints}"
            )
        if not found:
            return sp.Symbol("x", real=True)
    variables = as_variables(wrt, expr) if wrt is not None else variables_of(expr)
    if len(variables) != 1:
        raise CalcmlError("derive differentiates with respect to one variable; use gradient")
    return variables[0]


# ----------------------------------------------------------------------------- derive


@budgeted
@noting_how_input_reads
def derive(f: Expression, wrt: Variables = None) -> Derivation:
    """d/dx f step by step, simplified and checked against SymPy.

    >>> from calcml.expr import sigmoid, symbol
    >>> w, x, b = symbol("w"), symbol("x"), symbol("b")
    >>> derive(sigmoid(w * x + b), "w").text().splitlines()[0]
    '∂/∂w σ(w·x + b) = x·σ(w·x + b)·(1 - σ(w·x + b))'
    """
    expr = as_expr(f, asked=True)
    if isinstance(expr, sp.Derivative) and len(expr.variables) == 1:
        asked = expr.variables[0]  # derive "d/dx x^2": the request names its variable
        if wrt is None or as_variables(wrt, expr) == [asked]:
            return derivation(evaluate_asked(expr.expr), asked, alternative=True)
    expr = evaluate_asked(expr)
    return derivation(expr, _one_variable(wrt, expr), alternative=True)


def derivation(
    expr: sp.Expr,
    var: sp.Symbol,
    alternative: bool = False,
    label: str | None = None,
    termwise: bool = False,
) -> Derivation:
    """The verified derivation of ∂expr/∂var (the engine behind every public function)."""
    others = [s for s in variables_of(expr) if s != var]
    partial = bool(others)
    d = Differentiator(var, partial=partial)
    steps: list[Step] = []
    if partial:
        names = ", ".join(to_text(s) for s in held_constant(expr) if s != var)
        steps.append(
            Step(
                "partial",
                f"Partial derivative with respect to {to_text(var)}: {names} "
                f"{'is' if len(others) == 1 else 'are'} held constant",
                expr,
                expr,
                kind="note",
            )
        )
    notes: list[str] = []
    if not expr.has(var):
        notes.append(f"{to_text(expr)} does not depend on {to_text(var)}, so its derivative is 0")
        notes.extend(
            f"{to_text(var)} does not appear, but {alike} does: did you mean {alike}?"
            for alike in look_alikes(var.name, variables_of(expr))
        )
    main = d.diff(expr)
    steps.append(main)
    charge_work(count_nodes(main.after))
    # as large as ours: every later step costs in proportion
    reference = reference_derivative(expr, var)
    charge_work(count_nodes(reference, "SymPy's derivative"))
    tidied = tidy_terms(main.after) if termwise else tidy(main.after)
    if tidied.how:
        steps.append(Step("simplify", tidied.how, main.after, tidied.expr, kind="rewrite"))
    verified = verify_derivative(tidied.expr, expr, var, raw=main.after, reference=reference)
    question = label or question_for(expr, var, partial)
    result = Derivation(
        question,
        expr,
        tidied.expr,
        steps,
        wrt=(var,),
        notes=notes + d.notes,
        verified=verified,
    )
    if alternative and _has_quotient(expr, var):
        other = _alternative(expr, var, partial, question, reference, result)
        if other is not None:
            result.alternatives.append(other)
    return result


def question_for(expr: sp.Expr, var: sp.Symbol, partial: bool) -> str:
    d = "∂" if partial else "d"
    return f"{d}/{d}{to_text(var)} {_paren(expr)}"


def _paren(expr: sp.Expr) -> str:
    shown = to_text(expr)
    return f"({shown})" if isinstance(expr, sp.Add) else shown


def _has_quotient(expr: sp.Expr, var: sp.Symbol) -> bool:
    return any(
        isinstance(p, sp.Pow) and p.exp.is_Number and p.exp < 0 and p.base.has(var)
        for p in sp.preorder_traversal(expr)
    )


def _alternative(
    expr: sp.Expr,
    var: sp.Symbol,
    partial: bool,
    question: str,
    reference: sp.Expr,
    first: Derivation,
) -> Derivation | None:
    """The same derivative by the other method (product + chain rule ↔ quotient rule).

    When the other method's raw result is SymPy's derivative term for term, it equals the first
    derivation's verified result, so it is simplified straight to that result.
    """
    reciprocal = isinstance(expr.as_independent(var, as_Add=False)[1], sp.Pow)
    d = Differentiator(var, partial=partial, prefer_quotient=False, reciprocal_quotient=reciprocal)
    main = d.diff(expr)
    first_main = next(s for s in first.steps if s.kind == "diff")
    if [s.rule for s in main.walk()] == [s.rule for s in first_main.walk()]:
        return None  # no other method applies (e.g. 1/√x has only the power rule)
    steps = [main]
    if main.after == reference:
        final, verified = first.result, "checked against sympy.diff (exact)"
        if final != main.after:
            how = "Simplify to the same result as the first method"
            steps.append(Step("simplify", how, main.after, final, kind="rewrite"))
    else:
        tidied = tidy(main.after)
        final = tidied.expr
        if tidied.how:
            steps.append(Step("simplify", tidied.how, main.after, final, kind="rewrite"))
        verified = verify_derivative(final, expr, var, raw=main.after, reference=reference)
    return Derivation(question, expr, final, steps, wrt=(var,), verified=verified)


# ----------------------------------------------------------------------------- vectors


def _column(values: Sequence[sp.Expr]) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(len(values), 1, list(values))


def _names(variables: Sequence[sp.Symbol]) -> str:
    return "(" + ", ".join(to_text(v) for v in variables) + ")"


@budgeted
@noting_how_input_reads
def gradient(f: Expression, wrt: Variables = None) -> Derivation:
    """∇f: one partial derivative per variable, as a column with the variables' shape (n,).

    >>> gradient("x^2*y + y^3", "x, y").shape
    (2,)
    """
    expr = as_expr(f)
    variables = as_variables(wrt, expr)
    parts = [derivation(expr, v) for v in variables]
    n = len(variables)
    partials = ", ".join(f"∂f/∂{to_text(v)}" for v in variables)
    note = Step(
        "gradient",
        f"The gradient collects the {n} partial derivative{'s' if n != 1 else ''} {partials}: "
        f"a vector of shape ({n},)",
        expr,
        _column([p.result for p in parts]),
        kind="note",
    )
    return Derivation(
        f"∇ {_paren(expr)} with respect to {_names(variables)}",
        expr,
        _column([p.result for p in parts]),
        [note],
        wrt=tuple(variables),
        shape=(n,),
        components=parts,
        verified="every component checked against sympy.diff",
    )


@budgeted
@noting_how_input_reads
def jacobian(fs: Sequence[Expression] | sp.MatrixBase | str, wrt: Variables = None) -> Derivation:
    """J[i, j] = ∂fᵢ/∂xⱼ: rows are outputs, columns are variables (shape m×n).

    >>> jacobian(["x*y", "x + y^2"], "x, y").result
    Matrix([
    [y,   x],
    [1, 2*y]])
    """
    if isinstance(fs, str):
        fs = [fs]
    outputs = [as_expr(f) for f in list(fs)]
    if not outputs:
        raise ShapeError("jacobian needs at least one function")
    variables = as_variables(wrt, outputs)
    m, n = len(outputs), len(variables)
    parts = [derivation(f, v) for f in outputs for v in variables]
    matrix = sp.ImmutableMatrix(m, n, [p.result for p in parts])
    note = Step(
        "jacobian",
        f"Row i holds the gradient of output i: J[i, j] = ∂fᵢ/∂xⱼ, shape {m}×{n} "
        f"({m} output{'s' if m != 1 else ''}, {n} variable{'s' if n != 1 else ''})",
        sp.ImmutableMatrix(m, 1, outputs),
        matrix,
        kind="note",
    )
    return Derivation(
        f"J {to_text(tuple(outputs))} with respect to {_names(variables)}",
        tuple(outputs),
        matrix,
        [note],
        wrt=tuple(variables),
        shape=(m, n),
        components=parts,
        verified="every entry checked against sympy.diff",
    )


@budgeted
@noting_how_input_reads
def hessian(f: Expression, wrt: Variables = None) -> Derivation:
    """H[i, j] = ∂²f/∂xᵢ∂xⱼ (shape n×n); the symmetry H[i, j] = H[j, i] is checked and noted.

    >>> hessian("x^2*y + y^3", "x, y").result
    Matrix([
    [2*y, 2*x],
    [2*x, 6*y]])
    """
    expr = as_expr(f)
    variables = as_variables(wrt, expr)
    n = len(variables)
    first = [derivation(expr, v) for v in variables]
    second = [
        derivation(
            g.result,
            v,
            label=f"{_second(v, x)} = ∂/∂{to_text(v)} ({to_text(g.result)})",
        )
        for x, g in zip(variables, first, strict=True)
        for v in variables
    ]
    notes = _symmetry_notes(second, variables)
    matrix = sp.ImmutableMatrix(n, n, [s.result for s in second])
    steps = [
        Step(
            "hessian",
            f"First the gradient, then differentiate each of its {n} components again: "
            f"H[i, j] = ∂²f/∂xᵢ∂xⱼ, shape {n}×{n}",
            expr,
            matrix,
            kind="note",
        )
    ]
    return Derivation(
        f"H {_paren(expr)} with respect to {_names(variables)}",
        expr,
        matrix,
        steps,
        wrt=tuple(variables),
        shape=(n, n),
        notes=notes,
        components=first + second,
        verified="every entry checked against sympy.diff",
    )


def _second(v: sp.Symbol, x: sp.Symbol) -> str:
    """∂²f/∂y∂x (differentiate by x first, then y), or ∂²f/∂x² when they are the same."""
    if v == x:
        return f"∂²f/∂{to_text(x)}²"
    return f"∂²f/∂{to_text(v)}∂{to_text(x)}"


def _symmetry_notes(second: list[Derivation], variables: Sequence[sp.Symbol]) -> list[str]:
    """Check H[i, j] = H[j, i]; when they agree, show both in the same (smaller) form."""
    notes: list[str] = []
    n = len(variables)
    for i in range(n):
        for j in range(i + 1, n):
            xi, xj = to_text(variables[i]), to_text(variables[j])
            upper, lower = second[i * n + j], second[j * n + i]
            a, b = upper.result, lower.result
            if equivalent(a, b, variables) is None:
                notes.append(
                    f"∂²f/∂{xi}∂{xj} = {to_text(a)} but ∂²f/∂{xj}∂{xi} = {to_text(b)}: they "
                    "differ, so f is not twice continuously differentiable here"
                )
                continue
            if a != b:
                keep, other = (upper, lower) if size(a) <= size(b) else (lower, upper)
                other.steps.append(
                    Step(
                        "symmetry",
                        "Written like the other mixed partial, which it equals",
                        other.result,
                        keep.result,
                        kind="rewrite",
                    )
                )
                other.result = keep.result
            notes.append(
                f"∂²f/∂{xi}∂{xj} = ∂²f/∂{xj}∂{xi} = {to_text(upper.result)}: the mixed partials "
                "agree (symmetric, as Schwarz's theorem promises for smooth f)"
            )
    return notes


@budgeted
@noting_how_input_reads
def directional_derivative(
    f: Expression,
    wrt: Variables,
    direction: Sequence[Expression],
    unit: bool = True,
) -> Derivation:
    """D_v f = ∇f · v̂ (v normalised to length 1 unless unit=False).

    >>> directional_derivative("x^2 + y^2", "x, y", [3, 4]).result
    2*(3*x + 4*y)/5
    """
    expr = as_expr(f)
    variables = as_variables(wrt, expr)
    v = [as_expr(c) for c in direction]
    if len(v) != len(variables):
        raise ShapeError(
            f"the direction has {len(v)} components but there are {len(variables)} variables"
        )
    length = sp.sqrt(sum(c**2 for c in v))
    if length == 0:
        raise CalcmlError("the direction is the zero vector")
    vhat = [c / length for c in v] if unit else v
    grad = gradient(expr, variables)
    raw = sp.Add(*(g * c for g, c in zip(grad.result, vhat, strict=True)))
    tidied = tidy(raw)
    t = sp.Dummy("t", real=True)  # a complex t would make |u|, sign(u) and real roots complex
    along = expr.xreplace({x: x + t * c for x, c in zip(variables, vhat, strict=True)})
    reference = reference_derivative(along, t).subs(t, 0)
    how = equivalent(tidied.expr, reference, variables)
    if how is None:
        raise VerificationError(f"the directional derivative of {to_text(expr)} failed its check")
    shown_v = to_text(tuple(vhat))
    steps = [
        Step(
            "directional",
            f"D_v f = ∇f · v̂ with v̂ = {shown_v}"
            + (f" (v divided by its length {to_text(length)})" if unit and length != 1 else ""),
            expr,
            raw,
            kind="note",
        )
    ]
    if tidied.how:
        steps.append(Step("simplify", tidied.how, raw, tidied.expr, kind="rewrite"))
    return Derivation(
        f"D_v {_paren(expr)} along v = {to_text(tuple(v))}",
        expr,
        tidied.expr,
        steps,
        wrt=tuple(variables),
        components=[grad],
        verified=f"checked against d/dt f(x + t·v̂) at t = 0 ({how})",
    )
