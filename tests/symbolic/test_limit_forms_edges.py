"""The form classifier's refusals (`limit_teach.forms`): where it must say "no form" rather than
guess. Each refusal is justified by an independent fact computed here: SymPy's one-sided
`limit`, or the function evaluated with mpmath at points near the approach (complex values,
values that keep swinging, an answer that depends on a parameter).
"""

from __future__ import annotations

import mpmath as mp
import pytest
import sympy as sp

from calcml.expr import symbol
from calcml.symbolic.limit_result import DNE
from calcml.symbolic.limit_teach.approach import MAX_COMPONENT_LIMITS, Approach
from calcml.symbolic.limit_teach.forms import (
    _at_infinity,
    _form_note,
    _show,
    _substitution,
    classify,
)

x = symbol("x")
c = sp.Symbol("c", real=True)
u = sp.Symbol("u", real=True)
OO = sp.oo


def spent(at: sp.Expr, side: str = "") -> Approach:
    """An approach whose budget of SymPy component limits is already used up."""
    return Approach(x, at, side, asked=[MAX_COMPONENT_LIMITS])


def values(f: sp.Expr, points: list[mp.mpf]) -> list[mp.mpc]:
    fn = sp.lambdify(x, f, "mpmath")
    with mp.workdps(40):
        return [mp.mpc(fn(p)) for p in points]


def test_an_unsettled_trigonometric_base_at_infinity_is_an_oscillating_base() -> None:
    f = (2 + sp.sin(x)) ** (1 / x)
    ap = spent(OO)  # SymPy may not be asked about the base: the form says why laws do not apply
    form = classify(f, ap)
    assert form is not None and form.name == "oscillating base" and form.value is None
    # the reference: the base swings between 1 and 3 however far out we go
    with mp.workdps(40):
        far = [2 * mp.pi * 10**7 + k * mp.pi / 2 for k in (3, 1)]  # sin = −1, then +1
        lo, hi = (v.real for v in values(2 + sp.sin(x), far))
    assert abs(lo - 1) < 1e-20 and abs(hi - 3) < 1e-20
    note = _form_note(f, ap, form)
    assert "the base sin(x) + 2 keeps oscillating" in note.explanation
    assert "limit laws cannot be applied" in note.explanation


@pytest.mark.parametrize(
    ("f", "ap"),
    [
        # budget spent, and the base is not trigonometric: nothing to say
        ((2 + sp.exp(-x) * sp.log(x)) ** (1 / x), spent(OO)),
        ((sp.exp(-1 / x**2)) / x, spent(sp.S.Zero, "+")),
        (x + sp.exp(-1 / x**2) * sp.log(x), spent(sp.S.Zero, "+")),
        (sp.sin(sp.exp(-1 / x**2) * sp.log(x)), spent(sp.S.Zero, "+")),
    ],
)
def test_parts_sympy_was_not_asked_about_give_no_form(f: sp.Expr, ap: Approach) -> None:
    assert classify(f, ap) is None
    assert ap.asked == [MAX_COMPONENT_LIMITS]  # and no further limit was asked for


@pytest.mark.parametrize(
    ("f", "at", "side"),
    [
        ((x - 2) ** (x / 2), 1, ""),  # (−1)^(1/2): a negative base to a non-integer power
        (sp.sqrt(sp.cos(x) - 2), 0, ""),  # √(negative)
    ],
)
def test_a_form_whose_value_is_not_real_is_refused(f: sp.Expr, at: int, side: str) -> None:
    assert classify(f, Approach(x, sp.S(at), side)) is None
    # the reference: f is not real at points near the approach
    near = [mp.mpf(at) + s * mp.mpf(10) ** -k for s in (1, -1) for k in (6, 9)]
    assert all(abs(v.imag) > 1e-3 for v in values(f, near))


def test_a_power_whose_limit_depends_on_a_parameter_has_no_form() -> None:
    f = x ** (c + 1 / x)
    assert classify(f, Approach(x, OO)) is None
    # the reference: SymPy's limit for two values of c disagrees (∞ for c > 0, 0 for c < 0)
    assert sp.limit(f.subs(c, 2), x, OO) is OO
    assert sp.limit(f.subs(c, -2), x, OO) == 0


def test_an_oscillating_numerator_over_a_finite_denominator_has_no_form() -> None:
    f = sp.sin(1 / x) / (x + 1)
    assert classify(f, Approach(x, sp.S.Zero, "+")) is None
    assert isinstance(sp.limit(f, x, 0, "+"), sp.AccumBounds)  # SymPy: it oscillates


def test_substitution_needs_every_part_real_not_only_the_value() -> None:
    f = sp.sqrt(x - 2) * sp.sqrt(x - 3)  # at 1: i·√2·i = −√2 is real, the factors are not
    with mp.workdps(30):
        whole = mp.sqrt(mp.mpf(-1)) * mp.sqrt(mp.mpf(-2))
    assert abs(whole.imag) == 0 and whole.real < 0
    assert _substitution(f, Approach(x, sp.S(1))) is None


def test_the_limit_at_infinity_falls_back_to_sympys_limit_when_gruntz_fails() -> None:
    g = sp.ceiling(u) - u  # Gruntz's algorithm cannot take ceiling; SymPy's limit gives bounds
    got = _at_infinity(g, u, OO)
    assert got == sp.limit(g, u, OO)
    assert isinstance(got, sp.AccumBounds)
    # the reference: ceiling(u) − u sweeps [0, 1) far out
    seen = [mp.ceil(p) - p for p in (mp.mpf(10) ** 9 + mp.mpf(k) / 7 for k in range(8))]
    assert min(seen) == 0 and max(seen) > mp.mpf("0.8")


def test_no_limit_is_shown_in_words() -> None:
    assert _show(DNE) == "no limit (oscillates)"
    assert _show(OO) == "∞" and _show(-OO) == "−∞" and _show(sp.Rational(1, 2)) == "1/2"


def test_an_inside_that_keeps_changing_sign_gives_no_one_sided_value() -> None:
    f = sp.log(x * sp.sin(1 / x))  # the inside → 0, but from both sides at once
    assert classify(f, Approach(x, sp.S.Zero, "+")) is None
    # the reference: x·sin(1/x) takes both signs arbitrarily near 0⁺, so log is complex there
    with mp.workdps(40):
        pts = [1 / (2 * mp.pi * 10**6 + s * mp.pi / 2) for s in (1, -1)]
    assert {mp.sign(v.real) for v in values(x * sp.sin(1 / x), pts)} == {1, -1}


def test_an_oscillating_outer_function_of_a_jumpy_inside_is_not_claimed() -> None:
    # sin(u) oscillates as u → ∞, but the inside x·floor(x) jumps, so it need not sweep
    # every large value: the classifier must not conclude "no limit" from the outer bounds
    f = sp.sin(x * sp.floor(x))
    assert isinstance(sp.limit(sp.sin(u), u, OO), sp.AccumBounds)
    assert classify(f, Approach(x, OO)) is None
