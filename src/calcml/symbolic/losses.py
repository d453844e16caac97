"""The derivatives of machine-learning losses, derived step by step and checked.

- `mse`: L = (1/n)·Σᵢ (w·xᵢ + b − yᵢ)², ∂L/∂w = (2/n)·Σᵢ (w·xᵢ + b − yᵢ)·xᵢ
- `binary_cross_entropy`: L = −(y·log σ(z) + (1 − y)·log(1 − σ(z))), ∂L/∂z = σ(z) − y
- `softmax_cross_entropy`: L = −Σₖ yₖ·log pₖ with p = softmax(z), ∂L/∂z = p − y
  (through the softmax Jacobian diag(p) − p·pᵀ, for one-hot y)
- `l2_regularized`: the MSE plus (λ/2)·w², whose derivative gains + λw (weight decay)

>>> mse("w").text().splitlines()[0]
'∂/∂w Σᵢ₌₁ⁿ (w·xᵢ + b - yᵢ)²/n = 2·Σᵢ₌₁ⁿ xᵢ·(w·xᵢ + b - yᵢ)/n'
>>> binary_cross_entropy("z").result
-y + sigmoid(z)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from calcml.errors import CalcmlError, VerificationError
from calcml.expr.functions import sigmoid, softmax
from calcml.expr.parser import symbol
from calcml.expr.render import to_text
from calcml.symbolic.derive import derivation, gradient
from calcml.symbolic.steps import Derivation, Step
from calcml.symbolic.verify import equivalent

_SUB = {"i": "ᵢ", "j": "ⱼ", "k": "ₖ", "n": "ₙ", "m": "ₘ", "1": "₁", "0": "₀"}
_SUP = {"n": "ⁿ", "m": "ᵐ", "N": "ᴺ", "1": "¹", "K": "ᴷ"}


class Sample(sp.Indexed):
    """xᵢ: the i-th sample of a data column (prints as xᵢ; LaTeX x_{i})."""

    def _calcml_text(self, printer: Any) -> str:
        index = str(self.indices[0])
        return f"{printer._print(self.base.label)}{_SUB.get(index, '_' + index)}"

    def _calcml_input(self, printer: Any) -> str:
        return f"{printer._print(self.base.label)}_{self.indices[0]}"


class SampleSum(sp.Sum):
    """Σᵢ₌₁ⁿ f(i): a sum over samples (prints as Σᵢ₌₁ⁿ in calcml's text)."""

    def _calcml_text(self, printer: Any) -> str:
        i, lo, hi = self.limits[0]
        sub = "".join(_SUB.get(c, c) for c in f"{i}={lo}").replace("=", "₌")
        sup = "".join(_SUP.get(c, c) for c in str(hi))
        body = printer._print(self.function)
        if isinstance(self.function, sp.Add):
            body = f"({body})"
        return f"Σ{sub}{sup} {body}"

    def _calcml_input(self, printer: Any) -> str:
        i, lo, hi = self.limits[0]
        return f"sum({printer._print(self.function)}, {i}, {lo}, {hi})"


def samples() -> tuple[sp.Symbol, sp.Symbol, Sample, Sample]:
    """(i, n, xᵢ, yᵢ): the sample index, the number of samples, and the data."""
    i = sp.Symbol("i", integer=True, positive=True)
    n = sp.Symbol("n", integer=True, positive=True)
    x = Sample(sp.IndexedBase(symbol("x")), i)
    y = Sample(sp.IndexedBase(symbol("y")), i)
    return i, n, x, y


def mse_loss() -> sp.Expr:
    """L(w, b) = (1/n)·Σᵢ (w·xᵢ + b − yᵢ)², the mean squared error of a line."""
    i, n, x, y = samples()
    w, b = symbol("w"), symbol("b")
    return SampleSum((w * x + b - y) ** 2, (i, 1, n)) / n  # type: ignore[no-any-return]


def _parameter(wrt: str | sp.Symbol, allowed: tuple[str, ...]) -> sp.Symbol:
    name = wrt.name if isinstance(wrt, sp.Symbol) else str(wrt).strip()
    if name not in allowed:
        raise CalcmlError(f"this loss has parameters {', '.join(allowed)}; got {name!r}")
    return symbol(name)


def mse(wrt: str | sp.Symbol = "w") -> Derivation:
    """∂/∂w or ∂/∂b of the mean squared error over n samples, with indexed sums."""
    var = _parameter(wrt, ("w", "b"))
    return derivation(mse_loss(), var)


def mse_gradient() -> Derivation:
    """∇L with respect to (w, b) for the mean squared error."""
    return gradient(mse_loss(), [symbol("w"), symbol("b")])


def bce_loss(z: sp.Expr | None = None) -> sp.Expr:
    """L = −(y·log σ(z) + (1 − y)·log(1 − σ(z))): binary cross-entropy of a sigmoid output."""
    z = symbol("z") if z is None else z
    y = symbol("y")
    return -(y * sp.log(sigmoid(z)) + (1 - y) * sp.log(1 - sigmoid(z)))  # type: ignore[no-any-return]


def binary_cross_entropy(wrt: str | sp.Symbol = "z") -> Derivation:
    """∂L/∂z = σ(z) − y; with z = w·x + b, ∂L/∂w = (σ(w·x + b) − y)·x and ∂L/∂b = σ(w·x + b) − y."""
    var = _parameter(wrt, ("z", "w", "b"))
    z = symbol("z") if var.name == "z" else symbol("w") * symbol("x") + symbol("b")
    return derivation(bce_loss(z), var)


def l2_loss(lam: sp.Expr | None = None) -> sp.Expr:
    """The MSE plus an L2 penalty: (1/n)·Σᵢ (w·xᵢ + b − yᵢ)² + (λ/2)·w² (calcml's convention:
    the penalty's gradient is λw, weight decay)."""
    lam = symbol("lambda") if lam is None else lam
    return mse_loss() + lam / 2 * symbol("w") ** 2  # type: ignore[no-any-return]


def l2_regularized(wrt: str | sp.Symbol = "w") -> Derivation:
    """∂/∂w of the L2-regularised MSE: the MSE's derivative + λw (b is not penalised)."""
    var = _parameter(wrt, ("w", "b"))
    return derivation(l2_loss(), var, termwise=True)


def softmax_cross_entropy(classes: int = 3) -> Derivation:
    """∂L/∂z for L = −Σₖ yₖ·log pₖ, p = softmax(z): p − y, via the Jacobian diag(p) − p·pᵀ."""
    if not 2 <= classes <= 8:
        raise CalcmlError("softmax_cross_entropy takes between 2 and 8 classes")
    k = classes
    z = [symbol(f"z_{j}") for j in range(1, k + 1)]
    y = [symbol(f"y_{j}") for j in range(1, k + 1)]
    p = [symbol(f"p_{j}") for j in range(1, k + 1)]
    pz = softmax(z)
    loss_z = -sp.Add(*(yk * sp.log(pk) for yk, pk in zip(y, pz, strict=True)))
    loss_p = -sp.Add(*(yk * sp.log(pk) for yk, pk in zip(y, p, strict=True)))
    pv = sp.Matrix(p)

    jac = sp.ImmutableMatrix(sp.diag(*p) - pv * pv.T)
    entry_same, entry_other = derivation(pz[0], z[0]), derivation(pz[0], z[1])
    _check(entry_same.result, p[0] * (1 - p[0]), p, pz)
    _check(entry_other.result, -p[0] * p[1], p, pz)
    dl_dp = sp.ImmutableMatrix([sp.diff(loss_p, pk) for pk in p])
    chained = (jac.T * dl_dp).applyfunc(sp.expand)
    total = sp.Add(*y)
    collected = sp.ImmutableMatrix([sp.collect(g, p, evaluate=True) for g in chained])
    result = sp.ImmutableMatrix(
        [sp.expand(g).subs(sp.expand(pk * total), pk) for g, pk in zip(chained, p, strict=True)]
    )
    _verify_softmax(result, loss_z, z, y, p, pz)

    steps = [
        Step(
            "softmax",
            f"Write p = softmax(z), pₖ = e^(zₖ)/Σⱼ e^(zⱼ), so L = {to_text(loss_p)}",
            loss_z,
            loss_p,
            kind="note",
        ),
        Step(
            "softmax_jacobian",
            "The softmax Jacobian: ∂pₖ/∂zⱼ = pₖ·(δₖⱼ − pⱼ), i.e. J = diag(p) − p·pᵀ "
            f"(from ∂p₁/∂z₁ = {to_text(p[0] * (1 - p[0]))} and ∂p₁/∂z₂ = {to_text(-p[0] * p[1])}, "
            "derived below)",
            pv,
            jac,
            kind="note",
            formula="J = diag(p) − p·pᵀ",
        ),
        Step(
            "log",
            "The loss as a function of p: ∂L/∂pₖ = −yₖ/pₖ",
            loss_p,
            dl_dp,
            kind="note",
        ),
        Step(
            "chain",
            "Multivariable chain rule: ∂L/∂z = Jᵀ·∂L/∂p; each pₖ cancels against 1/pₖ",
            dl_dp,
            collected,
            kind="note",
            formula="∂L/∂zⱼ = Σₖ (∂L/∂pₖ)·(∂pₖ/∂zⱼ)",
        ),
        Step(
            "one_hot",
            f"y is a probability vector (one-hot): {to_text(total)} = 1, so ∂L/∂zⱼ = pⱼ − yⱼ",
            collected,
            result,
            kind="note",
        ),
    ]
    return Derivation(
        f"∂/∂z −Σₖ yₖ·log(softmax(z)ₖ) for {k} classes",
        loss_z,
        result,
        steps,
        wrt=tuple(z),
        shape=(k,),
        notes=[f"assumes {to_text(total)} = 1 (a one-hot or probability label)"],
        components=[entry_same, entry_other],
        verified="checked against sympy.diff of L written with exponentials (p = softmax(z))",
    )


def _check(ours: sp.Expr, in_p: sp.Expr, p: list[sp.Symbol], pz: list[sp.Expr]) -> None:
    exact = in_p.xreplace(dict(zip(p, pz, strict=True)))
    if equivalent(ours, exact, sorted(exact.free_symbols, key=str)) is None:
        raise VerificationError(f"softmax Jacobian entry {to_text(in_p)} failed its check")


def _verify_softmax(
    result: sp.MatrixBase,
    loss_z: sp.Expr,
    z: list[sp.Symbol],
    y: list[sp.Symbol],
    p: list[sp.Symbol],
    pz: list[sp.Expr],
) -> None:
    one_hot = {y[-1]: 1 - sp.Add(*y[:-1])}
    subs = {**dict(zip(p, pz, strict=True)), **one_hot}
    for j, zj in enumerate(z):
        ours = result[j].xreplace(subs)
        reference = sp.diff(loss_z, zj).xreplace(one_hot)
        if equivalent(ours, reference, z + y[:-1]) is None:
            raise VerificationError(f"∂L/∂{to_text(zj)} of softmax cross-entropy failed its check")
