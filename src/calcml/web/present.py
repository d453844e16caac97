"""Engine JSON (the service's payloads) turned into what the templates show: LaTeX for KaTeX
with a plain-text fallback, and step trees for the one recursive step partial."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_STEPS = 400  # steps rendered at most on one page (the rest are summarised)


@dataclass
class Math:
    """One formula: `tex` for KaTeX, `text` shown without JavaScript."""

    tex: str
    text: str


@dataclass
class StepView:
    rule: str
    explanation: str
    formula: str | None
    math: Math | None
    children: list[StepView] = field(default_factory=list)
    shown: list[Math] = field(default_factory=list)  # a matrix step's labelled values, shaped


def tex(value: Any) -> str:
    """LaTeX of an engine value: an expression dict, a list (a vector), or a plain string."""
    if isinstance(value, dict) and "latex" in value:
        return str(value["latex"])
    if isinstance(value, list):
        rows = [tex(v) for v in value]
        return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
    if value is None:
        return ""
    return _text_tex(str(value))


def text(value: Any) -> str:
    """Plain text of an engine value."""
    if isinstance(value, dict) and "text" in value:
        return str(value["text"])
    if isinstance(value, list):
        return "(" + ", ".join(text(v) for v in value) + ")"
    return "" if value is None else str(value)


def _text_tex(s: str) -> str:
    specials = {
        "∞": r"\infty",
        "-∞": r"-\infty",
        "oo": r"\infty",
        "-oo": r"-\infty",
        "DNE": r"\text{does not exist}",
    }
    if s in specials:
        return specials[s]
    parts: list[str] = []
    run: list[str] = []
    for c in s:
        if c in MATH_SYMBOLS:  # KaTeX's \text{} has no ∇, ∂, ², ᵀ …: set them as math
            if run:
                parts.append(r"\text{" + "".join(run) + "}")
                run = []
            parts.append(MATH_SYMBOLS[c])
        elif c in "#$%&_{}":
            run.append("\\" + c)
        else:
            run.append(ESCAPES.get(c, c))
    if run:
        parts.append(r"\text{" + "".join(run) + "}")
    return " ".join(parts)


# characters of calcml's Unicode text that have a math symbol, not a text glyph, in KaTeX
MATH_SYMBOLS = {
    "∇": r"\nabla",
    "∂": r"\partial",
    "·": r"\cdot",
    "‖": r"\Vert",
    "→": r"\to",
    "−": "-",
    "×": r"\times",
    "∞": r"\infty",
    "≈": r"\approx",
    "≤": r"\le",
    "≥": r"\ge",
    "ᵀ": r"^{\top}",
    "λ": r"\lambda",
    "σ": r"\sigma",
    "δ": r"\delta",
    "θ": r"\theta",
    "η": r"\eta",
    "μ": r"\mu",
    "α": r"\alpha",
    "β": r"\beta",
    "ε": r"\varepsilon",
    "Σ": r"\Sigma",
    **{d: f"^{{{i}}}" for i, d in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")},
    **{d: f"_{{{i}}}" for i, d in enumerate("₀₁₂₃₄₅₆₇₈₉")},
}

ESCAPES = {"\\": r"\textbackslash{}", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


def _lhs(step: dict[str, Any]) -> Math | None:
    before = step.get("before")
    if before is None:
        return None
    if step.get("lhs"):
        return Math(_text_tex(step["lhs"]), step["lhs"])
    if step.get("kind") == "diff" and step.get("wrt"):
        d = r"\partial" if step.get("partial") else "d"
        dt = "∂" if step.get("partial") else "d"
        v = step["wrt"]
        return Math(
            rf"\frac{{{d}}}{{{d} {v}}}\left[{tex(before)}\right]", f"{dt}/{dt}{v} {text(before)}"
        )
    if step.get("kind") == "limit" and step.get("where"):
        where = step["where"]
        return Math(rf"\lim_{{{_arrow(where)}}} {tex(before)}", f"lim {where} {text(before)}")
    return Math(tex(before), text(before))


def _arrow(where: str) -> str:
    return (
        where.replace("→", r"\to ")
        .replace("∞", r"\infty ")
        .replace("⁺", "^{+}")
        .replace("⁻", "^{-}")
    )


def step_view(step: dict[str, Any], budget: list[int]) -> StepView:
    """One step and its sub-steps (at most MAX_STEPS in all: `budget` counts down)."""
    budget[0] -= 1
    lhs, after = _lhs(step), step.get("after")
    math = None
    if lhs is not None and after is not None:
        # an equation when the left side names what `after` is; else the step rewrites: →
        equal = step.get("kind") == "diff" or step.get("lhs") or step.get("where")
        op, sym = ("=", "=") if equal else (r"\longrightarrow", "→")
        math = Math(f"{lhs.tex} {op} {tex(after)}", f"{lhs.text} {sym} {text(after)}")
    elif after is not None:
        math = Math(tex(after), text(after))
    children = []
    for sub in step.get("substeps") or []:
        if budget[0] <= 0:
            break
        children.append(step_view(sub, budget))
    return StepView(
        rule=str(step.get("rule", "")).replace("_", " "),
        explanation=str(step.get("explanation", "")),
        formula=step.get("formula"),
        math=math,
        children=children,
        shown=[_shown(item) for item in step.get("shown") or []],
    )


def dims(shape: Any) -> str:
    """A vector/matrix shape in words: 'n×d', 'd' for a column vector, 'scalar'."""
    rows, cols = [*list(shape), 1, 1][:2]
    if [str(rows), str(cols)] == ["1", "1"]:
        return "scalar"
    return str(rows) if str(cols) == "1" else f"{rows}×{cols}"


def _shown(item: dict[str, Any]) -> Math:
    """`label = value   (shape)` of a matrix step, the value typeset."""
    label, shape = str(item.get("label", "")), dims(item.get("shape") or [1, 1])
    return Math(
        rf"{_text_tex(label)} = {tex(item)} \quad {_text_tex(f'({shape})')}",
        f"{label} = {text(item)}   ({shape})",
    )


def shapes(payload: dict[str, Any]) -> str:
    """'X: n×d, w: d, y: n' for a vector/matrix result (empty for a scalar one)."""
    found = payload.get("shapes")
    if not isinstance(found, dict):
        return ""
    return ", ".join(f"{name}: {dims(shape)}" for name, shape in found.items())


def steps(payload: dict[str, Any], budget: list[int] | None = None) -> list[StepView]:
    """The step tree of any engine result (derivations, limits, Taylor, critical points); a
    gradient's, Jacobian's or Hessian's entries follow as steps of their own, each with its
    derivation inside."""
    budget = [MAX_STEPS] if budget is None else budget
    out = []
    for s in payload.get("steps") or []:
        if budget[0] <= 0:
            break
        out.append(step_view(s, budget))
    for part in payload.get("components") or []:
        if budget[0] <= 0 or not isinstance(part, dict):
            break
        budget[0] -= 1
        asked, result = question(part), part.get("result")
        out.append(
            StepView(
                rule="entry",
                explanation=str(part.get("verified") or ""),
                formula=None,
                math=Math(f"{asked.tex} = {tex(result)}", f"{asked.text} = {text(result)}"),
                children=steps(part, budget),
            )
        )
    return out


def question(payload: dict[str, Any]) -> Math:
    """The question typeset (∇_w (‖Xw − y‖²), lim_(x→0) …) with its text as the fallback; a
    payload without `question_latex` (an older cached one) shows its text as \\text{…}."""
    words = str(payload.get("question", ""))
    return Math(str(payload.get("question_latex") or _text_tex(words)), words)


def headline(payload: dict[str, Any]) -> Math | None:
    """The answer in one formula: the question's left side = the result."""
    question = str(payload.get("question", ""))
    if "result" in payload and payload["result"] is not None:
        result = payload["result"]
        if isinstance(result, list) and result and isinstance(result[0], list):
            # a list of points (critical points): one row per point
            rows = [", ".join(tex(c) for c in point) for point in result]
            return Math(r" \quad ".join(f"({r})" for r in rows), question)
        return Math(tex(result), f"{question} = {text(result)}")
    if "value" in payload:
        return Math(tex(payload["value"]), f"{question} = {payload['value']}")
    return None


FACTS = ("continuous", "differentiable", "kind", "exists", "left", "right", "value_at", "shape")


def facts(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """Short named facts of a result (continuous: no, kind: jump, shape: (2,) ...)."""
    out = []
    for key in FACTS:
        if key in payload and payload[key] is not None:
            value = payload[key]
            if isinstance(value, bool):
                value = "yes" if value else "no"
            elif key == "shape" and "shapes" in payload:  # a vector/matrix result
                value = dims(value)
            elif key == "shape":
                value = "×".join(str(n) for n in value) if len(value) > 1 else f"({value[0]},)"
            out.append((key.replace("_", " "), text(value)))
    return out
