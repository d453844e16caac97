"""The numbering a step tree should show, worked out from the engine's JSON alone: each step
numbered within its parent (2, 2.1, 2.1.3), a gradient's/Hessian's entries after the steps."""

from __future__ import annotations

from typing import Any


def expected_numbers(payload: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    children = [(s, s.get("substeps") or [], None) for s in payload.get("steps") or []]
    children += [(c, None, c) for c in payload.get("components") or []]
    for i, (_, substeps, part) in enumerate(children, 1):
        number = f"{prefix}{i}."
        out.append(number)
        if part is not None:
            out += expected_numbers(part, number)
        else:
            out += expected_numbers({"steps": substeps}, number)
    return out
