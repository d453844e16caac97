"""The pieces of the limit evidence one at a time (what `make mutation` checks them by).

Every expected value is worked out here from the definitions (mpmath at its own precision,
exact arithmetic, hand-made sequences whose behaviour is known), never read from calcml.
"""

from __future__ import annotations

import random

import mpmath as mp
import pytest
import sympy as sp

from calcml.expr import symbol
from calcml.symbolic import evidence as ev_mod
from calcml.symbolic.evidence import (
    Evidence,
    Sample,
    SequenceSamples,
    gather,
    show_number,
)

x = symbol("x")
RNG = random.Random(2111)
POINTS = [mp.mpf(RNG.uniform(-5, 5)) for _ in range(8)] + [mp.mpf(0)]


@pytest.mark.parametrize("z", POINTS, ids=str)
def test_the_ml_functions_evaluate_as_their_definitions(z: mp.mpf) -> None:
    assert ev_mod._relu(z) == max(z, mp.mpf(0))
    assert ev_mod._leaky(z) == (z if z > 0 else mp.mpf("0.01") * z)
    assert ev_mod._leaky(z, mp.mpf("0.3")) == (z if z > 0 else mp.mpf("0.3") * z)
    assert ev_mod._heaviside(z) == (1 if z > 0 else 0 if z < 0 else mp.mpf("0.5"))
    assert ev_mod._heaviside(z, mp.mpf(1)) == (1 if z >= 0 else 0)
    assert ev_mod._exp(z) == mp.exp(z)
    assert ev_mod.NAMESPACE["sigmoid"](z) == 1 / (1 + mp.exp(-z))


def test_exp_refuses_an_exponent_past_ten_to_the_sixty() -> None:
    with mp.workdps(20):
        cap = mp.mpf(10) ** 60
        below = cap * (1 - mp.mpf(10) ** -10)
        assert ev_mod._exp(-below) == mp.exp(-below)  # just under the cap: still evaluated
        for z in (cap * (1 + mp.mpf(10) ** -15), -cap * 2):
            with pytest.raises(OverflowError):
                ev_mod._exp(z)
            with pytest.raises(OverflowError):
                ev_mod._Interval.exp(mp.iv.mpf([z, z]))
        iv = ev_mod._Interval.exp(mp.iv.mpf([1, 2]))
        assert iv.a <= mp.e and iv.b >= mp.e**2


def test_interval_power_bounds_the_true_power() -> None:
    for base, exponent in [(2, mp.mpf("0.5")), (mp.mpf("0.3"), 7), (-2, 3), (5, -2)]:
        iv = ev_mod._interval_power(base, exponent)
        exact = mp.power(mp.mpf(base), exponent)
        assert iv.a <= exact <= iv.b
        assert iv.b - iv.a <= mp.mpf(10) ** -10 * max(1, abs(exact))


def test_a_series_only_function_has_no_interval_version() -> None:
    with pytest.raises(AttributeError):
        ev_mod._Interval.gamma  # noqa: B018
    assert ev_mod._Interval.sin is mp.iv.sin


@pytest.mark.parametrize(
    "v",
    [mp.mpf("1.5"), mp.mpf("-123.456789"), mp.mpf(2) ** 9990, mp.mpf(0), mp.inf, -mp.inf],
    ids=str,
)
def test_ordinary_numbers_are_shown_as_mpmath_prints_them(v: mp.mpf) -> None:
    assert show_number(v) == mp.nstr(v, 10)
    assert show_number(v, 4) == mp.nstr(v, 4)


@pytest.mark.parametrize("k", [10_000, 23_456, 123_456_789])
@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize("mantissa", ["3.14", "7.5"])
def test_huge_and_tiny_numbers_are_shown_from_their_logarithm(
    k: int, sign: int, mantissa: str
) -> None:
    with mp.workdps(30):
        big = sign * mp.mpf(mantissa) * mp.mpf(10) ** k
        small = sign * mp.mpf(mantissa) * mp.mpf(10) ** -k
    s = "-" if sign < 0 else ""
    assert show_number(big) == f"{s}{mantissa}e+{k}"
    assert show_number(small) == f"{s}{mantissa}e-{k}"
    assert show_number(big, 2) == f"{s}{mp.nstr(mp.mpf(mantissa), 2)}e+{k}"


