"""The structural rules stated in general, as data: each rule's formula (text, with {x} for the
variable of differentiation, and LaTeX) and what it says. The rules print these formulas in
their steps, and the cheat sheet lists them: one source, so the two cannot disagree.

The one-argument function rules (sin, σ, ReLU …) state theirs in `rules.FUNCTIONS`.

>>> STATEMENTS["quotient"].formula_in("x")
'd/dx (f/g) = (f′·g − f·g′)/g²'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleStatement:
    """A rule in general: `rule` is the id its steps carry, `formula` the text ({x} stands for
    the variable), `latex` the same typeset (with x), `meaning` what it says in words."""

    rule: str
    formula: str
    latex: str
    meaning: str

    def formula_in(self, var: str) -> str:
        """The formula with the variable of differentiation named `var`."""
        return self.formula.replace("{x}", var)


STATEMENTS: dict[str, RuleStatement] = {
    "constant": RuleStatement(
        "constant",
        "d/d{x} c = 0",
        r"\frac{d}{dx} c = 0",
        "A constant does not change with x: its derivative is 0",
    ),
    "variable": RuleStatement(
        "variable",
        "d/d{x} {x} = 1",
        r"\frac{d}{dx} x = 1",
        "The derivative of the variable with respect to itself is 1",
    ),
    "sum": RuleStatement(
        "sum",
        "d/d{x} (f + g) = f′ + g′",
        r"\frac{d}{dx}\left(f + g\right) = f' + g'",
        "Sum rule: differentiate term by term (a difference likewise)",
    ),
    "sigma": RuleStatement(
        "sum",
        "d/d{x} Σᵢ fᵢ = Σᵢ dfᵢ/d{x}",
        r"\frac{d}{dx} \sum_i f_i = \sum_i \frac{d f_i}{dx}",
        "The derivative of a sum over samples is the sum of their derivatives "
        "(when the limits do not depend on x)",
    ),
    "constant_multiple": RuleStatement(
        "constant_multiple",
        "d/d{x} (c·f) = c·f′",
        r"\frac{d}{dx}\left(c f\right) = c f'",
        "Constant multiple rule: a constant factor c stays, differentiate the rest",
    ),
    "product": RuleStatement(
        "product",
        "d/d{x} (f·g) = f′·g + f·g′",
        r"\frac{d}{dx}\left(f g\right) = f' g + f g'",
        "Product rule: differentiate one factor at a time, keeping the others, and add",
    ),
    "product_of_n": RuleStatement(
        "product",
        "d/d{x} (f₁·…·fₙ) = Σᵢ f₁·…·fᵢ′·…·fₙ",
        r"\frac{d}{dx}\left(f_1 \cdots f_n\right) = \sum_i f_1 \cdots f_i' \cdots f_n",
        "Product rule for n factors: one term per factor, that factor differentiated",
    ),
    "quotient": RuleStatement(
        "quotient",
        "d/d{x} (f/g) = (f′·g − f·g′)/g²",
        r"\frac{d}{dx} \frac{f}{g} = \frac{f' g - f g'}{g^{2}}",
        "Quotient rule: f′·g minus f·g′, over the denominator squared (where g ≠ 0)",
    ),
    "power": RuleStatement(
        "power",
        "d/du uⁿ = n·uⁿ⁻¹",
        r"\frac{d}{du} u^{n} = n u^{n - 1}",
        "Power rule for a constant exponent n (roots and reciprocals are powers too): "
        "bring n down and lower the exponent by 1",
    ),
    "exponential": RuleStatement(
        "exponential",
        "d/du aᵘ = aᵘ·log(a)",
        r"\frac{d}{du} a^{u} = a^{u} \log a",
        "Exponential with a constant base a > 0: aᵘ = e^(u·log(a)), so its derivative is aᵘ·log(a)",
    ),
    "logarithmic": RuleStatement(
        "logarithmic",
        "d/d{x} f^g = f^g·(g·log(f))′",
        r"\frac{d}{dx} f^{g} = f^{g} \left(g \log f\right)'",
        "Logarithmic differentiation, when base and exponent both vary: y = f^g gives "
        "log(y) = g·log(f); differentiate both sides and multiply by y",
    ),
    "log_base": RuleStatement(
        "log_base",
        "d/du log_b(u) = 1/(u·log(b))",
        r"\frac{d}{du} \log_{b} u = \frac{1}{u \log b}",
        "Logarithm to a constant base b: log_b(u) = log(u)/log(b), a constant multiple of the "
        "natural log",
    ),
    "chain": RuleStatement(
        "chain",
        "d/d{x} f(u) = f′(u)·du/d{x}",
        r"\frac{d}{dx} f(u) = f'(u) \, \frac{du}{dx}",
        "Chain rule: differentiate the outer function f with respect to the inner function u, "
        "multiply by du/dx, and put u back",
    ),
    "max": RuleStatement(
        "max",
        "d/d{x} max(f, g) = f′·H(f − g) + g′·H(g − f)",
        r"\frac{d}{dx} \max(f, g) = f' \operatorname{H}(f - g) + g' \operatorname{H}(g - f)",
        "max follows its largest argument (H is the step function); not differentiable where "
        "the arguments tie, unless their derivatives agree",
    ),
    "min": RuleStatement(
        "min",
        "d/d{x} min(f, g) = f′·H(g − f) + g′·H(f − g)",
        r"\frac{d}{dx} \min(f, g) = f' \operatorname{H}(g - f) + g' \operatorname{H}(f - g)",
        "min follows its smallest argument (H is the step function); not differentiable where "
        "the arguments tie, unless their derivatives agree",
    ),
    "multivariable_chain": RuleStatement(
        "multivariable_chain",
        "d/d{x} f(u₁, …, uₖ) = Σ ∂f/∂uᵢ · duᵢ/d{x}",
        r"\frac{d}{dx} f(u_1, \ldots, u_k) = \sum_i \frac{\partial f}{\partial u_i} "
        r"\frac{d u_i}{dx}",
        "Multivariable chain rule: one term per argument that depends on x",
    ),
}
