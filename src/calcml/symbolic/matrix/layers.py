"""The layers of a network written in matrix form, named for the backprop derivation.

A layer is a product W_l·a with W_l a declared matrix on the left (column convention: z = Wx + b).
When the expression nests two or more of them with an elementwise activation between (an MLP),
the derivation names what the textbook names: z_l (the argument of layer l's activation),
a_l = f(z_l), and δ_l = ∂f/∂z_l, the adjoint arriving at W_l·a_(l−1) (the sum rule passes ∂f/∂z_l
to it unchanged). Expressions are then shown through `Labels.show`, which replaces those
sub-expressions (also up to a constant factor) by their names, so the steps read
δ₁ = (W₂ᵀδ₂) ⊙ σ(z₁) ⊙ (1 − σ(z₁)) and ∇_W₁ f = δ₁xᵀ. Every shortened expression is kept next to
its full form (`Labels.pairs`) for the numeric check.

>>> from calcml.symbolic.matrix.parser import parse_matrix
>>> from calcml.symbolic.matrix.shapes import parse_shapes
>>> shapes = parse_shapes("W1: h×d, b1: h, W2: k×h, b2: k, x: d, y: k")
>>> f, _ = parse_matrix("norm(W2 tanh(W1 x + b1) + b2 - y)^2", shapes)
>>> [layer.weight.name for layer in find_layers(f)]
['W1', 'W2']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from calcml.symbolic.matrix.nodes import (
    Add,
    Const,
    EMap,
    MatMul,
    Node,
    Scale,
    T,
    Unary,
    Var,
    add,
    emap,
    matmul,
    scale,
    split_coeff,
    transpose,
    unary,
    walk,
)

MIN_LAYERS = 2  # one product W·x is a linear model, not a network: no names then


@dataclass(frozen=True)
class Layer:
    """Layer `index` (1 = nearest the input): its product W_l·a_{l−1}, and z_l/a_l when the
    product feeds an elementwise activation a_l = f(z_l)."""

    index: int
    product: MatMul
    weight: Var
    z: Node | None = None
    a: EMap | None = None


def _weight(node: Node) -> Var | None:
    if isinstance(node, MatMul) and isinstance(node.a, Var) and 1 not in node.a.shape:
        return node.a
    return None


def find_layers(f: Node) -> list[Layer]:
    """The nested layers of f, input side first; [] unless f is a chain of ≥ 2 of them."""
    nodes = walk(f)
    products = [n for n in nodes if _weight(n) is not None]
    depth = {p: sum(1 for q in products if q is not p and q in walk(p)) for p in products}
    if len(products) < MIN_LAYERS or sorted(depth.values()) != list(range(len(products))):
        return []
    chain = sorted(products, key=depth.__getitem__)
    activations = {n.args[0]: n for n in nodes if isinstance(n, EMap) and len(n.args) == 1}
    layers = []
    for i, product in enumerate(chain):
        z = _pre_activation(product, activations)
        weight = _weight(product)
        assert isinstance(product, MatMul) and weight is not None
        layers.append(Layer(i + 1, product, weight, z, activations.get(z) if z else None))
    return layers


def _pre_activation(product: Node, activations: dict[Node, EMap]) -> Node | None:
    """z_l: the product itself or a sum holding it, when an activation is applied to it."""
    if product in activations:
        return product
    for z in activations:
        if isinstance(z, Add) and product in z.terms:
            return z
    return None


@dataclass
class Labels:
    """Names for the layers' z_l, a_l and δ_l, and `show` to print expressions with them."""

    layers: list[Layer]
    names: dict[Node, Var] = field(default_factory=dict)
    definitions: dict[str, Node] = field(default_factory=dict)  # label name -> full expression
    pairs: list[tuple[Node, Node]] = field(default_factory=list)  # (shown, full) for the check

    @classmethod
    def of(cls, f: Node) -> Labels:
        layers = find_layers(f)
        labels = cls(layers)
        taken = f.variables
        wanted = [f"{p}{layer.index}" for layer in layers for p in ("z", "a", "delta")]
        if any(name in taken for name in wanted) or not any(layer.a for layer in layers):
            labels.layers = []  # the user's own names come first; no activation: no network
            return labels
        for layer in layers:
            if layer.z is not None and layer.a is not None:
                labels._name(f"z{layer.index}", layer.z)
                labels._name(f"a{layer.index}", layer.a)
        return labels

    def _name(self, name: str, full: Node) -> Var:
        var = Var(name, *full.shape)
        self.names[full] = var
        self.definitions[name] = full
        return var

    def layer_of(self, node: Node) -> Layer | None:
        """The layer whose δ is the adjoint arriving at `node` (z_l, or the product for the
        output layer, which has no named z)."""
        for layer in self.layers:
            if node == (layer.z if layer.z is not None else layer.product):
                return layer
        return None

    def define_delta(self, layer: Layer, adjoint: Node) -> tuple[Var, Node]:
        """Name the adjoint δ_l; returns δ_l and its definition shown with the earlier names."""
        shown = self.show(adjoint)
        return self._name(f"delta{layer.index}", adjoint), shown

    def expand(self, name: str) -> Node:
        """The definition of a name, shown with the names defined before it (z₂ = W₂a₁ + b₂)."""
        full = self.definitions[name]
        out = _rebuild(full, tuple(self._show(c, {}) for c in full.children))
        if out != full:
            self.pairs.append((out, full))
        return out

    def show(self, node: Node) -> Node:
        """`node` with named sub-expressions replaced by their names (for display only)."""
        if not self.names:
            return node
        out = self._show(node, {})
        if out != node:
            self.pairs.append((out, node))
        return out

    def _show(self, node: Node, memo: dict[Node, Node]) -> Node:
        if node in memo:
            return memo[node]
        out = self._named(node)
        if out is None:
            children = node.children
            shown = tuple(self._show(c, memo) for c in children)
            out = node if shown == children else _rebuild(node, shown)
        memo[node] = out
        return out

    def _named(self, node: Node) -> Node | None:
        if node in self.names:
            return self.names[node]
        c, core = split_coeff(node)
        if isinstance(node, Const):
            return None
        for full, var in self.names.items():
            c_full, core_full = split_coeff(full)
            if core_full == core:
                return _scaled(c / c_full, var)
        return None


def _scaled(c: sp.Expr, var: Var) -> Node:
    return var if c == 1 else Scale(Const(c), var)


REBUILD = {
    Add: lambda n, c: add(*c),
    EMap: lambda n, c: emap(n.fn, c),
    Scale: lambda n, c: scale(c[0], c[1]),
    MatMul: lambda n, c: matmul(c[0], c[1]),
    T: lambda n, c: transpose(c[0]),
    Unary: lambda n, c: unary(n.op, c[0]),
}  # the same operation on the shown children, in the canonical form (6W₃ᵀ(δ₃/6) is W₃ᵀδ₃)


def _rebuild(node: Node, children: tuple[Node, ...]) -> Node:
    return REBUILD[type(node)](node, children)  # type: ignore[no-untyped-call]