def test_a_number_whose_exponent_has_sixteen_digits_shows_its_exponent_in_turn() -> None:
    with mp.workdps(30):
        v = mp.mpf(10) ** (mp.mpf(10) ** 20 + 5)  # 10^(10²⁰ + 5)
        w = -(mp.mpf(10) ** (mp.mpf(10) ** 15 * 3))  # exponent 3·10¹⁵ > 10¹⁵
        u = mp.mpf(10) ** (mp.mpf(10) ** 15 - 1)  # exponent 999,999,999,999,999
    assert show_number(v) == "10^(1.0e+20)"
    assert show_number(w) == "-10^(3.0e+15)"
    assert show_number(u) == "1.0e+999999999999999"


def test_superscripts_and_point_labels() -> None:
    assert ev_mod._sup(-12) == "⁻¹²"
    assert ev_mod._sup(3048) == "³⁰⁴⁸"
    with mp.workdps(40):
        label, point = ev_mod._point_maker(sp.Integer(2), "+", 3, 40)
        assert label == "+10⁻³" and point() == 2 + mp.mpf(10) ** -3
        label, point = ev_mod._point_maker(sp.pi, "-", 5, 40, offset=True)
        phi = (mp.sqrt(5) - 1) / 2
        assert label == "-0.618·10⁻⁵"
        assert abs(point() - (mp.pi - phi * mp.mpf(10) ** -5)) < mp.mpf(10) ** -38
        label, point = ev_mod._point_maker(sp.oo, "-", 4, 40)
        assert label == "10⁴" and point() == 10**4
        label, point = ev_mod._point_maker(-sp.oo, "+", 6, 40, offset=True)
        assert label == "-0.618·10⁶" and abs(point() + phi * 10**6) < mp.mpf(10) ** -30
        assert ev_mod.generic() == phi


def test_a_point_is_made_once_per_precision() -> None:
    calls: list[int] = []

    def make() -> mp.mpf:
        calls.append(mp.mp.prec)
        return mp.mpf(1) / 3

    point = ev_mod._per_precision(make)
    with mp.workdps(20):
        a, b = point(), point()
    with mp.workdps(60):
        c = point()
        assert abs(c - mp.mpf(1) / 3) < mp.mpf(10) ** -55
    assert a == b and len(calls) == 2 and calls[0] != calls[1]


def _at(value: object) -> object:
    return lambda: value


def test_two_precisions_say_why_a_value_is_missing() -> None:
    one = _at(mp.mpf(1))
    assert ev_mod._two_precisions(lambda t: 1 / (t - t), one, 30) == (None, "undefined")
    assert ev_mod._two_precisions(lambda t: mp.log(-t) * "a", one, 30) == (None, "undefined")
    assert ev_mod._two_precisions(lambda t: mp.sqrt(t - 2) + mp.mpf("nan"), one, 30)[1] in (
        "complex",
        "undefined",
    )
    assert ev_mod._two_precisions(lambda t: mp.mpf("nan"), one, 30) == (None, "undefined")
    assert ev_mod._two_precisions(lambda t: "text", one, 30) == (None, "undefined")
    assert ev_mod._two_precisions(lambda t: [t], one, 30) == (None, "undefined")

    def overflow(t: object) -> object:
        raise OverflowError

    def memory(t: object) -> object:
        raise MemoryError

    assert ev_mod._two_precisions(overflow, one, 30) == (None, "overflow")
    assert ev_mod._two_precisions(memory, one, 30) == (None, "overflow")


def test_two_precisions_keep_a_real_part_only_when_the_imaginary_part_is_negligible() -> None:
    one = _at(mp.mpf(1))
    # imaginary part 10⁻¹⁰·|f| is above 10^(−dps/2) = 10⁻⁵ at dps 10? no: 10⁻¹⁰ < 10⁻⁵, kept
    value, status = ev_mod._two_precisions(lambda t: mp.mpc(3, mp.mpf(10) ** -10), one, 10)
    assert status == "ok" and value == 3 and isinstance(value, mp.mpf)
    # at dps 30 the threshold is 10⁻¹⁵ (then 10⁻³⁰): the same part is now too large
    assert ev_mod._two_precisions(lambda t: mp.mpc(3, mp.mpf(10) ** -10), one, 30) == (
        None,
        "complex",
    )
    assert ev_mod._two_precisions(lambda t: mp.mpc(0, 1), one, 30) == (None, "complex")


def test_two_precisions_accept_python_numbers_and_constants() -> None:
    one = _at(mp.mpf(1))
    assert ev_mod._two_precisions(lambda t: 7, one, 30) == (7, "ok")
    value, status = ev_mod._two_precisions(lambda t: mp.e, one, 30)
    assert status == "ok" and abs(value - mp.e) < mp.mpf(10) ** -55


