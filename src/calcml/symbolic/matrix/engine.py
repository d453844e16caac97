"""derive / gradient / jacobian / hessian for vector and matrix expressions, with steps.

The gradient is reverse accumulation over the expression graph: the output starts with adjoint
Ḡ = 1, each operation passes its adjoint back through its identity (`rules.IDENTITIES`), and
adjoints reaching the same sub-expression are added before going further (so Xᵀa + Xᵀb arrives
as Xᵀ(a + b)). Jacobians use the forward rules; a Hessian is the Jacobian of the gradient. Every
result is checked numerically (`numeric.verify`) before it is returned; a failure raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from calcml.errors import ParseError, ShapeError
from calcml.symbolic.matrix.layers import Labels, Layer
from calcml.symbolic.matrix.nodes import (
    ONE,
    EMap,
    Node,
    Var,
    add,
    shape_text,
    walk,
    zero,
)
from calcml.symbolic.matrix.numeric import verify, verify_names
from calcml.symbolic.matrix.parser import parse_matrix
from calcml.symbolic.matrix.render import m_text, name_text
from calcml.symbolic.matrix.result import MatrixDerivation, MatrixStep, dims_text
from calcml.symbolic.matrix.rules import IDENTITIES, JACOBIAN_IDENTITIES, Jacobians, rule_key
from calcml.symbolic.matrix.shapes import parse_shapes, simplex_names

ShapesArg = str | dict[str, Any] | None
CONVENTIONS = (
    "conventions: vectors are columns; a data matrix has one example per row; "
    "a gradient has the shape of its variable (denominator layout); J[i, j] = ∂fᵢ/∂xⱼ"
)


def _setup(
    f: str | Node, wrt: str, shapes: ShapesArg
) -> tuple[Node, Var, dict[str, Any], list[str]]:
    declared = parse_shapes(shapes)
    if isinstance(f, Node):
        expr, notes = f, list[str]()
        final = dict(declared)
    else:
        simplex = frozenset(simplex_names(shapes))
        expr, notes = parse_matrix(f, declared, simplex=simplex)
        if simplex:
            notes.append(
                f"{', '.join(sorted(simplex))}: one-hot (each row sums to 1), used to simplify"
            )
        final = _final_shapes(expr, declared)
    wrt = wrt.strip().translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
    variables = {v.name: v for v in walk(expr) if isinstance(v, Var)}
    if wrt not in variables:
        if wrt in final:
            raise ParseError(f"the expression does not depend on {wrt}")
        raise ParseError(f"{wrt} does not appear in the expression")
    final = {name: v.shape for name, v in sorted(variables.items())}
    return expr, variables[wrt], final, notes


def _final_shapes(expr: Node, declared: dict[str, Any]) -> dict[str, Any]:
    return {v.name: v.shape for v in walk(expr) if isinstance(v, Var)} | declared


def reverse_gradient(
    f: Node, x: Var, labels: Labels | None = None
) -> tuple[Node, list[MatrixStep]]:
    """∇_x f for a scalar f by reverse accumulation, with one step per operation passed; the
    layers of a network are shown with backprop's names z_l, a_l, δ_l (`layers.Labels`)."""
    labels = labels if labels is not None else Labels.of(f)
    show = labels.show
    contributions: dict[Node, list[Node]] = {f: [ONE]}
    steps: list[MatrixStep] = _layer_steps(labels)
    for node in reversed(walk(f)):
        if node not in contributions or not node.depends_on(x.name) or isinstance(node, Var):
            continue
        g = add(*contributions[node])
        layer = labels.layer_of(node)
        if layer is not None:
            steps.append(_delta_step(labels, layer, g))
        identity = IDENTITIES[rule_key(node)]
        passed = [(i, c) for i, c in identity.vjp(node, g) if node.children[i].depends_on(x.name)]
        shown_node = m_text(show(node))
        step = MatrixStep(
            identity.name,
            f"{shown_node} ({dims_text(node.shape)}) receives Ḡ = ∂f/∂({shown_node})",
            f"{identity.differential}  ⇒  {identity.adjoint}",
            [("Ḡ", show(g))],
        )
        for i, c in passed:
            child = node.children[i]
            if c.shape != child.shape:
                raise ShapeError(
                    f"internal: adjoint of shape {shape_text(c.shape)} for "
                    f"{shape_text(child.shape)}"
                )
            contributions.setdefault(child, []).append(c)
            shown_child = m_text(show(child))
            step.substeps.append(
                MatrixStep(
                    "pass back",
                    f"to {shown_child} ({dims_text(child.shape)})" + _local(node, i, show),
                    "",
                    [(f"Ḡ[{shown_child}] (this part)", show(c))],
                )
            )
        steps.append(step)
    parts = contributions.get(x, [])
    return (add(*parts) if parts else zero(x.shape)), steps


