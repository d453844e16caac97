"""The roadmap as data: topics, and skills with their prerequisites (a DAG).

>>> len(SKILLS) >= 30
True
>>> [s.id for s in prerequisites_of("backprop-2layer")][:2]
['chain-rule', 'sigmoid-derivative']
"""

from __future__ import annotations

from dataclasses import dataclass

from calcml.errors import CalcmlError


@dataclass(frozen=True)
class Topic:
    """A topic of the course (DESIGN.md order): `id`, `number` ('1'..'7', 'B'), `title`."""

    id: str
    number: str
    title: str
    summary: str


@dataclass(frozen=True)
class Skill:
    """One practisable skill: `id`, `title`, its topic id and prerequisite skill ids."""

    id: str
    title: str
    topic: str
    requires: tuple[str, ...] = ()


TOPICS: list[Topic] = [
    Topic(
        "functions",
        "1",
        "Functions & limits",
        "functions of one and several variables, limits, continuity",
    ),
    Topic(
        "derivatives",
        "2",
        "Derivatives",
        "power, product, quotient and chain rules; activations; derivatives of losses",
    ),
    Topic("partials", "3", "Partial derivatives & the gradient", "∂f/∂x, ∇f, directions"),
    Topic(
        "matrix-calculus",
        "3b",
        "Calculus with vectors and matrices",
        "∇_W of ML losses and layers: shapes, the differential method, the matrix chain rule",
    ),
    Topic("descent", "4", "Gradient descent", "steepest descent, learning rate, convergence"),
    Topic(
        "backprop",
        "5",
        "The multivariable chain rule & backpropagation",
        "every layer a function, gradients passed back",
    ),
    Topic(
        "curvature",
        "6",
        "Jacobian & Hessian",
        "vector-valued derivatives, second derivatives, Newton's method",
    ),
    Topic(
        "applications",
        "7",
        "Applications",
        "regularisation, linear and logistic regression, PCA",
    ),
    Topic(
        "beyond",
        "B",
        "Beyond",
        "Taylor series, forward vs reverse mode, Lagrange multipliers, vanishing gradients, "
        "gradient checking",
    ),
]

SKILLS: list[Skill] = [
    # 1. functions & limits
    Skill("composition", "Compose two functions", "functions"),
    Skill("limit-substitution", "Limit by substitution", "functions", ("composition",)),
    Skill("limit-lhopital", "Limit by L'Hôpital's rule", "functions", ("limit-substitution",)),
    Skill("limit-infinity", "Limit at infinity", "functions", ("limit-substitution",)),
    Skill("continuity", "Continuity at a point", "functions", ("limit-substitution",)),
    # 2. derivatives
    Skill("power-rule", "Power rule", "derivatives", ("limit-substitution",)),
    Skill("product-rule", "Product rule", "derivatives", ("power-rule",)),
    Skill("quotient-rule", "Quotient rule", "derivatives", ("product-rule",)),
    Skill("chain-rule", "Chain rule", "derivatives", ("power-rule", "composition")),
    Skill("exp-log", "Derivatives of exp and log", "derivatives", ("chain-rule",)),
    Skill("sigmoid-derivative", "Derivative of sigmoid", "derivatives", ("exp-log",)),
    Skill("tanh-derivative", "Derivative of tanh", "derivatives", ("exp-log",)),
    Skill("softplus-relu", "Softplus and ReLU", "derivatives", ("sigmoid-derivative",)),
    Skill("mse-derivative", "MSE gradient", "derivatives", ("chain-rule",)),
    Skill(
        "cross-entropy-derivative",
        "Cross-entropy gradient",
        "derivatives",
        ("sigmoid-derivative", "exp-log"),
    ),
    # 3. partials & gradient
    Skill("partial-derivative", "Partial derivative", "partials", ("product-rule", "chain-rule")),
    Skill("gradient-vector", "Gradient vector", "partials", ("partial-derivative",)),
    Skill("gradient-at-point", "Gradient at a point", "partials", ("gradient-vector",)),
    Skill("directional-derivative", "Directional derivative", "partials", ("gradient-at-point",)),
    # 3b. calculus with vectors and matrices
    Skill(
        "quadratic-form-gradient",
        "Gradient of a quadratic form",
        "matrix-calculus",
        ("gradient-vector",),
    ),
    Skill(
        "linear-model-gradient",
        "Gradient of a linear model's loss",
        "matrix-calculus",
        ("quadratic-form-gradient", "mse-derivative"),
    ),
    Skill(
        "dense-layer-backprop",
        "Backprop through a dense layer (matrix form)",
        "matrix-calculus",
        ("linear-model-gradient", "sigmoid-derivative"),
    ),
    # 4. gradient descent
    Skill("gd-step", "One gradient-descent step", "descent", ("gradient-at-point",)),
    Skill("lr-stability", "Learning-rate stability", "descent", ("gd-step",)),
    Skill("gd-iterates", "Gradient descent on a quadratic", "descent", ("lr-stability",)),
    # 5. chain rule & backprop
    Skill(
        "multivariable-chain",
        "Multivariable chain rule",
        "backprop",
        ("partial-derivative", "chain-rule"),
    ),
    Skill(
        "backprop-neuron",
        "Backprop through one neuron",
        "backprop",
        ("multivariable-chain", "sigmoid-derivative", "mse-derivative"),
    ),
    Skill(
        "backprop-2layer",
        "Backprop through a 2-layer net",
        "backprop",
        ("chain-rule", "sigmoid-derivative", "tanh-derivative", "backprop-neuron"),
    ),
    # 6. Jacobian & Hessian
    Skill("jacobian", "Jacobian", "curvature", ("gradient-vector",)),
    Skill("hessian", "Hessian", "curvature", ("gradient-vector",)),
    Skill("classify-critical-point", "Classify a critical point", "curvature", ("hessian",)),
    Skill("newton-step", "Newton step", "curvature", ("hessian", "gd-step")),
    # 7. applications
    Skill("l2-gradient", "L2-regularised gradient", "applications", ("mse-derivative",)),
    Skill(
        "linear-regression-step",
        "Linear regression by gradient descent",
        "applications",
        ("gd-step", "mse-derivative"),
    ),
    Skill(
        "logistic-regression-gradient",
        "Logistic regression gradient",
        "applications",
        ("cross-entropy-derivative", "gradient-at-point"),
    ),
    Skill("first-principal-component", "First principal component", "applications", ("hessian",)),
    # beyond
    Skill("linearization", "Linearization (tangent line)", "beyond", ("power-rule", "exp-log")),
    Skill("taylor-quadratic", "Second-order Taylor polynomial", "beyond", ("linearization",)),
    Skill(
        "lagrange", "Lagrange multipliers", "beyond", ("gradient-vector", "classify-critical-point")
    ),
    Skill("gradient-check", "Gradient checking", "beyond", ("power-rule", "limit-substitution")),
    Skill("vanishing-gradient", "Vanishing gradients", "beyond", ("backprop-2layer",)),
    Skill("forward-reverse", "Forward vs reverse mode", "beyond", ("jacobian", "backprop-neuron")),
]