def test_two_precisions_need_both_values_to_agree() -> None:
    one = _at(mp.mpf(1))
    # a value that depends on the working precision (rounding noise of size 10^−dps)
    noisy = ev_mod._two_precisions(lambda t: 1 + mp.mpf(10) ** (-mp.mp.dps // 2), one, 20)
    assert noisy == (None, "unstable")
    # agreement to 10⁻¹³ relative passes, 10⁻¹¹ does not (the threshold is 10⁻¹²)
    for gap, expected in ((mp.mpf(10) ** -13, "ok"), (mp.mpf(10) ** -11, "unstable")):

        def f(t: object, gap: mp.mpf = gap) -> mp.mpf:
            return mp.mpf(5) * (1 + (gap if mp.mp.dps > 30 else 0))

        assert ev_mod._two_precisions(f, one, 30)[1] == expected
    # near 0 the scale is at least 10^−dps: a difference of 10⁻⁴⁵ at dps 30 is agreement
    tiny = ev_mod._two_precisions(
        lambda t: mp.mpf(10) ** -45 if mp.mp.dps > 30 else mp.mpf(0), one, 30
    )
    assert tiny[1] == "ok" and tiny[0] == mp.mpf(10) ** -45
    assert ev_mod._two_precisions(lambda t: mp.inf, one, 30) == (mp.inf, "ok")
    assert ev_mod._two_precisions(lambda t: mp.inf if mp.mp.dps > 30 else mp.mpf(1), one, 30) == (
        None,
        "unstable",
    )
    assert ev_mod._two_precisions(lambda t: -mp.inf if mp.mp.dps > 30 else mp.inf, one, 30) == (
        None,
        "unstable",
    )


def test_the_value_kept_is_the_higher_precision_one() -> None:
    value, status = ev_mod._two_precisions(lambda t: mp.mpf(1) / 3, _at(mp.mpf(1)), 20)
    assert status == "ok" and abs(value - mp.mpf(1) / 3) < mp.mpf(10) ** -38


def test_interval_check_flags_what_rounding_may_have_faked() -> None:
    at = mp.mpf(3)
    assert ev_mod._interval_unsure(None, at, 30) == ""
    assert ev_mod._interval_unsure(lambda v: v * v, at, 30) == ""
    assert ev_mod._interval_unsure(lambda v: mp.iv.mpf([1, 2]), at, 30) == "unstable"
    assert ev_mod._interval_unsure(lambda v: mp.iv.mpf([0, 0]), at, 30) == ""
    assert ev_mod._interval_unsure(lambda v: 5, at, 30) == ""  # not an interval: no verdict
    assert ev_mod._interval_unsure(lambda v: mp.iv.mpf([1, mp.inf]), at, 30) == "unstable"
    assert ev_mod._interval_unsure(lambda v: mp.iv.mpf([mp.inf, mp.inf]), at, 30) == ""

    def raising(error: type[BaseException]):  # type: ignore[no-untyped-def]
        def f(v: object) -> object:
            raise error

        return f

    for error in (NameError, TypeError, AttributeError, NotImplementedError):
        assert ev_mod._interval_unsure(raising(error), at, 30) == ""
    assert ev_mod._interval_unsure(raising(mp.libmp.NoConvergence), at, 30) == ""
    for error in (ZeroDivisionError, ValueError):
        assert ev_mod._interval_unsure(raising(error), at, 30) == "unstable"
    for error in (OverflowError, MemoryError):
        assert ev_mod._interval_unsure(raising(error), at, 30) == "overflow"
    assert mp.iv.dps == 15  # restored


def test_interval_width_threshold_is_relative() -> None:
    at = mp.mpf(1)
    # width 10⁻⁹·scale passes, 10⁻⁷·scale does not (the threshold is 10⁻⁸)
    for scale in (mp.mpf(1), mp.mpf(10) ** 6):
        narrow = mp.iv.mpf([scale, scale * (1 + mp.mpf(10) ** -9)])
        wide = mp.iv.mpf([scale, scale * (1 + mp.mpf(10) ** -7)])
        assert ev_mod._interval_unsure(lambda v, i=narrow: i, at, 30) == ""
        assert ev_mod._interval_unsure(lambda v, i=wide: i, at, 30) == "unstable"
    # the interval is taken around the point at the requested precision
    seen = []
    ev_mod._interval_unsure(lambda v: seen.append((v, mp.iv.dps)) or v, mp.mpf(2), 50)
    ((v, dps),) = seen
    assert dps == 50 and v.a == 2 and 0 < v.b - 2 < mp.mpf(10) ** -44


def test_the_interval_function_bounds_f_and_prints_powers_through_ipow() -> None:
    ivfn = ev_mod.interval_function(x**x + x**2, x)
    assert ivfn is not None
    with mp.workdps(30):
        value = ivfn(mp.iv.mpf([2, 2]))
    assert value.a <= 8 <= value.b
    assert ev_mod.interval_function(sp.gamma(x), x) is not None
    assert ev_mod.interval_function(sp.Integral(x, x), x) is None


def test_a_sample_shows_its_status_or_its_value() -> None:
    s = Sample("+10⁻³", mp.mpf("2.5"), mp.mpf("0.125"))
    assert s.shown() == "0.125"
    assert s.to_dict() == {"at": "+10⁻³", "x": "2.5", "value": "0.125", "status": "ok"}
    bad = Sample("+10⁻⁴", mp.mpf("2.0001"), None, "complex")
    assert bad.shown() == "complex" and bad.to_dict()["status"] == "complex"
    long = Sample("a", mp.mpf(1) / 3, mp.mpf(2) / 3)
    assert long.to_dict()["x"] == mp.nstr(mp.mpf(1) / 3, 17)
    assert long.shown() == mp.nstr(mp.mpf(2) / 3, 10)


def _samples(values: list[object], status: str = "ok") -> list[Sample]:
    return [
        Sample(f"s{i}", mp.mpf(10) ** -i, None if v is None else mp.mpf(v), status)  # type: ignore[arg-type]
        for i, v in enumerate(values)
    ]


def test_the_tail_skips_the_first_three_table_rows_and_sorts_toward_the_point() -> None:
    ev = Evidence(sp.S.Zero, "+")
    ev.table = [Sample(f"t{k}", mp.mpf(10) ** -k, mp.mpf(k)) for k in range(1, 9)]
    ev.deep = [Sample(f"d{k}", mp.mpf(10) ** -k, mp.mpf(k)) for k in (12, 16)]
    ev.probes = [Sample(f"p{k}", mp.mpf("0.6") * mp.mpf(10) ** -k, mp.mpf(k)) for k in (4, 12)]
    expected = ["t4", "p4", "t5", "t6", "t7", "t8", "d12", "p12", "d16"]
    assert [s.label for s in ev.tail] == expected
    assert ev.values() == [s.value for s in ev.tail]
    assert ev.estimate() == 16
    assert ev.usable
    assert ev.rows()[0] == ("t1", show_number(mp.mpf("0.1"), 12), "1.0")
    ev_inf = Evidence(sp.oo, "-")
    ev_inf.table = [Sample(f"t{k}", mp.mpf(10) ** k, mp.mpf(k)) for k in (8, 1, 2, 3, 4, 5)]
    assert [s.label for s in ev_inf.tail] == ["t3", "t4", "t5"]  # not t8: a first row


def test_evidence_with_few_values_cannot_tell() -> None:
    ev = Evidence(sp.S.Zero, "+")
    assert ev.estimate() is None and not ev.usable
    ev.deep = _samples([1, 1, 1])
    assert not ev.usable and ev.supports(sp.S.One) is None
    ev.deep = _samples([1, 1, 1, 1])
    assert ev.usable and ev.supports(sp.S.One) is True


def test_undefined_reads_the_probes_and_needs_a_majority() -> None:
    ev = Evidence(sp.S.Zero, "+")
    ev.deep = _samples([1, 1, 1, 1, 1])
    ev.probes = _samples([None, None], "complex") + _samples([1, 1, 1])
    assert not ev.undefined  # 2 of 5
    ev.probes = _samples([None, None, None], "undefined") + _samples([1, 1, 1])
    assert not ev.undefined  # 3 of 6: not more than half
    ev.probes = _samples([None, None, None], "undefined") + _samples([1, 1])
    assert ev.undefined and ev.supports(sp.S.One) is False  # 3 of 5
    ev.probes = []
    ev.deep = _samples([None, None, None], "complex") + _samples([1, 1])
    assert ev.undefined  # no probes: the tail decides
    ev.deep = _samples([None, None], "overflow") + _samples([1, 1, 1])
    assert not ev.undefined  # overflow is not "undefined"


def test_sequences_that_approach_two_values_mean_an_oscillation() -> None:
    ev = Evidence(sp.oo, "-")
    ev.deep = _samples([1, 1, 1, 1, 1])
    zeros = SequenceSamples("zeros", _samples([mp.mpf(10) ** -k for k in range(1, 7)]), sp.S.Zero)
    ones = SequenceSamples("peaks", _samples([1 + mp.mpf(10) ** -k for k in range(1, 7)]), sp.S.One)
    assert zeros.agrees() is True and ones.agrees() is True
    ev.sequences = [zeros]
    assert not ev.sequences_disagree() and ev.supports(sp.S.One) is True
    ev.sequences = [zeros, ones]
    assert ev.sequences_disagree()
    assert ev.supports("oscillates") is True and ev.supports(sp.S.One) is False
    ev.sequences = [zeros, SequenceSamples("z2", zeros.samples, sp.S.Zero)]
    assert not ev.sequences_disagree()
    assert ev.to_dict()["sequences"][0]["along"] == "zeros"
    assert len(ev.to_dict()["sequences"][1]["samples"]) == 6
    assert ev.to_dict()["deep"][0]["value"] == "1.0"


def test_a_sequence_needs_four_values_and_reads_infinite_limits() -> None:
    few = SequenceSamples("q", _samples([1, 1, 1]) + _samples([None], "undefined"), sp.S.One)
    assert few.agrees() is None
    up = _samples([10**k for k in range(1, 9)])
    assert SequenceSamples("q", up, sp.oo).agrees() is True
    assert SequenceSamples("q", up, -sp.oo).agrees() is False
    down = _samples([-(10**k) for k in range(1, 9)])
    assert SequenceSamples("q", down, -sp.oo).agrees() is True
    assert SequenceSamples("q", up, sp.S(2)).agrees() is False


# hand-made value sequences for the three verdicts
def test_approaches_reads_the_last_two_values_at_a_relative_tolerance() -> None:
    t = mp.mpf(1000)
    tol = mp.mpf(10) ** -6 * 1000
    # the first values already as close as the last: only the tolerance test can say yes
    near = [t + tol / 2, t - tol / 2]
    for before, last, expected in [
        (mp.mpf("9.5"), mp.mpf("0.9"), True),
        (mp.mpf("10.5"), mp.mpf("0.9"), False),
        (mp.mpf("0.9"), mp.mpf("1.1"), False),
        (mp.mpf("-9.5"), mp.mpf("-0.9"), True),
    ]:
        assert ev_mod._approaches([*near, t + before * tol, t + last * tol], t) is expected
    settled = [t + 2 * tol] * 4
    assert not ev_mod._approaches(settled, t)
    # 10⁻⁶ absolute near 0 (max(1, |target|))
    assert ev_mod._approaches([mp.mpf(1), mp.mpf("1e-7"), mp.mpf("-1e-7")], mp.mpf(0))
    assert not ev_mod._approaches([mp.mpf(3)] * 4, mp.mpf(3) + mp.mpf("2e-6") * 3)


def test_approaches_follows_a_slow_approach_and_refuses_a_blow_up() -> None:
    slow = [1 + mp.mpf(1) / k for k in (2, 4, 8, 16, 32, 64)]  # → 1, not yet within 10⁻⁶
    assert ev_mod._approaches(slow, mp.mpf(1))
    assert not ev_mod._approaches(slow, mp.mpf(3))  # moving, but away from 3 (closer to 1)
    blow = [mp.mpf(10) ** k for k in (2, 4, 6, 9)]
    assert not ev_mod._approaches(blow, mp.mpf(0))
    # big but shrinking toward the target: still an approach
    shrink = [mp.mpf(10) ** k for k in (12, 11, 10, 9, 8, 7)]
    assert ev_mod._approaches(shrink, mp.mpf(0))
    # halving distance counts (last < first/2) even when the second half is not below the first
    zig = [mp.mpf(v) for v in ("1", "0.4", "0.45", "0.5", "0.3", "0.45")]
    assert ev_mod._approaches(zig, mp.mpf(0))
    assert not ev_mod._approaches([mp.mpf(v) for v in ("1", "0.4", "0.9", "0.6")], mp.mpf(0))


def test_diverges_needs_the_right_sign_and_growth() -> None:
    up = [mp.mpf(k) for k in (1, 2, 4, 8, 16, 32)]
    assert ev_mod._diverges(up, 1) and not ev_mod._diverges(up, -1)
    assert ev_mod._diverges([-v for v in up], -1)
    assert not ev_mod._diverges([*up[:-1], mp.mpf(0)], 1)  # ends at 0
    assert not ev_mod._diverges([mp.mpf(k) for k in (5, 6, 7, 1, 2, 3)], 1)
    # past 10¹² counts as growing even if the second half is not above the first
    big = [mp.mpf(10) ** 13, mp.mpf(10) ** 14, mp.mpf(10) ** 12 * 5, mp.mpf(10) ** 15]
    assert ev_mod._diverges(big, 1)
    assert not ev_mod._diverges([mp.mpf(10) ** 16, mp.mpf(1), mp.mpf(2), mp.mpf(10) ** 13], 1)
    assert not ev_mod._diverges([mp.mpf(9), mp.mpf(1), mp.mpf(2), mp.mpf(3)], 1)


def test_oscillates_needs_two_turns_and_a_swing_that_does_not_shrink() -> None:
    swing = [mp.mpf(v) for v in (0, 1, 0, 1, 0, 1)]
    assert ev_mod._oscillates(swing)
    assert not ev_mod._oscillates([mp.mpf(v) for v in (0, 1, 2, 3, 4, 3)])  # one turn
    small = [1 + mp.mpf("1e-4") * (-1) ** k for k in range(6)]
    assert not ev_mod._oscillates(small)  # swing 2·10⁻⁴ < 10⁻³
    big = [1000 + mp.mpf("0.5") * (-1) ** k for k in range(6)]
    assert not ev_mod._oscillates(big)  # swing 1 < 10⁻³·1000
    assert ev_mod._oscillates([1000 + 3 * (-1) ** k for k in range(6)])
    assert ev_mod._oscillates([mp.mpf("0.002") * (-1) ** k for k in range(6)])


def test_candidates_that_are_not_numbers_cannot_be_judged() -> None:
    ev = Evidence(sp.S.Zero, "+")
    ev.deep = _samples([1, 1, 1, 1, 1])
    assert ev.supports(sp.Symbol("c")) is None
    assert ev.supports(sp.oo) is False
    ev.deep = _samples([10**k for k in range(1, 8)])
    assert ev.supports(sp.oo) is True and ev.supports(-sp.oo) is False
    ev.deep = _samples([(-1) ** k * 10**k for k in range(1, 8)])
    assert ev.supports(sp.oo) is False and ev.supports(sp.S.Zero) is False


def test_gather_notes_what_it_cannot_evaluate() -> None:
    c = sp.Symbol("c")
    assert "other symbols" in gather(c * x, x, sp.S.Zero, "+", seconds=None).note


def test_gather_samples_the_table_deep_points_and_probes() -> None:
    ev = gather(sp.sin(x) / x, x, sp.S.Zero, "+", seconds=None)
    assert [s.label for s in ev.table] == [f"+10{ev_mod._sup(-k)}" for k in range(1, 9)]
    assert [s.label for s in ev.deep] == [f"+10{ev_mod._sup(-k)}" for k in (12, 16, 24, 32, 48)]
    assert len(ev.probes) == 10 and ev.probes[0].label == "+0.618·10⁻⁴"
    for s in ev.table + ev.deep + ev.probes:
        assert s.status == "ok"
        with mp.workdps(60):
            assert abs(s.value - mp.sin(s.point) / s.point) < mp.mpf(10) ** -14
    # the deepest point is exact to its own digits (3·48 + 40 of them)
    with mp.workdps(3 * 48 + 40):
        assert ev.deep[-1].point == mp.mpf(10) ** -48
    inf = gather(sp.atan(x), x, -sp.oo, "+", seconds=None)
    assert [s.label for s in inf.deep] == ["-10¹²", "-10¹⁶", "-10²⁴", "-10³²"]
    assert inf.table[0].point == -10


# boundaries of the three verdicts, each case worked out by hand from the definitions
def test_approaches_at_its_exact_tolerances() -> None:
    t = mp.mpf(10) ** -6  # the tolerance at target 0
    assert ev_mod._approaches([t] * 4, mp.mpf(0))  # within the tolerance, inclusive
    assert ev_mod._approaches([t / 2, t / 2, 10 * t, t], mp.mpf(0))  # 10·tol inclusive
    assert not ev_mod._approaches([mp.mpf("1.5e-6")] * 4, mp.mpf(0))  # settled off by 1.5·tol


@pytest.mark.parametrize(
    ("vals", "expected"),
    [
        ([1, -1, 2, 3, 4, 100], True),  # only the last value's sign matters
        ([1, 2, 10, 3, 4, 5], False),  # the second half must all exceed the first half
        ([1, 2, 2, 3], False),  # strictly
        ([5, 6, 1, 10**12], False),  # 10¹² itself is not past 10¹²
        ([5, 6, 1, 10**12 + 1], True),
        ([1, mp.mpf("0.5"), 3, 4], True),  # last above the first, whatever the second
        ([4, 5, 6, 3], False),
    ],
)
def test_diverges_case_by_case(vals: list[object], expected: bool) -> None:
    values = [mp.mpf(v) for v in vals]  # type: ignore[arg-type]
    assert ev_mod._diverges(values, 1) is expected
    assert ev_mod._diverges([-v for v in values], -1) is expected


@pytest.mark.parametrize(
    ("vals", "expected"),
    [
        ([0, 1, 1, 2, 2, 3], False),  # flat steps are not turns
        ([5, 1, "1.0001", 1, "1.0001"], False),  # the swing is read from the last four only
        ([0, "0.0015", 0, "0.0015", 0, "0.0015"], True),  # 1.5·10⁻³ against a scale of 1
        ([0, 1, 0, 1], True),  # exactly two turns
        ([0, 1, 0, 0], False),  # one turn
        ([-5, 1, "1.0001", 1, "1.0001"], False),  # … the lowest of the last four too
        ([1000, 0, "0.5", 0, "0.5"], True),  # the scale is read from the last four only
    ],
)
def test_oscillates_case_by_case(vals: list[object], expected: bool) -> None:
    assert ev_mod._oscillates([mp.mpf(v) for v in vals]) is expected  # type: ignore[arg-type]


def test_a_sequence_of_exactly_four_values_is_judged() -> None:
    four = _samples([1 + mp.mpf(10) ** -k for k in (1, 3, 6, 9)])
    assert SequenceSamples("q", four, sp.S.One).agrees() is True
    # 2·(6·10¹¹) would pass 10¹²; the values themselves do not diverge
    flat = _samples([5 * 10**11, 7 * 10**11, "5.5e11", 6 * 10**11])
    assert SequenceSamples("q", flat, sp.oo).agrees() is False


def test_exp_at_exactly_the_cap_is_still_evaluated() -> None:
    with mp.workdps(15):
        cap = mp.mpf(10) ** 60
        assert ev_mod._exp(-cap) == mp.exp(-cap)
        with pytest.raises(OverflowError, match=r"^exponent too large$"):
            ev_mod._exp(cap * 2)


def test_digits_of_what_is_shown() -> None:
    assert show_number(1 / 3) == mp.nstr(1 / 3, 10)  # a float: shown to 10 digits
    with mp.workdps(30):
        # exactly 10^(10¹⁵): the exponent has 16 digits, not more than 10¹⁵
        assert show_number(mp.mpf(10) ** (10**15)) == "1.0e+1000000000000000"
        # an exponent past 10¹⁵ is itself shown to 6 digits
        assert show_number(mp.mpf(10) ** 1234567890123456789) == "10^(1.23457e+18)"
    ev = Evidence(sp.S.Zero, "+")
    ev.table = [Sample("t", mp.mpf(1) / 3, mp.mpf(2))]
    assert ev.rows() == [("t", mp.nstr(mp.mpf(1) / 3, 12), "2.0")]
    assert set(ev.to_dict()) == {"table", "deep", "probes", "sequences"}
    assert ev.to_dict()["table"][0]["x"] == mp.nstr(mp.mpf(1) / 3, 17)


@pytest.mark.parametrize(
    ("vals", "target", "expected"),
    [
        # past 10⁸·max(1, |target|) and above the value two before: blowing up, not approaching
        (["1e14", "1e13", "1e12", "1e11", "1e10", "1e13"], 0, False),
        # huge but shrinking (below the value two before): still an approach of 0
        (["1e14", "1e13", "1e12", "1e11", "1e10", "1e9"], 0, True),
        (["1e14", "1e13", "1e12", "1e11", "1e12", "1e9"], 0, True),
        (["1e15", "1e14", "1e13", "1e12", "1e11", "1e10", "1e9"], 0, True),
        # 10⁸ itself is not past 10⁸; 10⁸ + 1 is, when target is 0 or 1 …
        ([1, 2, "3e6", "1e8"], 0, False),
        (["1e9", "4e7", "5e7", "1e8"], 0, True),
        (["1e12", "3e7", "1e8", "1.5e8"], 1, False),
        # … and the bound grows with |target|: 5·10⁹ is not past 10⁸·100
        (["1e12", "3e9", "4e9", "5e9"], 100, True),
        (["1e12", "1e11", "1e10", "5e9"], 100, True),
        # settled: consecutive values within 10⁻⁹·max(1, |last|), elsewhere than the target
        (["5", "3", "2", "2.0000000005", "2"], 1, False),
        (["5", "3", "2", "2.00000001", "2"], 1, True),  # not settled: moving toward 1
        (["5e9", "3e9", "2e9", "2000000000.5", "2e9"], 1, False),  # 10⁻⁹ relative to 2·10⁹
        (["7", "6", "5", "4", "3.5", "3.25"], 1, True),  # closer in the second half
        (["3", "0.5", "4", "1.4"], 0, True),  # last below half the first distance
        (["3", "0.5", "4", "1.5"], 0, False),  # exactly half is not below it
        (["3", "0.5", "0.4", "4"], 0, False),  # the one before the last does not count
        (["0.5", "0.9", "0.5", "0.5"], 0, False),  # equal maxima: not closer
    ],
)
def test_approaches_case_by_case(vals: list[object], target: int, expected: bool) -> None:
    values = [mp.mpf(v) for v in vals]  # type: ignore[arg-type]
    assert ev_mod._approaches(values, mp.mpf(target)) is expected


def test_supports_reads_an_oscillation_and_the_sign_of_a_divergence() -> None:
    ev = Evidence(sp.S.Zero, "+")
    ev.deep = _samples([0, 1, 0, 1, 0, 1])
    assert ev.supports("oscillates") is True and ev.supports(sp.S.Half) is False
    ev.deep = _samples([1, 1, 1, 1])
    assert ev.supports("oscillates") is False
    # 6·10¹¹ after 5·10¹¹, 4·10¹¹: not growing, not past 10¹² (twice it would be)
    ev.deep = _samples([5 * 10**11, 4 * 10**11, "4.5e11", 6 * 10**11])
    assert ev.supports(sp.oo) is False
    ev.deep = _samples([-5 * 10**11, -4 * 10**11, "-4.5e11", -6 * 10**11])
    assert ev.supports(-sp.oo) is False
    q = SequenceSamples("q", ev.deep, -sp.oo)
    assert q.agrees() is False


@pytest.mark.parametrize(
    ("vals", "target", "expected"),
    [
        (["1e12", "3e7", "5e7", "100000000.5"], 0, False),  # just past 10⁸: blowing up
        (["1e12", "2e8", "5e7", "2e8"], 0, True),  # not above the value two before
        (["5", "3", "0.5", "0.5000000017", "0.5"], "0.4", True),  # 1.7·10⁻⁹ apart: moving
        (["1", "1", "0.6", "0.6"], 0, True),  # the second half closer than the first
        (["0.0000005", "0.0000005", "0.5", "0.0000095", "0.0000009"], 0, True),  # the last two
    ],
)
def test_approaches_more_cases(vals: list[object], target: object, expected: bool) -> None:
    values = [mp.mpf(v) for v in vals]  # type: ignore[arg-type]
    assert ev_mod._approaches(values, mp.mpf(target)) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("vals", "expected"),
    [
        ([1, 2, 3, 4, -5, 10**13], True),  # the one before the last may be negative
        (["0.1", "0.2", "0.5", "0.9"], True),  # growing below 1 still grows
        ([-3, -2, -1, 0], False),  # ending at 0 is not diverging
        ([2 * 10**12, 1, 1, 2 * 10**12], False),  # past 10¹² but no higher than at first
    ],
)
def test_diverges_more_cases(vals: list[object], expected: bool) -> None:
    assert ev_mod._diverges([mp.mpf(v) for v in vals], 1) is expected  # type: ignore[arg-type]


def test_oscillates_needs_a_swing_above_a_thousandth() -> None:
    assert not ev_mod._oscillates([mp.mpf(v) for v in ("0", "0.001", "0", "0.001")])


def test_a_value_both_precisions_agree_on_is_still_checked_by_intervals() -> None:
    seen: list[int] = []

    def wide(v: object) -> object:
        seen.append(mp.iv.dps)
        return mp.iv.mpf([1, 2])

    point = _at(mp.mpf(1))
    assert ev_mod._evaluate(lambda t: t + 1, point, 25, wide) == (None, "unstable")
    assert seen == [50]  # at twice the working precision
    assert ev_mod._evaluate(lambda t: t + 1, point, 25, None) == (2, "ok")
    assert ev_mod._evaluate(lambda t: 1 / (t - 1), point, 25, wide) == (None, "undefined")
    assert seen == [50]  # a missing value is not checked


def test_the_tail_is_sorted_toward_the_point_from_the_left() -> None:
    ev = Evidence(sp.Integer(2), "-")
    ev.table = [Sample(f"t{k}", 2 - mp.mpf(10) ** -k, mp.mpf(k)) for k in range(1, 9)]
    assert [s.label for s in ev.tail] == [f"t{k}" for k in range(4, 9)]


def test_the_note_for_other_symbols_is_exact() -> None:
    ev = gather(sp.Symbol("c") * x, x, sp.S.Zero, "+", seconds=None)
    assert ev.note == "no numeric evidence: the expression has other symbols"
    assert ev.table == []