def _layer_steps(labels: Labels) -> list[MatrixStep]:
    """The network's layers named as backprop names them (nothing for other expressions)."""
    if not labels.definitions:
        return []
    shown = [(name_text(name, "text"), labels.expand(name)) for name in labels.definitions]
    return [
        MatrixStep(
            "layers",
            f"name the {len(labels.layers)} layers as backprop does: z_l = W_l a_(l−1) + b_l is "
            "layer l's pre-activation, a_l = f(z_l) its activation (a₀ = the input)",
            "z_l = W_l a_(l−1) + b_l,  a_l = f(z_l)",
            shown,
        )
    ]


def _delta_step(labels: Labels, layer: Layer, g: Node) -> MatrixStep:
    """δ_l = ∂f/∂z_l named where the backward pass reaches layer l."""
    delta, shown = labels.define_delta(layer, g)
    name = name_text(delta.name, "text")
    top = layer.index == len(labels.layers)
    where = f"z{layer.index}" if layer.z is not None else None
    target = name_text(where, "text") if where else f"({m_text(labels.show(layer.product))})"
    explanation = f"{name} = ∂f/∂{target} ({dims_text(g.shape)}), the error signal of layer " + (
        f"{layer.index} (the output layer)" if top else f"{layer.index}, from δ of layer above"
    )
    formula = "" if top else "δ_l = (W_(l+1)ᵀ δ_(l+1)) ⊙ f′(z_l)"
    return MatrixStep(f"backprop δ{layer.index}", explanation, formula, [(name, shown)])


def _local(node: Node, i: int, show: Callable[[Node], Node]) -> str:
    if not isinstance(node, EMap):
        return ""
    import sympy as sp

    from calcml.symbolic.matrix.nodes import U, emap

    d = emap(sp.diff(node.fn, U[i]), list(node.args))
    return f": ∂/∂{m_text(show(node.args[i]))} of {m_text(show(node))} is {m_text(show(d))}"


def _question(kind: str, f: Node, x: str) -> str:
    name = name_text(x, "text")
    body = m_text(f)
    return {
        "gradient": f"∇_{name} [{body}]",
        "jacobian": f"∂[{body}]/∂{name}",
        "hessian": f"∇²_{name} [{body}]",
    }[kind]


def matrix_gradient(f: str | Node, wrt: str, shapes: ShapesArg = None) -> MatrixDerivation:
    """∇_W f of a scalar f: W's shape, derived by the differential method and checked.

    >>> d = matrix_gradient("norm(X w - y)^2", "w", "X: n×d, w: d, y: n")
    >>> d.headline()
    '∇_w [‖Xw − y‖²] = 2Xᵀ(Xw − y)   (d)'
    """
    expr, x, final, notes = _setup(f, wrt, shapes)
    if not expr.is_scalar():
        raise ShapeError(
            f"the gradient needs a scalar function; this one is {shape_text(expr.shape)} "
            "(ask for its Jacobian)"
        )
    labels = Labels.of(expr)
    result, steps = reverse_gradient(expr, x, labels)
    first = MatrixStep(
        "differential",
        f"write the differential df = tr(Gᵀ d{name_text(x.name, 'text')}); then "
        f"∇_{name_text(x.name, 'text')} f = G, of {x.name}'s shape {dims_text(x.shape)}",
        "df = tr(Gᵀ dW)  ⇒  ∇_W f = G",
        [("f", expr)],
    )
    grad_name = f"∇_{name_text(x.name, 'text')} f"
    short = labels.show(result)
    last = MatrixStep(
        "result",
        f"the gradient collects every Ḡ that reached {x.name}",
        "",
        [(grad_name, short)]
        + ([(f"{grad_name} (written out)", result)] if short != result else []),
    )
    checked = verify(expr, result, x.name, final, "gradient")
    verify_names(labels.pairs, labels.definitions, final)
    return MatrixDerivation(
        "gradient", _question("gradient", expr, x.name), expr, result, x.name, final,
        [first, *steps, last], [*notes, CONVENTIONS], checked, dict(labels.definitions),
    )  # fmt: skip


