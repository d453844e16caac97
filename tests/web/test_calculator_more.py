"""The calculator's live preview hints at glued names; matrix questions (a shapes field) reach
the matrix engine through the service; figures of Jacobians, directional derivatives and
surfaces come from the service's figure verb."""

from __future__ import annotations

import html
import random
import re
import string

import numpy as np
import pytest
import sympy as sp
from fastapi.testclient import TestClient

from calcml.expr import parse
from calcml.expr.names import FUNCTIONS, GREEK_NAMES
from calcml.symbolic.matrix import parse_matrix, parse_shapes
from calcml.symbolic.matrix.nodes import Node
from calcml.symbolic.matrix.numeric import instance
from symbolic.matrix.corpus import CORPUS
from symbolic.matrix.refeval import ag_eval

RESERVED = set(FUNCTIONS) | set(GREEK_NAMES) | {"e", "pi", "oo", "inf", "nan", "lim", "d", "dx"}


def _glued(rng: random.Random) -> str:
    while True:
        name = "".join(rng.sample(string.ascii_lowercase, rng.choice([2, 3])))
        if name not in RESERVED and not any(name.startswith(f) for f in RESERVED if len(f) > 1):
            return name


def test_preview_hints_at_a_glued_product_and_not_at_a_spaced_one(client: TestClient) -> None:
    rng = random.Random(16)
    for _ in range(12):
        name = _glued(rng)
        r = client.get("/calc/preview", params={"q": f"3{name} + {name[0]}^2"})
        text = html.unescape(r.text)
        assert r.status_code == 200
        if "is one variable name" not in text:  # the parser refused it (a glued function name)
            assert 'class="caret"' in text, (name, text)
            continue
        assert f"did you mean {'·'.join(name)}?" in text, (name, text)
        spaced = client.get("/calc/preview", params={"q": f"3{' '.join(name)} + {name[0]}^2"})
        assert "did you mean" not in html.unescape(spaced.text), name
    for word in ("theta*x", "rate*x", "mu + sigma"):
        assert "did you mean" not in client.get("/calc/preview", params={"q": word}).text


# ---------------------------------------------------------------- vector and matrix questions

GRADIENTS = [c for c in CORPUS if c[4] == "gradient" and "one-hot" not in c[3]]
STEP = 1e-6


def _central_gradient(f: Node, wrt: str, dims: dict, values: dict) -> np.ndarray:
    """Central differences of the scalar f (evaluated by autograd's NumPy, not calcml's)."""
    base = values[wrt]
    out = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        plus, minus = base.copy(), base.copy()
        plus[idx] += STEP
        minus[idx] -= STEP
        fp = ag_eval(f, dims, {**values, wrt: plus})[0, 0]
        fm = ag_eval(f, dims, {**values, wrt: minus})[0, 0]
        out[idx] = (fp - fm) / (2 * STEP)
    return out


@pytest.mark.parametrize("seed", range(2))
def test_matrix_gradients_through_the_api_match_central_differences(
    client: TestClient, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    for index in rng.choice(len(GRADIENTS), size=6, replace=False):
        _, text, wrt, shapes, _ = GRADIENTS[index]
        r = client.post("/api/gradient", json={"expr": text, "wrt": [wrt], "shapes": shapes})
        assert r.status_code == 200, (text, r.text)
        body = r.json()
        declared = parse_shapes(shapes)
        f, _ = parse_matrix(text, declared)
        assert body["verified"] and body["wrt"] == wrt
        assert [str(n) for n in body["shape"]] == [str(n) for n in body["shapes"][wrt]]
        result, _ = parse_matrix(body["result"]["expr"], {**declared, **_shapes(body)})
        checked = 0
        for attempt in range(8):
            dims, values = instance(f, _shapes(body), rng, positive=attempt >= 4)
            with np.errstate(all="ignore"):
                if not np.isfinite(ag_eval(f, dims, values)).all():
                    continue
                want = _central_gradient(f, wrt, dims, values)
                got = np.asarray(ag_eval(result, dims, values)).reshape(want.shape)
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=text)
            checked += 1
        assert checked >= 2, text


def _shapes(body: dict) -> dict:
    return {k: tuple(v) for k, v in body["shapes"].items()}


def test_calculator_page_shows_a_matrix_result_with_shapes_steps_and_badge(
    client: TestClient,
) -> None:
    params = {"op": "gradient", "q": "norm(X w - y)^2", "wrt": "w", "shapes": "X: n×d, w: d, y: n"}
    r = client.get("/calc", params=params)
    page = html.unescape(r.text)
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert r.status_code == 200
    assert "Shapes: X: n×d, w: d, y: n" in words
    assert "✓ verified" in words and "shape: d" in words
    assert 'class="shown"' in page and "(n)" in page  # every intermediate with its shape
    assert "shapes=X" in page  # the permalink keeps the shapes
    spec = client.get("/calc/figure", params={**params, "figure": "chain"})
    assert spec.status_code == 200
    nodes = spec.json()["nodes"]
    shapes = {n["text"]: n["shape"] for n in nodes}
    assert shapes["X"] == "n×d" and shapes["w"] == "d" and shapes["Xw − y"] == "n"
    assert {n["text"] for n in nodes if n["on_path"]} >= {"w", "Xw", "‖Xw − y‖²"}
    assert not any(n["on_path"] for n in nodes if n["text"] in ("X", "y"))
    preview = client.get("/calc/preview", params={"q": params["q"], "shapes": params["shapes"]})
    assert "shapes: X: n×d, w: d, y: n" in html.unescape(preview.text)


