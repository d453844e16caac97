"""The derivation model: a `Step` (one rule applied) and a `Derivation` (question, result, steps).

Rendering (`text`, `latex`, `markdown`, `to_dict`) is kept here, apart from the rules that build
steps; the rules only fill in records.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> step = Step("power", "Power rule: d/dx xⁿ = n·xⁿ⁻¹", x**3, 3 * x**2, wrt=x)
>>> Derivation("d/dx x³", x**3, 3 * x**2, [step], wrt=(x,)).text().splitlines()[0]
'd/dx x³ = 3·x²'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from calcml.expr.render import expr_dict, to_latex, to_text
from calcml.result import Result
from calcml.text import count_of

# A step's kind: "diff" means `after` is the derivative of `before` with respect to `wrt`;
# "rewrite" means `after` equals `before` (simplification, substitution, algebra);
# "note" carries an explanation only (e.g. "y is held constant"); a note with `lhs` also shows
# "lhs = after" (∇f = ..., H(a) = ..., L(x) = ...) without claiming that after equals before.
STEP_KINDS = ("diff", "rewrite", "note")


@dataclass
class Step:
    """One rule applied: `rule` id, a one-line explanation, the expression before and after."""

    rule: str
    explanation: str
    before: Any
    after: Any
    substeps: list[Step] = field(default_factory=list)
    wrt: sp.Symbol | None = None
    kind: str = "diff"
    formula: str | None = None
    partial: bool = False  # render ∂/∂x (other variables held constant) instead of d/dx
    lhs: str | None = None  # what `after` is, when it is neither before′ nor before (e.g. "∇f")

    def walk(self) -> list[Step]:
        """This step and all its sub-steps, depth first (iterative)."""
        out: list[Step] = []
        stack: list[Step] = [self]
        while stack:
            step = stack.pop()
            out.append(step)
            stack.extend(reversed(step.substeps))
        return out

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "kind": self.kind,
            "explanation": self.explanation,
            "before": _json(self.before),
            "after": _json(self.after),
            "substeps": [s.to_dict() for s in self.substeps],
        }
        if self.formula:
            data["formula"] = self.formula
        if self.wrt is not None:
            data["wrt"] = str(self.wrt)
        if self.partial:
            data["partial"] = True
        if self.lhs:
            data["lhs"] = self.lhs
        return data

    def lines(self, depth: int = 0, number: str = "") -> list[str]:
        """Indented Unicode lines: '1. [product] explanation: before → after'."""
        pad = "   " * depth
        head = f"{pad}{number} [{self.rule}] {self.explanation}".rstrip()
        out = [head]
        if self.kind != "note" or self.lhs:
            lhs = _lhs(self)
            out.append(f"{pad}   {lhs} = {_t(self.after)}")
        for i, sub in enumerate(self.substeps, 1):
            out.extend(sub.lines(depth + 1, f"{number}{i}."))
        return out


@dataclass
class Derivation(Result):
    """A verified derivation: `question`, `result`, `steps`, plus the shape for vectors/matrices.

    `components` holds one derivation per entry of a gradient/Jacobian/Hessian;
    `alternatives` holds the same result reached by another method (e.g. quotient vs. chain).
    """

    question: str
    expr: Any
    result: Any
    steps: list[Step] = field(default_factory=list)
    wrt: tuple[sp.Symbol, ...] = ()
    shape: tuple[int, ...] | None = None
    notes: list[str] = field(default_factory=list)
    components: list[Derivation] = field(default_factory=list)
    alternatives: list[Derivation] = field(default_factory=list)
    verified: str = ""

    def result_text(self) -> str:
        """The result as text; a vector of shape (n,) as (a, b, ...), not as an n×1 matrix."""
        if self.shape and len(self.shape) == 1 and isinstance(self.result, sp.MatrixBase):
            return _t(tuple(self.result))
        return _t(self.result)

    def all_steps(self) -> list[Step]:
        """Every step and sub-step, depth first."""
        return [s for top in self.steps for s in top.walk()]

    def repr_summary(self) -> str:
        return f"{self.question} = {self.result_text()}"

    def repr_counts(self) -> list[str]:
        n = len(self.all_steps()) + sum(len(c.all_steps()) for c in self.components)
        out = [count_of(n, "steps")]
        if self.shape:
            out.append(f"shape {_shape(self.shape)}")
        return [*out, "verified"] if self.verified else out

    def text(self) -> str:
        shape = f"   (shape {_shape(self.shape)})" if self.shape else ""
        out = [f"{self.question} = {self.result_text()}{shape}"]
        for i, step in enumerate(self.steps, 1):
            out.extend(step.lines(1, f"{i}."))
        for comp in self.components:
            out.extend("   " + line for line in comp.text().splitlines())
        out.extend(f"   note: {n}" for n in self.notes)
        for alt in self.alternatives:
            out.append("   alternatively:")
            out.extend("   " + line for line in alt.text().splitlines())
        return "\n".join(out)

    def question_latex(self) -> str:
        """The question as LaTeX (d/dx [f], ∇_(x, y) [f], …): the typeset heading of a result."""
        return _question_latex(self)

    def latex(self) -> str:
        return f"{self.question_latex()} = {to_latex(self.result)}"

    def markdown(self) -> str:
        out = [f"**{self.question}**", "", f"$$ {self.latex()} $$", ""]
        if self.shape:
            out.append(f"Shape: {_shape(self.shape)}\n")
        for i, step in enumerate(self.steps, 1):
            out.extend(_step_markdown(step, f"{i}.", 0))
        for comp in self.components:
            out.extend(["", comp.markdown()])
        out.extend(f"\n> {n}" for n in self.notes)
        for alt in self.alternatives:
            out.extend(["", "*Alternatively:*", "", alt.markdown()])
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "question": self.question,
            "question_latex": self.question_latex(),
            "result": _json(self.result),
            "steps": [s.to_dict() for s in self.steps],
        }
        if self.shape and len(self.shape) == 1 and isinstance(data["result"], dict):
            # a vector has the shape (n,) of its variables, not that of an n×1 matrix
            data["result"].update(shape=list(self.shape), text=self.result_text())
        if self.wrt:
            data["wrt"] = [str(v) for v in self.wrt]
        if self.shape:
            data["shape"] = list(self.shape)
        if self.notes:
            data["notes"] = list(self.notes)
        if self.components:
            data["components"] = [c.to_dict() for c in self.components]
        if self.alternatives:
            data["alternatives"] = [a.to_dict() for a in self.alternatives]
        if self.verified:
            data["verified"] = self.verified
        return data

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.text import Text

        shape = f"  (shape {_shape(self.shape)})" if self.shape else ""
        parts: list[Any] = [
            Text.assemble((self.question, "bold"), " = ", (self.result_text(), "bold green"), shape)
        ]
        for i, step in enumerate(self.steps, 1):
            parts.extend(_rich_step(step, f"{i}.", 1))
        for comp in self.components:
            parts.append(comp.__rich__())
        parts.extend(Text(f"  note: {n}", style="yellow") for n in self.notes)
        for alt in self.alternatives:
            parts.append(Text("  alternatively:", style="italic"))
            parts.append(alt.__rich__())
        if self.verified:
            parts.append(Text(f"  ✓ {self.verified}", style="green"))
        return Group(*parts)


def _rich_step(step: Step, number: str, depth: int) -> list[Any]:
    from rich.text import Text

    pad = "  " * depth
    out = [
        Text.assemble(pad, (f"{number} ", "bold"), (f"[{step.rule}] ", "cyan"), step.explanation)
    ]
    if step.formula:
        out.append(Text(f"{pad}   rule: {step.formula}", style="magenta"))
    if step.kind != "note" or step.lhs:
        lhs = _lhs(step)
        out.append(Text(f"{pad}   {lhs} = {_t(step.after)}", style="dim" if step.substeps else ""))
    for i, sub in enumerate(step.substeps, 1):
        out.extend(_rich_step(sub, f"{number}{i}.", depth + 1))
    return out


def _step_markdown(step: Step, number: str, depth: int) -> list[str]:
    pad = "   " * depth
    line = f"{pad}{number} **{step.rule}** — {step.explanation}"
    if step.kind == "diff" and step.wrt is not None:
        d = r"\partial" if step.partial else "d"
        lhs = rf"\frac{{{d}}}{{{d} {to_latex(step.wrt)}}}\left[{to_latex(step.before)}\right]"
        line += f": ${lhs} = {to_latex(step.after)}$"
    elif step.lhs:
        line += f": {step.lhs} = ${to_latex(step.after)}$"
    elif step.kind == "rewrite":
        line += f": ${to_latex(step.before)} = {to_latex(step.after)}$"
    out = [line]
    for i, sub in enumerate(step.substeps, 1):
        out.extend(_step_markdown(sub, f"{i}.", depth + 1))
    return out


def _lhs(step: Step) -> str:
    if step.lhs:
        return step.lhs
    if step.kind != "diff":
        return _t(step.before)
    d = "∂" if step.partial else "d"
    return f"{d}/{d}{_t(step.wrt)} {_paren(step.before)}"


def _question_latex(d: Derivation) -> str:
    if len(d.wrt) == 1 and not isinstance(d.expr, (list, tuple, sp.MatrixBase)):
        op = r"\partial" if d.question.startswith("∂") else "d"
        var = to_latex(d.wrt[0])
        return rf"\frac{{{op}}}{{{op} {var}}}\left[{to_latex(d.expr)}\right]"
    operator = _VECTOR_OPERATORS.get(d.question.split(" ", 1)[0])
    if operator is None or not d.wrt:  # no words inside math: the question as text
        return rf"\text{{{latex_text(d.question)}}}"
    wrt = ", ".join(to_latex(v) for v in d.wrt)
    shown = to_latex(tuple(d.expr)) if isinstance(d.expr, (list, tuple)) else to_latex(d.expr)
    below = r"\mathbf{v}" if operator == "D" else f"({wrt})"
    return rf"{operator}_{{{below}}}\left[{shown}\right]"


# the first word of a vector derivative's question -> its LaTeX operator
_VECTOR_OPERATORS = {"∇": r"\nabla", "J": "J", "H": "H", "D_v": "D"}


def latex_text(words: str) -> str:
    """Plain words for LaTeX's \\text{…} (the characters it would read as commands escaped)."""
    return "".join("\\" + ch if ch in "#$%&_{}" else ch for ch in words)


def _json(value: Any) -> Any:
    if isinstance(value, sp.MatrixBase):
        return {**expr_dict(value), "shape": list(value.shape)}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, sp.Basic):
        return expr_dict(value)
    return value


def _t(value: Any) -> str:
    if isinstance(value, (sp.Basic, sp.MatrixBase, list, tuple)):
        return to_text(value)
    return str(value)


def _paren(value: Any) -> str:
    shown = _t(value)
    return f"({shown})" if isinstance(value, sp.Add) else shown


def _shape(shape: tuple[int, ...] | None) -> str:
    if shape and len(shape) == 1:
        return f"({shape[0]},)"
    return "×".join(str(n) for n in shape or ()) or "scalar"
