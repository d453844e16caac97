"""LaTeX -> inline SVG with matplotlib's mathtext, for documents read offline (no MathJax).

mathtext covers most formulas calcml writes; anything it cannot typeset (matrices, \\tfrac)
returns None and the caller keeps the Unicode text.
"""

from __future__ import annotations

import io
import itertools
import re

_counter = itertools.count(1)


def latex_svg(latex: str, size: float = 13.0) -> str | None:
    """Inline SVG markup for a LaTeX formula, or None when mathtext cannot typeset it."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    buffer = io.BytesIO()
    try:
        mathtext.math_to_image(f"${latex}$", buffer, prop=FontProperties(size=size), format="svg")
    except Exception:  # mathtext raises ValueError and parser errors for unsupported LaTeX
        return None
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.find("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    prefix = f"m{next(_counter)}-"  # ids unique within one HTML document
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
    return svg