def test_bad_shapes_are_a_short_400_and_a_message_in_the_page(client: TestClient) -> None:
    client.get("/calc")  # sets the CSRF cookie; the API wants it back as a header
    token = {"X-CSRF-Token": client.cookies["calcml_csrf"]}
    for shapes in ("X: n×", "w: d, w: e", "X n d", "X: 0×2"):
        fields = {"expr": "norm(X w)^2", "wrt": ["w"], "shapes": shapes}
        r = client.post("/api/gradient", json=fields, headers=token)
        assert r.status_code in (400, 422), (shapes, r.text)
        assert r.json()["error"], shapes
        page = client.get(
            "/calc", params={"op": "gradient", "q": "norm(X w)^2", "wrt": "w", "shapes": shapes}
        )
        assert page.status_code == 200 and 'class="error"' in page.text, shapes
    long = {"expr": "norm(X w)^2", "wrt": ["w"], "shapes": "X: n×d, " * 100}
    assert client.post("/api/gradient", json=long, headers=token).status_code == 422


def test_a_scalar_question_is_unchanged_by_an_empty_shapes_field(client: TestClient) -> None:
    with_field = client.get("/calc.json", params={"op": "derive", "q": "x^3", "shapes": ""})
    assert with_field.json()["result"]["expr"] == "3*x^2"
    x = sp.Symbol("x", real=True)
    assert sp.simplify(parse(with_field.json()["result"]["expr"]) - sp.diff(x**3, x)) == 0


@pytest.mark.parametrize("seed", range(4))
def test_calculator_figures_agree_with_numpy_on_random_questions(
    client: TestClient, seed: int
) -> None:
    """The figure behind each calculator operation (tangent/derivative, gradient field, Taylor
    orders, a limit's jump) holds numbers NumPy computes from the same random coefficients."""
    import math

    rng = np.random.default_rng(seed)
    a, b, c, d = (int(v) for v in rng.integers(1, 5, size=4) * rng.choice([-1, 1], size=4))

    def series(spec: dict, role: str, order: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        s = next(s for s in spec["series"] if s["role"] == role and s.get("order", order) == order)
        pairs = [(x, y) for x, y in zip(s["x"], s["y"], strict=True) if y is not None]
        return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])

    # derivative: f = a x³ + b x² + c x + d and f′
    spec = client.get(
        "/calc/figure", params={"op": "derive", "q": f"{a}*x^3 + {b}*x^2 + {c}*x + {d}"}
    )
    assert spec.status_code == 200 and spec.json()["kind"] == "with_derivative"
    x, y = series(spec.json(), "function")
    np.testing.assert_allclose(y, np.polyval([a, b, c, d], x), rtol=1e-9, atol=1e-9)
    x, y = series(spec.json(), "derivative")
    np.testing.assert_allclose(y, np.polyval([3 * a, 2 * b, c], x), rtol=1e-9, atol=1e-9)

    # gradient field of f = a x²y + b y³ + c x: arrows point along ∇f
    spec = client.get(
        "/calc/figure", params={"op": "gradient", "q": f"{a}*x^2*y + {b}*y^3 + {c}*x"}
    )
    arrows = spec.json()["arrows"]
    ax, ay = np.array(arrows["x"]), np.array(arrows["y"])
    gx, gy = 2 * a * ax * ay + c, a * ax**2 + 3 * b * ay**2
    u, v = np.array(arrows["u"]), np.array(arrows["v"])
    norm = np.hypot(gx, gy) * np.hypot(u, v)
    live = norm > 1e-9
    assert live.sum() > len(u) // 2
    np.testing.assert_allclose((gx * u + gy * v)[live] / norm[live], 1.0, atol=1e-6)

    # Taylor polynomials of exp(a x) at 0: Σ (a x)ⁿ/n! up to each order
    order = int(rng.integers(1, 5))
    spec = client.get("/calc/figure", params={"op": "taylor", "q": f"exp({a}*x)", "order": order})
    for k in range(1, order + 1):
        x, y = series(spec.json(), "approximation", k)
        want = sum((a * x) ** n / math.factorial(n) for n in range(k + 1))
        np.testing.assert_allclose(y, want, rtol=1e-9, atol=1e-9)

    # a jump: c·|x|/x has one-sided limits −c and c, two open circles, no value at 0
    spec = client.get("/calc/figure", params={"op": "limit", "q": f"{c}*abs(x)/x"}).json()
    assert (spec["left"]["number"], spec["right"]["number"]) == (-c, c)
    assert sorted(map(tuple, spec["marks"]["holes"])) == sorted([(0.0, -c), (0.0, c)])
    assert spec["marks"]["jump"] is True and spec["value"]["number"] is None


def test_mlp_gradient_page_names_backprop_deltas(client: TestClient) -> None:
    """An MLP question in matrix mode: the page's steps name δ₁, δ₂ (typeset), and the JSON
    twin carries their definitions, each with its shape."""
    query = {
        "op": "gradient",
        "q": "norm(V2 tanh(V1 u + c1) - t)^2 / 2",
        "wrt": "V1",
        "shapes": "V1: m×p, c1: m, V2: q×m, u: p, t: q",
    }
    page = html.unescape(client.get("/calc", params=query).text)
    assert "backprop δ1" in page and "backprop δ2" in page
    assert r"\delta _{1}" in page and r"\delta _{2}" in page
    data = client.get("/calc.json", params=query).json()
    assert set(data["definitions"]) == {"z1", "a1", "delta1", "delta2"}
    assert data["definitions"]["delta1"]["shape"] == ["m", 1]
