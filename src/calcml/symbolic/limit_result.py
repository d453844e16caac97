"""What a limit computation hands back: `LimitResult` (a Derivation) and its special values.

A one-sided or two-sided limit is a number, `oo`, `-oo`, or one of the `NoLimit` markers:
`DNE` (does not exist), `UNDEFINED` (f has no real values on that side), `UNDECIDED` (no method
settled it within the time limit — an honest answer, never a guess).

>>> DNE == "DNE", str(UNDECIDED)
(True, 'undecided')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from calcml.expr.render import expr_dict, to_latex, to_text
from calcml.symbolic.evidence import Evidence
from calcml.symbolic.steps import Derivation, Step


class NoLimit(str):
    """A limit that is not a value: 'DNE', 'undefined' or 'undecided'."""

    __slots__ = ()


DNE = NoLimit("DNE")
UNDEFINED = NoLimit("undefined")
UNDECIDED = NoLimit("undecided")

LimitValue = Any  # sp.Expr (a real number, oo, -oo) or a NoLimit


def value_text(value: LimitValue) -> str:
    """'1/2', 'oo', '-oo', 'DNE', 'undefined', 'undecided' (the JSON `value` string)."""
    if isinstance(value, NoLimit):
        return str(value)
    if value is sp.S.Infinity:
        return "oo"
    if value is sp.S.NegativeInfinity:
        return "-oo"
    from calcml.expr.render import to_input

    return to_input(value)


def value_pretty(value: LimitValue) -> str:
    if isinstance(value, NoLimit):
        return {"DNE": "does not exist", "undefined": "undefined", "undecided": "could not decide"}[
            str(value)
        ]
    return to_text(value)


def arrow(var: sp.Symbol, at: sp.Expr, side: str) -> str:
    """'x → 0⁺', 'x → 2', 'x → ∞'."""
    mark = (
        "" if at in (sp.S.Infinity, sp.S.NegativeInfinity) else {"+": "⁺", "-": "⁻"}.get(side, "")
    )
    return f"{to_text(var)} → {to_text(at)}{mark}"


def arrow_latex(var: sp.Symbol, at: sp.Expr, side: str) -> str:
    infinite = at in (sp.S.Infinity, sp.S.NegativeInfinity)
    mark = "" if infinite else {"+": "^{+}", "-": "^{-}"}.get(side, "")
    return f"{to_latex(var)} \\to {to_latex(at)}{mark}"


@dataclass
class LimitStep(Step):
    """A step of a limit argument. kind 'limit': `after` is the limit of `before` as `where`."""

    where: str = ""

    def lines(self, depth: int = 0, number: str = "") -> list[str]:
        pad = "   " * depth
        out = [f"{pad}{number} [{self.rule}] {self.explanation}".rstrip()]
        if self.kind == "limit":
            out.append(f"{pad}   lim {self.where} {paren(self.before)} = {_t(self.after)}")
        elif self.kind == "rewrite":
            out.append(f"{pad}   {_t(self.before)} = {_t(self.after)}")
        elif self.kind == "diff":
            out.append(f"{pad}   d/d{self.wrt} {paren(self.before)} = {_t(self.after)}")
        for i, sub in enumerate(self.substeps, 1):
            out.extend(sub.lines(depth + 1, f"{number}{i}."))
        return out

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        if self.kind == "limit":
            data["where"] = self.where
            if isinstance(self.after, NoLimit):
                data["after"] = str(self.after)
        return data


def _t(value: Any) -> str:
    if isinstance(value, NoLimit):
        return value_pretty(value)
    if isinstance(value, (sp.Basic, list, tuple)):
        return to_text(value)
    return str(value)


def paren(value: Any) -> str:
    """Text of `value`, in parentheses when it is a sum (lim (√(x² + 1) − x), not lim √… − x)."""
    return f"({_t(value)})" if isinstance(value, sp.Add) else _t(value)


_WHERE_LATEX = {"→": r"\to", "⁺": "^{+}", "⁻": "^{-}", "∞": r"\infty", "π": r"\pi", "−": "-"}


def _where_latex(where: str) -> str:
    """'x → 0⁺' as LaTeX: 'x \\to 0^{+}'."""
    for text, tex in _WHERE_LATEX.items():
        where = where.replace(text, f" {tex} " if text == "→" else tex)
    return " ".join(where.split())


def _after_latex(value: Any) -> str:
    if isinstance(value, NoLimit):
        return f"\\text{{{value_pretty(value)}}}"
    return to_latex(value)


def step_markdown(step: Step, number: str, depth: int = 0) -> list[str]:
    pad = "   " * depth
    line = f"{pad}{number} **{step.rule}** — {step.explanation}"
    if step.kind == "limit" and isinstance(step, LimitStep):
        after = _after_latex(step.after)
        line += f": $\\lim_{{{_where_latex(step.where)}}} {to_latex(step.before)} = {after}$"
    elif step.kind == "rewrite":
        line += f": ${to_latex(step.before)} = {to_latex(step.after)}$"
    elif step.kind == "diff" and step.wrt is not None:
        line += f": $\\frac{{d}}{{d{to_latex(step.wrt)}}}\\left[{to_latex(step.before)}\\right] = "
        line += f"{to_latex(step.after)}$"
    out = [line]
    for i, sub in enumerate(step.substeps, 1):
        out.extend(step_markdown(sub, f"{i}.", depth + 1))
    return out


@dataclass
class LimitResult(Derivation):
    """lim f as var → at (side '+', '-' or 'both'): `.value`, `.left`, `.right`, `.exists`.

    `.evidence` maps '+'/'-' to the numeric `Evidence`; `.reason` says why a limit does not exist
    or could not be decided; `.method` names what settled the value.
    """

    var: Any = None
    at: Any = None
    side: str = "both"
    value: LimitValue = None
    left: LimitValue = None
    right: LimitValue = None
    evidence: dict[str, Evidence] = field(default_factory=dict)
    reason: str = ""
    method: str = ""

    @property
    def exists(self) -> bool:
        """True when the limit is a finite number (±∞ and DNE are not limits that exist)."""
        v = self.value
        return not isinstance(v, NoLimit) and v not in (sp.S.Infinity, sp.S.NegativeInfinity)

    @property
    def decided(self) -> bool:
        return self.value is not UNDECIDED

    def heading(self) -> str:
        return f"lim {arrow(self.var, self.at, self._side_mark())} {paren(self.expr)}"

    def _side_mark(self) -> str:
        return {"left": "-", "right": "+"}.get(self.side, "")

    def text(self) -> str:
        out = [f"{self.heading()} = {value_pretty(self.value)}"]
        for i, step in enumerate(self.steps, 1):
            out.extend(step.lines(1, f"{i}."))
        if self.reason:
            out.append(f"   reason: {self.reason}")
        out.extend(f"   note: {n}" for n in self.notes)
        out.extend("   " + line for line in self.evidence_lines())
        return "\n".join(out)

    def evidence_lines(self) -> list[str]:
        sides = [s for s in ("-", "+") if s in self.evidence and self.evidence[s].table]
        if not sides:
            return []
        infinite = self.at in (sp.S.Infinity, sp.S.NegativeInfinity)
        head = "x" if infinite else "h"
        cols = [("f(a−h)" if s == "-" else "f(a+h)") if not infinite else "f(x)" for s in sides]
        out = [
            "numeric evidence (mpmath, two precisions):",
            f"   {head:>8}  " + "  ".join(f"{c:>18}" for c in cols),
        ]
        rows = [self.evidence[s].table for s in sides]
        for i in range(len(rows[0])):
            label = rows[0][i].label.lstrip("+-") if not infinite else rows[0][i].label
            vals = "  ".join(f"{r[i].shown():>18}" if i < len(r) else " " * 18 for r in rows)
            out.append(f"   {label:>8}  {vals}")
        return out

    def question_latex(self) -> str:
        """lim_(x→a) f as LaTeX: the typeset heading."""
        body = to_latex(self.expr)
        if isinstance(self.expr, sp.Add):
            body = f"\\left({body}\\right)"
        return f"\\lim_{{{arrow_latex(self.var, self.at, self._side_mark())}}} {body}"

    def latex(self) -> str:
        lhs = self.question_latex()
        v = self.value
        rhs = f"\\text{{{value_pretty(v)}}}" if isinstance(v, NoLimit) else to_latex(v)
        return f"{lhs} = {rhs}"

    def markdown(self) -> str:
        out = [f"**{self.question}**", "", f"$$ {self.latex()} $$", ""]
        for i, step in enumerate(self.steps, 1):
            out.extend(step_markdown(step, f"{i}."))
        if self.reason:
            out.append(f"\n> {self.reason}")
        out.extend(f"\n> {n}" for n in self.notes)
        ev = self.evidence_lines()
        if ev:
            out.extend(["", "```", *ev, "```"])
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "question": self.question,
            "question_latex": self.question_latex(),
            "expr": expr_dict(self.expr),
            "var": str(self.var),
            "at": value_text(self.at),
            "side": self.side,
            "value": value_text(self.value),
            "left": value_text(self.left) if self.left is not None else None,
            "right": value_text(self.right) if self.right is not None else None,
            "exists": self.exists,
            "steps": [s.to_dict() for s in self.steps],
        }
        # the documented shape always has "result": null when there is no limit (DNE, undecided)
        data["result"] = None if isinstance(self.value, NoLimit) else expr_dict(self.value)
        if self.reason:
            data["reason"] = self.reason
        if self.method:
            data["method"] = self.method
        if self.notes:
            data["notes"] = list(self.notes)
        data["evidence"] = {
            ("left" if s == "-" else "right"): e.to_dict() for s, e in self.evidence.items()
        }
        return data

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.text import Text

        colour = "bold green" if self.exists else "bold yellow"
        parts: list[Any] = [
            Text.assemble((self.heading(), "bold"), " = ", (value_pretty(self.value), colour))
        ]
        for i, step in enumerate(self.steps, 1):
            parts.extend(Text("  " + line) for line in step.lines(0, f"{i}."))
        if self.reason:
            parts.append(Text(f"  reason: {self.reason}", style="yellow"))
        parts.extend(Text(f"  note: {n}", style="yellow") for n in self.notes)
        parts.extend(Text("  " + line, style="dim") for line in self.evidence_lines())
        return Group(*parts)


def limit_step(
    rule: str, explanation: str, expr: Any, value: Any, where: str, **kw: Any
) -> LimitStep:
    """A 'limit' step: lim (where) expr = value."""
    return LimitStep(rule, explanation, expr, value, kind="limit", where=where, **kw)


def rewrite_step(rule: str, explanation: str, before: Any, after: Any, **kw: Any) -> LimitStep:
    return LimitStep(rule, explanation, before, after, kind="rewrite", **kw)


def note_step(rule: str, explanation: str, **kw: Any) -> LimitStep:
    return LimitStep(rule, explanation, None, None, kind="note", **kw)
