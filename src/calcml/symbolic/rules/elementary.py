"""Rules for the elementary functions, as data: exp, log, the six trig functions, their inverses,
the hyperbolic functions (tanh′ = 1 − tanh²) and their inverses.

Each derivative is SymPy's own `fdiff` (so the result matches `sympy.diff` exactly) unless a
form a learner recognises is given here; the formula is what the step shows.
"""

from __future__ import annotations

import sympy as sp

from calcml.symbolic.rules import function_rule

function_rule(sp.exp, "exp", "d/du eᵘ = eᵘ", "The exponential is its own derivative")
function_rule(sp.log, "log", "d/du log(u) = 1/u", "The derivative of the natural log is 1/u")

# trigonometric
function_rule(sp.sin, "sin", "d/du sin(u) = cos(u)", "The derivative of sin is cos")
function_rule(sp.cos, "cos", "d/du cos(u) = −sin(u)", "The derivative of cos is −sin")
function_rule(
    sp.tan, "tan", "d/du tan(u) = sec²(u) = 1 + tan²(u)", "The derivative of tan is sec² = 1 + tan²"
)
function_rule(
    sp.cot, "cot", "d/du cot(u) = −csc²(u) = −(1 + cot²(u))", "The derivative of cot is −csc²"
)
function_rule(sp.sec, "sec", "d/du sec(u) = sec(u)·tan(u)", "The derivative of sec is sec·tan")
function_rule(sp.csc, "csc", "d/du csc(u) = −csc(u)·cot(u)", "The derivative of csc is −csc·cot")

# inverse trigonometric
function_rule(sp.asin, "asin", "d/du asin(u) = 1/√(1 − u²)", "The derivative of arcsin")
function_rule(sp.acos, "acos", "d/du acos(u) = −1/√(1 − u²)", "The derivative of arccos")
function_rule(sp.atan, "atan", "d/du atan(u) = 1/(1 + u²)", "The derivative of arctan")
function_rule(sp.acot, "acot", "d/du acot(u) = −1/(1 + u²)", "The derivative of arccot")
function_rule(sp.asec, "asec", "d/du asec(u) = 1/(u²·√(1 − 1/u²))", "The derivative of arcsec")
function_rule(sp.acsc, "acsc", "d/du acsc(u) = −1/(u²·√(1 − 1/u²))", "The derivative of arccsc")

# hyperbolic
function_rule(sp.sinh, "sinh", "d/du sinh(u) = cosh(u)", "The derivative of sinh is cosh")
function_rule(sp.cosh, "cosh", "d/du cosh(u) = sinh(u)", "The derivative of cosh is sinh")
function_rule(
    sp.tanh,
    "tanh",
    "d/du tanh(u) = 1 − tanh²(u)",
    "The derivative of tanh is 1 − tanh² (the activation's own output, reused)",
    derivative=lambda applied: 1 - applied**2,
)
function_rule(sp.coth, "coth", "d/du coth(u) = −1/sinh²(u)", "The derivative of coth")
function_rule(sp.sech, "sech", "d/du sech(u) = −sech(u)·tanh(u)", "The derivative of sech")
function_rule(sp.csch, "csch", "d/du csch(u) = −csch(u)·coth(u)", "The derivative of csch")
function_rule(sp.asinh, "asinh", "d/du asinh(u) = 1/√(u² + 1)", "The derivative of arsinh")
function_rule(sp.acosh, "acosh", "d/du acosh(u) = 1/√(u² − 1)", "The derivative of arcosh")
function_rule(sp.atanh, "atanh", "d/du atanh(u) = 1/(1 − u²)", "The derivative of artanh")

# the error function (the Gaussian CDF behind GELU)
function_rule(sp.erf, "erf", "d/du erf(u) = (2/√π)·e^(−u²)", "The derivative of erf is a Gaussian")

# the remaining inverse hyperbolic functions (the parser reads acoth, asech, acsch)
function_rule(sp.acoth, "acoth", "d/du acoth(u) = 1/(1 − u²)", "The derivative of arcoth")
function_rule(sp.asech, "asech", "d/du asech(u) = −1/(u·√(1 − u²))", "The derivative of arsech")
function_rule(sp.acsch, "acsch", "d/du acsch(u) = −1/(u²·√(1 + 1/u²))", "The derivative of arcsch")