_BY_ID = {s.id: s for s in SKILLS}
_TOPIC_BY_ID = {t.id: t for t in TOPICS}


def skill(skill_id: str) -> Skill:
    """The skill with this id (CalcmlError naming the closest ids otherwise)."""
    if skill_id in _BY_ID:
        return _BY_ID[skill_id]
    import difflib

    close = difflib.get_close_matches(skill_id, list(_BY_ID), n=3)
    hint = f" — did you mean {', '.join(close)}?" if close else "; see `calcml roadmap`"
    raise CalcmlError(f"unknown skill {skill_id!r}{hint}")


# where a word may name a topic, and how much each place counts (title beats summary beats
# the ids of its skills); the topic with the highest score wins, a tie is not a match
TOPIC_WORD_WEIGHTS = (("title", 3), ("summary", 2), ("skills", 1))


def _topic_words(t: Topic) -> dict[str, set[str]]:
    import re

    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z0-9']+", text.lower()))

    skills = " ".join(s.id.replace("-", " ") for s in SKILLS if s.topic == t.id)
    return {"title": words(t.title), "summary": words(t.summary), "skills": words(skills)}


def topic(topic_id: str | int) -> Topic:
    """A topic by id, number (3 or '3'), or a word of its title, summary or skills
    ('gradient', 'pca'); the topic where the word weighs most."""
    key = str(topic_id).strip().lower()
    for t in TOPICS:
        if key in (t.id, t.number.lower()):
            return t
    scores: dict[str, int] = {}
    for t in TOPICS:
        places = _topic_words(t)
        score = sum(weight * (key in places[where]) for where, weight in TOPIC_WORD_WEIGHTS)
        if key and score == 0 and key in t.title.lower():  # part of a title word ('deriv')
            score = 1
        if score:
            scores[t.id] = score
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return next(t for t in TOPICS if t.id == ranked[0][0])
    ids = ", ".join(f"{t.number}={t.id}" for t in TOPICS)
    if ranked:
        tied = ", ".join(name for name, score in ranked if score == ranked[0][1])
        raise CalcmlError(f"{topic_id!r} names several topics ({tied}); topics: {ids}")
    raise CalcmlError(f"unknown topic {topic_id!r}; topics: {ids}")


def skills_of(topic_id: str) -> list[Skill]:
    """The skills of a topic, in roadmap order."""
    return [s for s in SKILLS if s.topic == topic(topic_id).id]


def prerequisites_of(skill_id: str) -> list[Skill]:
    """The direct prerequisites of a skill."""
    return [_BY_ID[r] for r in skill(skill_id).requires]


def resolve(name: str) -> list[Skill]:
    """Skills named by a skill id or a topic (id, number or title word)."""
    if name in _BY_ID:
        return [_BY_ID[name]]
    try:
        return skills_of(name)
    except CalcmlError:
        import difflib

        close = difflib.get_close_matches(name, list(_BY_ID), n=3)
        hint = f" — did you mean {', '.join(close)}?" if close else ""
        topics = ", ".join(f"{t.number}={t.id}" for t in TOPICS)
        raise CalcmlError(
            f"unknown skill or topic {name!r}{hint} Topics: {topics}; skills: `calcml roadmap`"
        ) from None


def topic_of(skill_id: str) -> Topic:
    return _TOPIC_BY_ID[skill(skill_id).topic]
