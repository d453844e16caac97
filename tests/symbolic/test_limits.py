"""`calcml.limit`: values, sides, teacher steps, numeric evidence, time limits and bad input."""

from __future__ import annotations

import doctest
import importlib
import json

import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import calcml as cm
from calcml.errors import CalcmlError, TimeLimitError
from calcml.expr import symbol
from calcml.symbolic.evidence import gather
from calcml.symbolic.limit_result import DNE, UNDECIDED
from calcml.symbolic.limits import LimitDomainError
from calcml.symbolic.timelimit import call_with_time_limit

x = symbol("x")


def rules(result: cm.symbolic.Derivation) -> list[str]:
    return [s.rule for s in result.all_steps()]


@pytest.mark.parametrize(
    "name",
    [
        "calcml.symbolic.limits",
        "calcml.symbolic.limit_teach",
        "calcml.symbolic.limit_sides",
        "calcml.symbolic.limit_result",
        "calcml.symbolic.evidence",
        "calcml.symbolic.timelimit",
        "calcml.symbolic.inputs",
        "calcml.symbolic.continuity",
        "calcml.symbolic.taylor",
        "calcml.symbolic.critical",
    ],
)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_two_sided_limit_reports_both_sides_and_exists() -> None:
    r = cm.limit("sin(x)/x", "x", 0)
    assert (r.value, r.left, r.right, r.exists) == (1, 1, 1, True)
    assert r.side == "both"


def test_sides_that_differ_give_dne_with_the_reason() -> None:
    r = cm.limit("abs(x)/x", "x", 0)
    assert (r.left, r.right, r.value, r.exists) == (-1, 1, DNE, False)
    assert "differ" in r.reason
    assert rules(r)[:1] == ["left-hand limit"] and "compare" in rules(r)


def test_one_sided_limits_are_asked_for_by_name() -> None:
    assert cm.limit("1/x", "x", 0, side="right").value == sp.oo
    assert cm.limit("1/x", "x", 0, side="left").value == -sp.oo
    assert cm.limit("1/x", "x", 0, side="left").right is None


def test_infinite_limits_exist_only_as_values_not_as_numbers() -> None:
    r = cm.limit("1/x^2", "x", 0)
    assert r.value == sp.oo and not r.exists


def test_limits_at_infinity_accept_words_and_sympy() -> None:
    assert cm.limit("(3x^2 + 1)/(2x^2 - x)", "x", "oo").value == sp.Rational(3, 2)
    assert cm.limit("sigmoid(x)", "x", -sp.oo).value == 0
    assert cm.limit("exp(x)", "x", "-inf").value == 0


def test_sympy_expressions_are_accepted_and_made_real() -> None:
    plain = sp.Symbol("x")
    assert cm.limit(sp.sin(plain) / plain, plain, 0).value == 1


def test_sympy_wrong_case_is_corrected_by_the_evidence() -> None:
    assert sp.limit(2 ** (1 / x), x, 0, "-") == sp.oo  # SymPy's answer
    r = cm.limit("2^(1/x)", "x", 0, side="left")
    assert r.value == 0
    assert r.evidence["-"].supports(sp.oo) is False


def test_weak_evidence_case_is_still_right() -> None:
    r = cm.limit("exp(-1/x^2)/x^100", "x", 0)
    assert r.value == 0
    first = r.evidence["+"].table[0]
    assert float(first.value) > 1e50  # the first rows point the wrong way


def test_steps_name_the_form_and_the_technique() -> None:
    cases = {
        "(x^2 - 1)/(x - 1)": ("1", ["indeterminate form", "factor", "cancel", "substitute"]),
        "(sqrt(x + 4) - 2)/x": ("0", ["conjugate"]),
        "(3x^2 + 1)/(2x^2 - x)": ("oo", ["highest power"]),
        "sin(x)/x": ("0", ["standard limit"]),
        "(exp(x) - 1 - x)/x^2": ("0", ["L'Hôpital", "derivative"]),
        "x*sin(1/x)": ("0", ["squeeze", "squeeze theorem"]),
        "(1 + 1/x)^x": ("oo", ["logarithm", "continuity of exp"]),
        "sqrt(x^2 + x) - x": ("oo", ["conjugate", "highest power"]),
        "x - log(x)": ("oo", ["factor out"]),
        "exp(x)/x^10": ("oo", ["growth rates"]),
        "sqrt(x^2 + 1)/x": ("-oo", ["highest power"]),
        "log(x)": ("0", ["left-hand limit", "compare"]),
    }
    for expr, (at, expected) in cases.items():
        got = rules(cm.limit(expr, "x", at))
        assert all(rule in got for rule in expected), (expr, got)


def test_lhopital_shows_each_derivative_with_the_derivative_engine() -> None:
    r = cm.limit("(sin(x) - x)/x^3", "x", 0)
    derivs = [s for s in r.all_steps() if s.rule == "derivative"]
    assert len(derivs) >= 2
    assert derivs[0].after == sp.cos(x) - 1
    assert derivs[0].substeps, "the derivative is derived rule by rule"


