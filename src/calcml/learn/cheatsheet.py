"""The cheat sheet, generated so it cannot disagree with the engine: the derivative rules come
from calcml.symbolic's rule registry (and derivations it computes), the formulas from the
lessons' "Key formulas" sections, the pitfalls from the mistake registry."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from calcml.result import Result

# expressions whose derivations show each structural rule's formula
RULE_SAMPLES = ["3*x", "x^3 + x", "x^2*sin(x)", "sin(x)/x", "sin(x^2)", "2^x", "x^x", "log(x, 2)"]


@dataclass
class CheatSheet(Result):
    """Sections of (title, Markdown body)."""

    sections: list[tuple[str, str]] = field(default_factory=list)

    def text(self) -> str:
        return self.markdown()

    def latex(self) -> str:
        return r"\text{calcml cheat sheet}"

    def markdown(self) -> str:
        out = ["# calcml cheat sheet", ""]
        for title, body in self.sections:
            out += [f"## {title}", "", body.strip(), ""]
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {"sections": [{"title": t, "markdown": b} for t, b in self.sections]}


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


def derivative_rules() -> list[tuple[str, str, str]]:
    """(rule id, formula, explanation) for every rule the engine knows, registry order."""
    from calcml.symbolic import derive
    from calcml.symbolic.rules import FUNCTIONS

    rows: dict[str, tuple[str, str, str]] = {}
    for sample in RULE_SAMPLES:
        for step in derive(sample, "x").all_steps():
            if step.formula and step.rule not in rows and step.rule not in _FUNCTION_RULES():
                rows[step.rule] = (step.rule, step.formula, step.explanation)
    for fr in FUNCTIONS.values():
        rows.setdefault(fr.rule, (fr.rule, fr.formula, fr.explanation))
    return list(rows.values())


def _FUNCTION_RULES() -> set[str]:
    from calcml.symbolic.rules import FUNCTIONS

    return {fr.rule for fr in FUNCTIONS.values()}


def cheatsheet() -> CheatSheet:
    """Build the cheat sheet (formulas per topic, derivative rules, common mistakes)."""
    from calcml.learn.lessons import source
    from calcml.learn.mistakes import MISTAKES
    from calcml.learn.skills import TOPICS

    sections: list[tuple[str, str]] = []
    for t in TOPICS:
        sections.append((f"{t.number}. {t.title}", key_formulas(source(t.id))))
    rules = "\n".join(
        f"| `{rule}` | {_cell(formula)} | {_cell(why)} |"
        for rule, formula, why in derivative_rules()
    )
    sections.append(
        (
            "Derivative rules (from the engine's registry)",
            "| rule | formula | meaning |\n|---|---|---|\n" + rules,
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
    return CheatSheet(sections)


def _cell(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def _sentence(title: str) -> str:
    return title[:1].upper() + title[1:]
