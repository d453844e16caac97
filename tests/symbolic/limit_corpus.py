"""A curated corpus of limits with answers checked by hand (the reasoning is in `why`).

`expected` is the JSON value string: a number in calcml syntax, 'oo', '-oo' or 'DNE'.
`sympy_wrong` marks cases where SymPy's `limit` (one-sided, as asked) is known to be wrong.
Used by tests/symbolic/test_limits_corpus.py and benchmarks/bench_limits.py.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    expr: str
    at: str
    side: str  # both | left | right
    expected: str
    kind: str
    why: str = ""
    sympy_wrong: bool = False


CORPUS: tuple[Case, ...] = (
    # 0/0
    Case("sin(x)/x", "0", "both", "1", "0/0", "standard limit"),
    Case("(x^2 - 1)/(x - 1)", "1", "both", "2", "0/0", "(x-1)(x+1)/(x-1) = x+1 → 2"),
    Case("(sqrt(x + 4) - 2)/x", "0", "both", "1/4", "0/0", "conjugate: 1/(√(x+4)+2) → 1/4"),
    Case("(1 - cos(x))/x^2", "0", "both", "1/2", "0/0", "1 - cos x ≈ x²/2"),
    Case("(exp(x) - 1)/x", "0", "both", "1", "0/0", "standard limit"),
    Case("log(1 + x)/x", "0", "both", "1", "0/0", "standard limit"),
    Case("tan(3*x)/x", "0", "both", "3", "0/0", "tan 3x ≈ 3x"),
    Case("(x^3 - 8)/(x - 2)", "2", "both", "12", "0/0", "x² + 2x + 4 at 2"),
    Case("(sin(x) - x)/x^3", "0", "both", "-1/6", "0/0", "sin x = x - x³/6 + …"),
    Case("(exp(x) - 1 - x)/x^2", "0", "both", "1/2", "0/0", "e^x = 1 + x + x²/2 + …"),
    Case("sin(5*x)/sin(2*x)", "0", "both", "5/2", "0/0", "5x/2x"),
    Case("(x^2 - 5*x + 6)/(x^2 - 4)", "2", "both", "-1/4", "0/0", "(x-3)/(x+2) at 2"),
    Case("(sqrt(x) - 1)/(x - 1)", "1", "both", "1/2", "0/0", "1/(√x + 1)"),
    Case("(2^x - 1)/x", "0", "both", "log(2)", "0/0", "2^x = e^(x ln 2)"),
    Case("atan(x)/x", "0", "both", "1", "0/0", "atan x ≈ x"),
    Case("(1 - cos(x))/x", "0", "both", "0", "0/0", "≈ x/2"),
    Case("x/(sqrt(x + 1) - 1)", "0", "both", "2", "0/0", "conjugate: √(x+1) + 1 → 2"),
    Case("(tan(x) - sin(x))/x^3", "0", "both", "1/2", "0/0", "tan x - sin x ≈ x³/2"),
    Case("(x - sin(x))/(x - tan(x))", "0", "both", "-1/2", "0/0", "(x³/6)/(-x³/3)"),
    Case("log(x)/(x - 1)", "1", "both", "1", "0/0", "derivative of log at 1"),
    # ∞/∞
    Case("(3*x^2 + 1)/(2*x^2 - x)", "oo", "both", "3/2", "∞/∞", "leading coefficients"),
    Case("(x^3 + 1)/(x^2 + 1)", "oo", "both", "oo", "∞/∞", "degree 3 over degree 2"),
    Case("(x + 1)/(x^2 + 1)", "oo", "both", "0", "∞/∞", "degree 1 over degree 2"),
    Case("log(x)/x", "oo", "both", "0", "∞/∞", "logs grow slower than powers"),
    Case("exp(x)/x^10", "oo", "both", "oo", "∞/∞", "exponentials beat powers"),
    Case("x^2/exp(x)", "oo", "both", "0", "∞/∞", "exponentials beat powers"),
    Case("(2*x + 3)/(5*x - 1)", "-oo", "both", "2/5", "∞/∞", "leading coefficients"),
    Case("sqrt(x^2 + 1)/x", "oo", "both", "1", "∞/∞", "√(x²+1) ≈ |x|"),
    Case("sqrt(x^2 + 1)/x", "-oo", "both", "-1", "∞/∞", "√(x²+1) ≈ |x| = -x"),
    Case("log(x)/log(2*x)", "oo", "both", "1", "∞/∞", "log 2x = log 2 + log x"),
    # 0·∞
    Case("x*log(x)", "0", "right", "0", "0·∞", "log x/(1/x), L'Hôpital: -x"),
    Case("x*exp(-x)", "oo", "both", "0", "0·∞", "x/e^x"),
    Case("x*sin(1/x)", "oo", "both", "1", "0·∞", "sin u/u with u = 1/x"),
    Case("x^2*log(x)", "0", "right", "0", "0·∞", "log x/x⁻², L'Hôpital: -x²/2"),
    Case("(pi/2 - atan(x))*x", "oo", "both", "1", "0·∞", "π/2 - atan x = atan(1/x) ≈ 1/x"),
    # ∞ − ∞
    Case("sqrt(x^2 + x) - x", "oo", "both", "1/2", "∞−∞", "x/(√(x²+x) + x) → 1/2"),
    Case("1/x - 1/sin(x)", "0", "both", "0", "∞−∞", "(sin x - x)/(x sin x) ≈ -x/6"),
    Case("x - log(x)", "oo", "both", "oo", "∞−∞", "x(1 - log x/x)"),
    Case("1/(x - 1) - 2/(x^2 - 1)", "1", "both", "1/2", "∞−∞", "= 1/(x + 1)"),
    Case("sqrt(x^2 + 1) - x", "oo", "both", "0", "∞−∞", "1/(√(x²+1) + x)"),
    Case("x^2 - x", "oo", "both", "oo", "∞−∞", "x²(1 - 1/x)"),
    Case("1/log(x) - 1/(x - 1)", "1", "both", "1/2", "∞−∞", "series at 1"),
    # 1^∞
    Case("(1 + 1/x)^x", "oo", "both", "e", "1^∞", "definition of e"),
    Case("(1 + x)^(1/x)", "0", "both", "e", "1^∞", "definition of e"),
    Case("(1 + 2/x)^x", "oo", "both", "exp(2)", "1^∞", "x log(1 + 2/x) → 2"),
    Case("cos(x)^(1/x^2)", "0", "both", "exp(-1/2)", "1^∞", "log cos x ≈ -x²/2"),
    Case("(1 - 1/x)^x", "oo", "both", "exp(-1)", "1^∞", "x log(1 - 1/x) → -1"),
    # 0^0
    Case("x^x", "0", "right", "1", "0^0", "x log x → 0"),
    Case("sin(x)^x", "0", "right", "1", "0^0", "x log sin x → 0"),
    Case("x^sin(x)", "0", "right", "1", "0^0", "sin x log x → 0"),
    # ∞^0
    Case("x^(1/x)", "oo", "both", "1", "∞^0", "log x/x → 0"),
    Case("(1/x)^x", "0", "right", "1", "∞^0", "-x log x → 0"),
    Case("(exp(x) + x)^(1/x)", "oo", "both", "e", "∞^0", "log(e^x + x)/x → 1"),
    # one-sided, DNE by disagreement, jumps
    Case("abs(x)/x", "0", "both", "DNE", "jump", "left -1, right 1"),
    Case("abs(x)/x", "0", "right", "1", "one-sided", "|x| = x"),
    Case("abs(x)/x", "0", "left", "-1", "one-sided", "|x| = -x"),
    Case("1/x", "0", "both", "DNE", "infinite", "left -∞, right ∞"),
    Case("1/x", "0", "right", "oo", "one-sided", "1/0⁺"),
    Case("1/x", "0", "left", "-oo", "one-sided", "1/0⁻"),
    Case("1/x^2", "0", "both", "oo", "infinite", "both sides +∞"),
    Case("heaviside(x)", "0", "both", "DNE", "jump", "left 0, right 1"),
    Case("exp(1/x)", "0", "right", "oo", "one-sided", "1/x → ∞"),
    Case("exp(1/x)", "0", "left", "0", "one-sided", "1/x → -∞"),
    Case("atan(1/x)", "0", "both", "DNE", "jump", "left -π/2, right π/2"),
    Case("atan(1/x)", "0", "right", "pi/2", "one-sided", "1/x → ∞"),
    Case("2^(1/x)", "0", "left", "0", "sympy-wrong", "2^(-∞) = 0; SymPy says oo", True),
    Case("2^(1/x)", "0", "both", "DNE", "sympy-wrong", "left 0, right ∞"),
    Case("1/(1 + exp(1/x))", "0", "both", "DNE", "jump", "left 1, right 0"),
    Case("(x^2 - 1)/abs(x - 1)", "1", "both", "DNE", "jump", "left -2, right 2"),
    Case("sqrt(x)", "0", "right", "0", "one-sided", "√0⁺ = 0"),
    Case("log(x)", "0", "right", "-oo", "one-sided", "log 0⁺"),
    Case("sign(x)", "0", "both", "DNE", "jump", "left -1, right 1"),
    Case("(x^2 - 4)/(x - 2)", "2", "both", "4", "removable", "x + 2 at 2"),
    # oscillation
    Case("sin(1/x)", "0", "both", "DNE", "oscillation", "1/x → ±∞"),
    Case("cos(1/x)", "0", "right", "DNE", "oscillation", "1/x → ∞"),
    Case("sin(x)", "oo", "both", "DNE", "oscillation", "periodic"),
    Case("x*sin(x)", "oo", "both", "DNE", "oscillation", "unbounded oscillation"),
    Case("x*sin(1/x)", "0", "both", "0", "squeeze", "|x sin(1/x)| ≤ |x|"),
    Case("x^2*cos(1/x)", "0", "both", "0", "squeeze", "|x² cos(1/x)| ≤ x²"),
    Case("sin(x)/x", "oo", "both", "0", "squeeze", "|sin x/x| ≤ 1/x"),
    # ML functions
    Case("sigmoid(x)", "oo", "both", "1", "ml", "e^(-x) → 0"),
    Case("sigmoid(x)", "-oo", "both", "0", "ml", "e^(-x) → ∞"),
    Case("tanh(x)", "oo", "both", "1", "ml", ""),
    Case("tanh(x)", "-oo", "both", "-1", "ml", ""),
    Case("softplus(x)", "-oo", "both", "0", "ml", "log(1 + 0)"),
    Case("softplus(x)", "oo", "both", "oo", "ml", "≈ x"),
    Case("softplus(x) - x", "oo", "both", "0", "ml", "log(1 + e^(-x))"),
    Case("relu(x)/x", "0", "both", "DNE", "ml", "left 0, right 1"),
    Case("relu(x)/x", "0", "right", "1", "ml", "ReLU(x) = x for x > 0"),
    Case("relu(x)", "0", "both", "0", "ml", "continuous"),
    Case("(sigmoid(x) - 1/2)/x", "0", "both", "1/4", "ml", "σ'(0) = 1/4"),
    Case("(softplus(x) - log(2))/x", "0", "both", "1/2", "ml", "softplus'(0) = σ(0)"),
    Case("tanh(x)/x", "0", "both", "1", "ml", "tanh x ≈ x"),
    Case("leaky_relu(x)/x", "0", "left", "1/100", "ml", "slope 1/100 for x < 0"),
    Case("(exp(x) - exp(-x))/(exp(x) + exp(-x))", "oo", "both", "1", "ml", "tanh written out"),
    # weak evidence, slow convergence
    Case("exp(-1/x^2)/x^100", "0", "both", "0", "weak evidence", "huge at h = 0.1, then → 0"),
    Case("exp(-1/x)/x^5", "0", "right", "0", "weak evidence", "u⁵e^(-u), u = 1/x → ∞"),
    Case("x^100*exp(-x)", "oo", "both", "0", "weak evidence", "huge at x = 10, then → 0"),
    Case("log(log(x))/log(x)", "oo", "both", "0", "slow", "log u/u with u = log x"),
    Case("1/log(x)", "0", "right", "0", "slow", "-0.054 at h = 10⁻⁸"),
    Case("(1 + 1/x)^(x^2)*exp(-x)", "oo", "both", "exp(-1/2)", "1^∞", "x² log(1 + 1/x) - x → -1/2"),
    Case("x^(1/log(x))", "oo", "both", "e", "∞^0", "equals e for x > 1"),
    # infinite limits
    Case("(x + 1)/(x - 1)^2", "1", "both", "oo", "infinite", "2/0⁺"),
    Case("-1/x^2", "0", "both", "-oo", "infinite", ""),
    Case("log(abs(x))", "0", "both", "-oo", "infinite", "log 0⁺"),
    Case("tan(x)", "pi/2", "both", "DNE", "infinite", "left ∞, right -∞"),
    Case("tan(x)", "pi/2", "left", "oo", "one-sided", ""),
    Case("x^2", "3", "both", "9", "substitution", "continuous"),
    # powers of ten are special points: the evidence must not be fooled by them
    Case("cos(pi/x)", "0", "both", "DNE", "oscillation", "1 at every x = 10⁻ᵏ, but oscillates"),
    Case("cos(2*pi*x)", "oo", "both", "DNE", "oscillation", "1 at every x = 10ᵏ"),
    Case("cos(pi*x)^2", "oo", "both", "DNE", "oscillation", "1 at every x = 10ᵏ, 0 at k + 1/2"),
    Case("sin(1/x)^2/x", "0", "right", "DNE", "oscillation", "0 at x = 1/(kπ), ≈ 1/x between"),
)