def test_indeterminate_forms_are_named() -> None:
    forms = {
        ("x*log(x)", "0", "right"): "0·∞",
        ("sqrt(x^2 + x) - x", "oo", "both"): "∞−∞",
        ("(1 + 1/x)^x", "oo", "both"): "1^∞",
        ("x^x", "0", "right"): "0^0",
        ("x^(1/x)", "oo", "both"): "∞^0",
        ("log(x)/x", "oo", "both"): "∞/∞",
    }
    for (expr, at, side), form in forms.items():
        text = cm.limit(expr, "x", at, side=side).text()
        assert f"gives {form}" in text, (expr, text)


def test_oscillation_is_dne_with_a_reason() -> None:
    r = cm.limit("sin(1/x)", "x", 0)
    assert r.value == DNE and r.left == DNE and r.right == DNE
    assert "oscillat" in r.reason
    assert "oscillation" in rules(r)


def test_evidence_table_has_eight_rows_per_side() -> None:
    r = cm.limit("(1 - cos(x))/x^2", "x", 0)
    assert set(r.evidence) == {"-", "+"}
    assert [s.label for s in r.evidence["+"].table][:2] == ["+10⁻¹", "+10⁻²"]
    assert len(r.evidence["+"].table) == 8
    # no cancellation: 1 - cos(1e-8) is computed at high precision
    assert abs(float(r.evidence["+"].table[-1].value) - 0.5) < 1e-12
    assert "numeric evidence" in r.text()


def test_evidence_toward_infinity_uses_powers_of_ten() -> None:
    ev = gather(sp.log(x), x, sp.oo, "-")
    assert ev.table[0].label == "10¹"
    assert ev.supports(sp.oo) is True
    assert ev.supports(sp.Integer(3)) is False


def test_json_value_is_a_string() -> None:
    values = {
        ("(x^2 - 1)/(2x - 2)", "1"): "1",
        ("1/(2 + x)", "0"): "1/2",
        ("1/x^2", "0"): "oo",
        ("-1/x^2", "0"): "-oo",
        ("1/x", "0"): "DNE",
    }
    for (expr, at), value in values.items():
        data = json.loads(json.dumps(cm.limit(expr, "x", at).to_dict()))
        assert data["value"] == value
        assert {"left", "right", "exists", "steps", "evidence"} <= set(data)


def test_renderers_work_for_every_kind_of_value() -> None:
    for expr, at in [("sin(x)/x", "0"), ("1/x", "0"), ("1/x^2", "0"), ("sin(1/x)", "0")]:
        r = cm.limit(expr, "x", at)
        assert r.text() and r.markdown() and r.latex().startswith(r"\lim_")
        assert r._repr_latex_().startswith("$") and r.__rich__() is not None
    assert cm.limit("1/x", "x", 0).latex().endswith(r"\text{does not exist}")


def test_undefined_on_both_sides_is_a_clear_error() -> None:
    with pytest.raises(LimitDomainError, match="no real values"):
        cm.limit("sqrt(-1 - x^2)", "x", 0)
    with pytest.raises(CalcmlError):
        cm.limit("log(x)", "x", -1)  # complex-valued near -1 (SymPy says i·π)


def test_one_side_undefined_gives_dne_and_says_why() -> None:
    r = cm.limit("sqrt(x)", "x", 0)
    assert r.value == DNE and r.right == 0 and str(r.left) == "undefined"
    assert "not defined on the left" in r.reason
    with pytest.raises(LimitDomainError):
        cm.limit("sqrt(x)", "x", 0, side="left")


def test_a_short_safety_net_gives_up_or_answers_right_never_differently() -> None:
    # seconds are only a safety net: a tiny one may turn the answer into "gave up", never
    # into another answer (an undecided included)
    sp.core.cache.clear_cache()
    try:
        r = cm.limit("(tan(sin(x)) - sin(tan(x)))/x^7", "x", 0, time_limit=0.05)
    except TimeLimitError as error:
        assert "gave up" in str(error)
    else:
        assert r.value == sp.Rational(1, 30)


def test_no_method_that_survives_is_an_honest_undecided(monkeypatch: pytest.MonkeyPatch) -> None:
    # forced by taking the methods away (not by a tiny time limit): the numbers are reported,
    # not adopted
    from calcml.symbolic import limits as limits_module

    monkeypatch.setattr(limits_module, "METHODS", ())
    monkeypatch.setattr(limits_module, "_teach", lambda *a: ([], None, None))
    r = cm.limit("(tan(sin(x)) - sin(tan(x)))/x^7", "x", 0)
    assert r.value == UNDECIDED and not r.exists and not r.decided
    estimate = float(r.reason.split("≈")[1].split()[0])
    assert abs(estimate - 1 / 30) < 1e-3
    assert json.loads(json.dumps(r.to_dict()))["value"] == "undecided"


