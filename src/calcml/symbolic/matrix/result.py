"""`MatrixStep` and `MatrixDerivation`: a matrix-calculus derivation that renders itself, with the
shape of every expression it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from calcml.result import Result
from calcml.symbolic.matrix.nodes import Node, shape_text
from calcml.symbolic.matrix.render import m_dict, m_latex, m_text
from calcml.text import count_of


def dims_text(shape: tuple[Any, Any]) -> str:
    """'n×d', 'd' for a column vector, 'scalar'."""
    if tuple(shape) == (1, 1):
        return "scalar"
    return str(shape[0]) if shape[1] == 1 else f"{shape[0]}×{shape[1]}"


@dataclass
class MatrixStep:
    """One identity applied: `shown` lists (label, expression) pairs, each with its shape."""

    rule: str
    explanation: str
    formula: str = ""
    shown: list[tuple[str, Node]] = field(default_factory=list)
    substeps: list[MatrixStep] = field(default_factory=list)

    def walk(self) -> list[MatrixStep]:
        out: list[MatrixStep] = []
        stack: list[MatrixStep] = [self]
        while stack:
            step = stack.pop()
            out.append(step)
            stack.extend(reversed(step.substeps))
        return out

    def lines(self, depth: int, number: str) -> list[str]:
        pad = "   " * depth
        out = [f"{pad}{number} [{self.rule}] {self.explanation}".rstrip()]
        if self.formula:
            out.append(f"{pad}   identity: {self.formula}")
        for label, node in self.shown:
            out.append(f"{pad}   {label} = {m_text(node)}   ({dims_text(node.shape)})")
        for i, sub in enumerate(self.substeps, 1):
            out.extend(sub.lines(depth + 1, f"{number}{i}."))
        return out

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rule": self.rule, "explanation": self.explanation}
        if self.formula:
            data["formula"] = self.formula
        data["shown"] = [{"label": label, **m_dict(node)} for label, node in self.shown]
        data["substeps"] = [s.to_dict() for s in self.substeps]
        return data


@dataclass
class MatrixDerivation(Result):
    """A verified vector/matrix derivative: gradient (denominator layout), Jacobian or Hessian."""

    kind: str
    question: str
    expr: Node
    result: Node
    wrt: str
    shapes: dict[str, tuple[Any, Any]]
    steps: list[MatrixStep] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    verified: str = ""
    definitions: dict[str, Node] = field(default_factory=dict)  # backprop's z_l, a_l, δ_l

    @property
    def shape(self) -> tuple[Any, Any]:
        return self.result.shape

    def all_steps(self) -> list[MatrixStep]:
        return [s for top in self.steps for s in top.walk()]

    def repr_summary(self) -> str:
        return f"{self.question} = {m_text(self.result)}"

    def repr_counts(self) -> list[str]:
        out = [count_of(len(self.all_steps()), "steps"), f"shape {dims_text(self.result.shape)}"]
        return [*out, "verified"] if self.verified else out

    def headline(self) -> str:
        return f"{self.question} = {m_text(self.result)}   ({dims_text(self.result.shape)})"

    def text(self) -> str:
        out = [self.headline()]
        out.append(
            "   shapes: " + ", ".join(f"{k}: {dims_text(v)}" for k, v in self.shapes.items())
        )
        for i, step in enumerate(self.steps, 1):
            out.extend(step.lines(1, f"{i}."))
        out.extend(f"   note: {n}" for n in self.notes)
        if self.verified:
            out.append(f"   ✓ {self.verified}")
        return "\n".join(out)

    def question_latex(self) -> str:
        """The question as LaTeX (∇_w (…), ∇²_w (…), ∂/∂w (…)): the typeset heading."""
        return _question_latex(self)

    def latex(self) -> str:
        return f"{self.question_latex()} = {m_latex(self.result)}"

    def markdown(self) -> str:
        out = [f"**{self.question}**", "", f"$$ {self.latex()} $$", ""]
        out.append(f"Shape: {shape_text(self.result.shape)}\n")
        for i, step in enumerate(self.steps, 1):
            out.append(f"{i}. **{step.rule}** — {step.explanation}")
            if step.formula:
                out.append(f"   identity: {step.formula}")
            for label, node in step.shown:
                out.append(f"   - ${label} = {m_latex(node)}$ ({dims_text(node.shape)})")
        out.extend(f"\n> {n}" for n in self.notes)
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "question": self.question,
            "question_latex": self.question_latex(),
            "expr": m_dict(self.expr),
            "wrt": self.wrt,
            "wrt_shape": list(self.shapes[self.wrt]),
            "shapes": {k: list(v) for k, v in self.shapes.items()},
            "result": m_dict(self.result),
            "shape": list(self.result.shape),
            "steps": [s.to_dict() for s in self.steps],
        }
        if self.definitions:
            data["definitions"] = {k: m_dict(v) for k, v in self.definitions.items()}
        if self.notes:
            data["notes"] = list(self.notes)
        if self.verified:
            data["verified"] = self.verified
        return data

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.text import Text

        parts: list[Any] = [Text(self.headline(), style="bold")]
        for line in self.text().splitlines()[1:]:
            style = "green" if line.strip().startswith("✓") else ""
            style = "yellow" if line.strip().startswith("note:") else style
            parts.append(Text(line, style=style))
        return Group(*parts)


def _question_latex(d: MatrixDerivation) -> str:
    from calcml.symbolic.matrix.render import name_text

    w = name_text(d.wrt, "latex")
    f = m_latex(d.expr)
    if d.kind == "gradient":
        return rf"\nabla_{{{w}}} \left({f}\right)"
    if d.kind == "hessian":
        return rf"\nabla^2_{{{w}}} \left({f}\right)"
    return rf"\frac{{\partial}}{{\partial {w}}} \left({f}\right)"