def forward_jacobian(f: Node, x: Var) -> tuple[Node, list[MatrixStep]]:
    """J = ∂f/∂x for a vector (or scalar) f and a vector x, one step per operation."""
    jac = Jacobians(x)
    j = jac(f)
    rows = f.shape[0] if f.shape[1] == 1 else f.shape[1]
    result = j if j is not None else zero((rows, x.shape[0]))
    steps = []
    for node, value in jac.memo.items():
        if value is None or isinstance(node, Var):
            continue
        steps.append(
            MatrixStep(
                "jacobian",
                f"∂({m_text(node)})/∂{name_text(x.name, 'text')}",
                JACOBIAN_IDENTITIES.get(rule_key(node), ""),
                [(f"J[{m_text(node)}]", value)],
            )
        )
    return result, steps


def matrix_jacobian(f: str | Node, wrt: str, shapes: ShapesArg = None) -> MatrixDerivation:
    """The Jacobian ∂f/∂x of a vector function (rows are outputs), checked numerically.

    >>> matrix_jacobian("sigmoid(z)", "z", "z: n").headline()
    '∂[σ(z)]/∂z = diag(σ(z) ⊙ (1 − σ(z)))   (n×n)'
    """
    expr, x, final, notes = _setup(f, wrt, shapes)
    if expr.shape[0] != 1 and expr.shape[1] != 1:
        raise ShapeError(
            f"the Jacobian needs a vector function; this one is {shape_text(expr.shape)}"
        )
    result, steps = forward_jacobian(expr, x)
    checked = verify(expr, result, x.name, final, "jacobian")
    return MatrixDerivation(
        "jacobian", _question("jacobian", expr, x.name), expr, result, x.name, final, steps,
        [*notes, CONVENTIONS], checked,
    )  # fmt: skip


def matrix_hessian(f: str | Node, wrt: str, shapes: ShapesArg = None) -> MatrixDerivation:
    """∇²_x f = the Jacobian of the gradient (n×n), both checked numerically.

    >>> matrix_hessian("w^T A w", "w", "A: d×d, w: d").headline()
    '∇²_w [wᵀAw] = A + Aᵀ   (d×d)'
    """
    grad = matrix_gradient(f, wrt, shapes)
    x = next(v for v in walk(grad.expr) if isinstance(v, Var) and v.name == grad.wrt)
    result, steps = forward_jacobian(grad.result, x)
    checked = verify(grad.result, result, x.name, grad.shapes, "hessian")
    first = MatrixStep(
        "gradient first",
        "the Hessian is the Jacobian of the gradient: H = ∂(∇f)/∂x",
        "",
        [(f"∇_{name_text(x.name, 'text')} f", grad.result)],
        grad.steps,
    )
    return MatrixDerivation(
        "hessian", _question("hessian", grad.expr, x.name), grad.expr, result, x.name,
        grad.shapes, [first, *steps], grad.notes, f"gradient and Hessian {checked}",
        grad.definitions,
    )  # fmt: skip


def matrix_derive(f: str | Node, wrt: str, shapes: ShapesArg = None) -> MatrixDerivation:
    """The derivative of f with respect to a vector or matrix: the gradient of a scalar f, the
    Jacobian of a vector f.

    >>> matrix_derive("w^T x", "w", "w: d, x: d").headline()
    '∇_w [wᵀx] = x   (d)'
    """
    expr, _x, _final, _notes = _setup(f, wrt, shapes)
    if expr.is_scalar():
        return matrix_gradient(f, wrt, shapes)
    return matrix_jacobian(f, wrt, shapes)