def test_bad_side_and_bad_point_are_errors() -> None:
    with pytest.raises(CalcmlError):
        cm.limit("x", "x", 0, side="up")
    with pytest.raises(CalcmlError):
        cm.limit("x", "x", "y")


def test_time_limit_helper_stops_a_runaway_computation() -> None:
    def spin() -> None:
        while True:
            sum(range(100))

    with pytest.raises(TimeLimitError):
        call_with_time_limit(spin, 0.1)
    assert call_with_time_limit(lambda a: a + 1, 1.0, 1) == 2
    with pytest.raises(ZeroDivisionError):
        call_with_time_limit(lambda: 1 / 0, 1.0)


@settings(max_examples=12, deadline=None)
@given(
    a=st.integers(-3, 3),
    p=st.lists(st.integers(-4, 4), min_size=1, max_size=3),
    q=st.lists(st.integers(-4, 4), min_size=1, max_size=3),
)
def test_removable_singularities_of_random_rational_functions(
    a: int, p: list[int], q: list[int]
) -> None:
    num = sp.Poly(p, x).as_expr()
    den = sp.Poly(q, x).as_expr()
    assume(den.subs(x, a) != 0 and den.has(x))
    f = sp.expand((x - a) * num) / sp.expand((x - a) * den)  # 0/0 at a: nothing cancels by itself
    r = cm.limit(f, "x", a)
    assert r.value == (num / den).subs(x, a)


def test_an_unchecked_answer_does_not_claim_numeric_confirmation() -> None:
    # y/x: no numeric evidence (another symbol), so the step must not say "confirmed"
    shown = cm.limit("y/x", "x", 0).text()
    assert "confirmed by the numeric evidence" not in shown
    assert "cannot check" in shown


@pytest.mark.parametrize("f", ["x^(1/x)", "sin(x)^(1/x)", "x^(1/x^2)"])
def test_real_only_at_powers_of_ten_is_not_real_on_the_left(f: str) -> None:
    # at x = -10⁻ᵏ the exponent is an integer, so f is real there; at almost every other
    # x < 0 it is not (a negative base to an irrational power): no left-hand limit
    with pytest.raises(LimitDomainError):
        cm.limit(f, "x", 0, side="left")
    assert cm.limit("(-x)^(1/x)", "x", 0, side="left").value == sp.oo  # the base is positive


def test_time_limit_never_interrupts_an_import(tmp_path: object, monkeypatch: object) -> None:
    # SymPy imports lazily; a stop landing inside the import machinery can leave the global
    # import lock held by a dead thread, and every later import in the process hangs
    import importlib
    import pathlib
    import sys

    folder = pathlib.Path(str(tmp_path))
    (folder / "calcml_slow_import.py").write_text(
        "import time\nt = time.monotonic()\n"
        "while time.monotonic() - t < 0.4:\n    pass\n"
        "DONE = True\n"
    )
    (folder / "calcml_after_import.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(folder))  # type: ignore[attr-defined]
    with pytest.raises(TimeLimitError):
        call_with_time_limit(importlib.import_module, 0.05, "calcml_slow_import")
    assert sys.modules["calcml_slow_import"].DONE  # the import finished, uninterrupted
    assert importlib.import_module("calcml_after_import").VALUE == 1


@pytest.mark.parametrize("seconds", [0, -1, float("nan")])
def test_a_time_limit_must_be_positive(seconds: float) -> None:
    with pytest.raises(CalcmlError, match="time limit"):
        cm.limit("sin(x)/x", "x", 0, time_limit=seconds)
    with pytest.raises(CalcmlError, match="time limit"):
        cm.critical_points("x^2", "x", time_limit=seconds)


@pytest.mark.parametrize(("f", "at"), [("(1 + 1/x)^x", "oo"), ("abs(x)/x", "0"), ("x^2", "3")])
def test_json_always_has_a_result_that_parses_back(f: str, at: str) -> None:
    r = cm.limit(f, "x", at)
    data = json.loads(json.dumps(r.to_dict()))
    assert {"question", "result", "steps"} <= set(data)
    if r.exists:
        assert cm.parse(data["result"]["expr"]) == r.value
        assert cm.parse(data["value"]) == r.value
    else:
        assert data["result"] is None and data["value"] == "DNE"


def test_a_limit_of_a_sum_is_written_with_parentheses() -> None:
    r = cm.limit("sqrt(x^2 + 1) - x", "x", "oo")
    assert r.text().startswith("lim x → ∞ (√(x² + 1) - x) = 0")
    assert r.question == "lim x → ∞ (√(x² + 1) - x)"
    assert r"\left(" in r.latex()


def test_an_answer_with_a_parameter_says_it_depends_on_it() -> None:
    r = cm.limit("y/x", "x", 0)
    assert any("depends on y" in n for n in r.notes)  # y = 0 gives 0, not DNE
