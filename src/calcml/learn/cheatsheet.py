"""The cheat sheet, generated so it cannot disagree with the engine: the derivative rules come
from calcml.symbolic's rule registry (each rule's general statement: `rules.statements` for the
structural rules, `rules.FUNCTIONS` for the functions, whose typeset form is computed from the
rule's own derivative), the formulas from the lessons' "Key formulas" sections, the pitfalls
from the mistake registry.

Its Markdown carries the rules' formulas as `$…$` math (as Jupyter and GitHub read it) and
escapes only what Markdown needs (a table cell's `|`); HTML escaping is the HTML renderer's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from calcml.result import Result


@dataclass(frozen=True)
class RuleRow:
    """One derivative rule in general: its id, formula as text and typeset, and its meaning."""

    rule: str
    formula: str
    latex: str
    meaning: str


@dataclass
class CheatSheet(Result):
    """Sections of (title, Markdown body); `rules` are the derivative rules' rows (the Markdown
    shows their LaTeX as math, `text()` their Unicode formulas)."""

    sections: list[tuple[str, str]] = field(default_factory=list)
    rules: list[RuleRow] = field(default_factory=list)

    def text(self) -> str:
        out = self.markdown()
        for r in self.rules:
            out = out.replace(_math_cell(r.latex), _cell(r.formula), 1)
        return out

    def latex(self) -> str:
        return r"\text{calcml cheat sheet}"

    def markdown(self) -> str:
        out = ["# calcml cheat sheet", ""]
        for title, body in self.sections:
            out += [f"## {title}", "", body.strip(), ""]
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sections": [{"title": t, "markdown": b} for t, b in self.sections],
            "rules": [vars(r) for r in self.rules],
        }


def key_formulas(markdown: str) -> str:
    """The body of a lesson's '## Key formulas' section."""
    lines = markdown.splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("## "):
            inside = line.strip().lower() == "## key formulas"
            continue
        if inside:
            out.append(line)
    return "\n".join(out).strip()


def derivative_rules() -> list[RuleRow]:
    """Every rule the engine knows, stated in general: the structural rules, then the functions
    (registry order)."""
    from calcml.symbolic.rules import FUNCTIONS
    from calcml.symbolic.rules.statements import STATEMENTS

    rows = [
        RuleRow(key, st.formula_in("x"), st.latex, st.meaning) for key, st in STATEMENTS.items()
    ]
    for func, fr in FUNCTIONS.items():
        rows.append(RuleRow(fr.rule, fr.formula, function_latex(func), _meaning(fr)))
    return rows


def function_latex(func: Any) -> str:
    """d/du f(u) = f′(u) typeset, f′ computed by the function's own rule (its derivative)."""
    from calcml.expr import symbol, to_latex
    from calcml.symbolic.rules import FUNCTIONS

    fr = FUNCTIONS[func]
    u = symbol("u")
    applied = func(u, *(symbol(p) for p in fr.parameters))
    return rf"\frac{{d}}{{du}} {to_latex(applied)} = {to_latex(fr.derivative(applied))}"


def _meaning(fr: Any) -> str:
    return f"{fr.explanation}; {fr.kink.format(u='u')}" if fr.kink else fr.explanation


def cheatsheet() -> CheatSheet:
    """Build the cheat sheet (formulas per topic, derivative rules, common mistakes)."""
    from calcml.learn.lessons import source
    from calcml.learn.mistakes import MISTAKES
    from calcml.learn.skills import TOPICS

    sections: list[tuple[str, str]] = []
    for t in TOPICS:
        sections.append((f"{t.number}. {t.title}", key_formulas(source(t.id))))
    rules = derivative_rules()
    table = "\n".join(
        f"| {r.rule.replace('_', ' ')} | {_math_cell(r.latex)} | {_cell(r.meaning)} |"
        for r in rules
    )
    sections.append(
        (
            "Derivative rules (from the engine's registry)",
            "| rule | formula | meaning |\n|---|---|---|\n" + table,
        )
    )
    from calcml.symbolic.matrix.rules import IDENTITIES

    identities = "\n".join(
        f"| {_cell(i.name)} | {_cell(i.differential)} | {_cell(i.adjoint)} |"
        for i in IDENTITIES.values()
    )
    sections.append(
        (
            "Matrix calculus identities (from the engine's identity table)",
            "| identity | differential | gradient passed back (Ḡ = ∂f/∂output) |\n"
            "|---|---|---|\n" + identities,
        )
    )
    sections.append(
        (
            "Common mistakes",
            "\n".join(f"- **{_sentence(m.title)}.** {m.feedback}" for m in MISTAKES.values()),
        )
    )
    return CheatSheet(sections, rules)


def _cell(text: str) -> str:
    """Text in a Markdown table cell: only the cell's own separator is escaped (no HTML
    entities: Markdown is not HTML, and its renderer escapes for HTML)."""
    return text.replace("|", "\\|").replace("\n", " ")


def _math_cell(tex: str) -> str:
    """LaTeX as `$…$` math in a Markdown table cell (|…| written \\vert, so no cell breaks)."""
    return "$" + tex.replace("|", r"\vert ").replace("\n", " ") + "$"


def _sentence(title: str) -> str:
    return title[:1].upper() + title[1:]
