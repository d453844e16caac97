"""The identity table: for each operation, its differential (a named identity) and the rule that
passes the adjoint Ḡ = ∂f/∂(output) back to each input (reverse mode, the gradient), and the
rule for the Jacobian of a vector output (forward mode, used for Jacobians and Hessians).

Reverse rules read off `df = tr(Ḡᵀ d(out))`: each identity d(out) = … d(in) … is rewritten as
tr(Ḡ_inᵀ d(in)), so Ḡ_in is the gradient with respect to that input. Rules are data: one entry
per operation, looked up by `rule_key`; no result is looked up by expression.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from calcml.errors import UnsupportedError
from calcml.symbolic.matrix.nodes import (
    ONE,
    Add,
    Const,
    EMap,
    Eye,
    MatMul,
    Node,
    Ones,
    Scale,
    T,
    U,
    Unary,
    Var,
    add,
    emap,
    matmul,
    scale,
    shape_text,
    transpose,
    unary,
)

Contribution = list[tuple[int, Node]]


@dataclass(frozen=True)
class Identity:
    """A named differential identity and how it passes the adjoint back."""

    name: str
    differential: str
    adjoint: str
    vjp: Callable[[Node, Node], Contribution]


def rule_key(node: Node) -> str:
    return f"{node.op}" if isinstance(node, Unary) else type(node).__name__


def inner(a: Node, b: Node) -> Node:
    """⟨A, B⟩ = tr(AᵀB): aᵀb for vectors, sum(A ⊙ B) for matrices."""
    if a.is_scalar():
        return emap(U[0] * U[1], [a, b])
    if a.shape[1] == 1:
        return matmul(transpose(a), b)
    if a.shape[0] == 1:
        return matmul(a, transpose(b))
    return unary("sum", emap(U[0] * U[1], [a, b]))


def _add(node: Node, g: Node) -> Contribution:
    assert isinstance(node, Add)
    return [(i, g) for i in range(len(node.terms))]


def _scale(node: Node, g: Node) -> Contribution:
    assert isinstance(node, Scale)
    return [(0, inner(g, node.x)), (1, scale(node.c, g))]


def _matmul(node: Node, g: Node) -> Contribution:
    assert isinstance(node, MatMul)
    return [(0, matmul(g, transpose(node.b))), (1, matmul(transpose(node.a), g))]


def _t(node: Node, g: Node) -> Contribution:
    return [(0, transpose(g))]


def _emap(node: Node, g: Node) -> Contribution:
    assert isinstance(node, EMap)
    out: Contribution = []
    for i, arg in enumerate(node.args):
        d = sp.diff(node.fn, U[i])
        if d == 0:
            continue
        shifted = d.xreplace({U[k]: U[k + 1] for k in range(len(node.args))})
        local = emap(U[0] * shifted, [g, *node.args])
        if arg.is_scalar() and not node.is_scalar():
            local = unary("sum", local)  # a broadcast scalar collects from every entry
        out.append((i, local))
    return out


def _sum(node: Node, g: Node) -> Contribution:
    assert isinstance(node, Unary)
    return [(0, scale(g, Ones(*node.x.shape)))]


def _sqnorm(node: Node, g: Node) -> Contribution:
    assert isinstance(node, Unary)
    return [(0, scale(g, scale(Const(sp.Integer(2)), node.x)))]


def _trace(node: Node, g: Node) -> Contribution:
    assert isinstance(node, Unary)
    return [(0, scale(g, Eye(node.x.shape[0])))]


def _logdet(node: Node, g: Node) -> Contribution:
    assert isinstance(node, Unary)
    return [(0, scale(g, transpose(unary("inv", node.x))))]


def _inv(node: Node, g: Node) -> Contribution:
    it = transpose(node)
    return [(0, scale(Const(sp.Integer(-1)), matmul(it, matmul(g, it))))]


def _diag(node: Node, g: Node) -> Contribution:
    return [(0, unary("diag", g))]


def _row_sums(m: Node) -> Node:
    """For a column vector: the scalar 1ᵀm; for a matrix: m·1·1ᵀ (each row's sum, spread)."""
    if m.shape[1] == 1:
        return unary("sum", m)
    k = m.shape[1]
    return matmul(matmul(m, Ones(k)), transpose(Ones(k)))


def _softmax(node: Node, g: Node) -> Contribution:
    assert isinstance(node, Unary)
    p = node
    s = _row_sums(emap(U[0] * U[1], [p, g]))
    return [(0, emap(U[0] * (U[1] - U[2]), [p, g, s]))]


def _logsumexp(node: Node, g: Node) -> Contribution:
    assert isinstance(node, Unary)
    p = unary("softmax", node.x)
    if node.x.shape[1] == 1:
        return [(0, scale(g, p))]
    return [(0, emap(U[0] * U[1], [p, matmul(g, transpose(Ones(node.x.shape[1])))]))]


IDENTITIES: dict[str, Identity] = {
    "Add": Identity("sum rule", "d(A + B) = dA + dB", "each term receives Ḡ", _add),
    "Scale": Identity(
        "scalar multiple", "d(c·X) = dc·X + c·dX", "Ḡ_X = c·Ḡ, ∂f/∂c = ⟨Ḡ, X⟩", _scale
    ),
    "MatMul": Identity("matrix product", "d(AB) = dA·B + A·dB", "Ḡ_A = Ḡ·Bᵀ, Ḡ_B = Aᵀ·Ḡ", _matmul),
    "T": Identity("transpose", "d(Xᵀ) = (dX)ᵀ", "Ḡ_X = Ḡᵀ", _t),
    "EMap": Identity("elementwise chain rule", "d f(u) = f′(u) ⊙ du", "Ḡ_u = Ḡ ⊙ f′(u)", _emap),
    "sum": Identity("sum of entries", "d sum(X) = 1ᵀ dX 1 = tr((11ᵀ)ᵀ dX)", "Ḡ_X = Ḡ·1", _sum),
    "sqnorm": Identity(
        "squared norm", "d‖r‖² = 2rᵀdr  (‖X‖_F²: d tr(XᵀX) = 2 tr(Xᵀ dX))", "Ḡ_r = 2Ḡ·r", _sqnorm
    ),
    "trace": Identity("trace", "d tr(X) = tr(I·dX)", "Ḡ_X = Ḡ·I", _trace),
    "logdet": Identity("log-determinant", "d log det X = tr(X⁻¹ dX)", "Ḡ_X = Ḡ·X⁻ᵀ", _logdet),
    "inv": Identity("inverse", "d(X⁻¹) = −X⁻¹ dX X⁻¹", "Ḡ_X = −X⁻ᵀ Ḡ X⁻ᵀ", _inv),
    "diag": Identity("diagonal", "d diag(v) = diag(dv)", "Ḡ_v = diag(Ḡ)", _diag),
    "softmax": Identity(
        "softmax", "dp = (diag(p) − ppᵀ) dz,  p = softmax(z)", "Ḡ_z = p ⊙ (Ḡ − (pᵀḠ)·1)", _softmax
    ),
    "logsumexp": Identity(
        "log-sum-exp", "d logsumexp(z) = softmax(z)ᵀ dz", "Ḡ_z = Ḡ·softmax(z)", _logsumexp
    ),
}


# ------------------------------------------------------------ forward mode: Jacobians


class Jacobians:
    """J(node) = ∂vec(node)/∂x for a vector (or scalar) x, memoised; rows are outputs."""

    def __init__(self, x: Var) -> None:
        if x.shape[1] != 1:
            raise UnsupportedError(
                f"Jacobians and Hessians are taken with respect to a vector; {x.name} is "
                f"{shape_text(x.shape)} (take the gradient instead)"
            )
        self.x = x
        self.n = x.shape[0]
        self.memo: dict[Node, Node | None] = {}

    def __call__(self, node: Node) -> Node | None:
        """None when node does not depend on x."""
        if not node.depends_on(self.x.name):
            return None
        if node not in self.memo:
            self.memo[node] = self._jac(node)
        return self.memo[node]

    def _jac(self, node: Node) -> Node | None:
        r, c = node.shape
        if r == 1 and c != 1:
            flipped = transpose(node)
            if flipped == node or isinstance(flipped, T):
                raise self._unsupported(node)
            return self(flipped)
        if r != 1 and c != 1:
            raise self._unsupported(node)
        rule = FORWARD.get(rule_key(node))
        if rule is None:
            raise self._unsupported(node)
        return rule(self, node)

    def _unsupported(self, node: Node) -> UnsupportedError:
        from calcml.symbolic.matrix.render import m_text

        return UnsupportedError(
            f"the Jacobian passes through {m_text(node)} ({shape_text(node.shape)}), a "
            "matrix-valued function of the variable: beyond this engine (gradients of scalars "
            "with respect to matrices are supported)"
        )


def _j_var(j: Jacobians, node: Node) -> Node:
    return ONE if j.n == 1 else Eye(j.n)


def _j_sum_terms(parts: list[Node | None], rows: object, j: Jacobians) -> Node | None:
    kept = [p for p in parts if p is not None]
    return add(*kept) if kept else None


def _j_add(j: Jacobians, node: Node) -> Node | None:
    assert isinstance(node, Add)
    return _j_sum_terms([j(t) for t in node.terms], node.shape[0], j)


def _j_scale(j: Jacobians, node: Node) -> Node | None:
    assert isinstance(node, Scale)
    jx, jc = j(node.x), j(node.c)
    parts: list[Node | None] = [scale(node.c, jx) if jx is not None else None]
    if jc is not None:
        parts.append(matmul(node.x, jc))
    return _j_sum_terms(parts, node.shape[0], j)


def _j_matmul(j: Jacobians, node: Node) -> Node | None:
    assert isinstance(node, MatMul)
    a, b = node.a, node.b
    parts: list[Node | None] = []
    jb = j(b)
    if jb is not None:
        parts.append(matmul(a, jb))
    if a.depends_on(j.x.name):
        if a.shape[0] != 1:
            raise j._unsupported(a)
        ja = j(a)
        assert ja is not None
        parts.append(matmul(transpose(b), ja))
    return _j_sum_terms(parts, node.shape[0], j)


def _j_t(j: Jacobians, node: Node) -> Node | None:
    assert isinstance(node, T)
    return j(node.x)


def _j_emap(j: Jacobians, node: Node) -> Node | None:
    assert isinstance(node, EMap)
    parts: list[Node | None] = []
    for i, arg in enumerate(node.args):
        ja = j(arg)
        if ja is None:
            continue
        d = emap(sp.diff(node.fn, U[i]), list(node.args))
        if node.is_scalar() or arg.is_scalar():
            parts.append(matmul(d, ja))
        else:
            parts.append(matmul(unary("diag", d), ja))
    return _j_sum_terms(parts, node.shape[0], j)


def _j_sum(j: Jacobians, node: Node) -> Node | None:
    assert isinstance(node, Unary)
    jx = j(node.x)
    return None if jx is None else matmul(transpose(Ones(node.x.shape[0])), jx)


def _j_sqnorm(j: Jacobians, node: Node) -> Node | None:
    assert isinstance(node, Unary)
    jx = j(node.x)
    return None if jx is None else scale(Const(sp.Integer(2)), matmul(transpose(node.x), jx))


def _j_softmax(j: Jacobians, node: Node) -> Node | None:
    assert isinstance(node, Unary)
    jx = j(node.x)
    if jx is None:
        return None
    p = node
    local = add(unary("diag", p), scale(Const(sp.Integer(-1)), matmul(p, transpose(p))))
    return matmul(local, jx)


def _j_logsumexp(j: Jacobians, node: Node) -> Node | None:
    assert isinstance(node, Unary)
    jx = j(node.x)
    if jx is None:
        return None
    return matmul(transpose(unary("softmax", node.x)), jx)


FORWARD: dict[str, Callable[[Jacobians, Node], Node | None]] = {
    "Var": _j_var,
    "Add": _j_add,
    "Scale": _j_scale,
    "MatMul": _j_matmul,
    "T": _j_t,
    "EMap": _j_emap,
    "sum": _j_sum,
    "sqnorm": _j_sqnorm,
    "softmax": _j_softmax,
    "logsumexp": _j_logsumexp,
}

# Jacobian identities, for the steps of a Jacobian derivation.
JACOBIAN_IDENTITIES: dict[str, str] = {
    "MatMul": "∂(Az)/∂z = A",
    "EMap": "∂f(z)/∂z = diag(f′(z)) for an elementwise f",
    "softmax": "∂softmax(z)/∂z = diag(p) − ppᵀ",
    "logsumexp": "∂logsumexp(z)/∂z = softmax(z)ᵀ",
    "sqnorm": "∂‖z‖²/∂z = 2zᵀ",
    "sum": "∂(1ᵀz)/∂z = 1ᵀ",
    "Add": "sum rule",
    "Scale": "∂(c·z) = c·∂z + z·∂c",
    "T": "a transpose does not change the entries",
    "Var": "∂x/∂x = I",
}
