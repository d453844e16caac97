"""The service's typed requests and responses: one pydantic model pair per verb.

A request model validates the caller's fields (unknown fields are refused, every size has a
documented maximum, errors name the field); `REQUESTS` maps each verb name to its request model
(the web app's `/api/<verb>` is generated from it). A response model holds exactly what the CLI
prints under `--json` (the result object's `.to_dict()`): its main fields are typed, the rest
are kept as they come (`extra="allow"`), and `response.to_json()` gives the JSON text.

Maxima (what a caller may ask for at most): expressions `MAX_TEXT` characters (the parser's
own limit), `MAX_OUTPUTS` Jacobian outputs, `MAX_VARIABLES` variables, Taylor order
`MAX_TAYLOR_ORDER`, `MAX_DESCENT_STEPS` optimizer steps, `MAX_EPOCHS` MLP epochs, `MAX_LAYERS`
backprop layers of at most `MAX_UNITS` units each.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from calcml.expr.parser import MAX_LENGTH
from calcml.learn.answers import MAX_ANSWER_LENGTH
from calcml.symbolic.taylor import MAX_ORDER

MAX_TEXT = MAX_LENGTH
MAX_OUTPUTS = 16
MAX_VARIABLES = 16
MAX_NAME = 32
MAX_TAYLOR_ORDER = MAX_ORDER
MAX_DESCENT_STEPS = 10_000
MAX_NEWTON_STEPS = 1_000
MAX_EPOCHS = 2_000
MAX_HIDDEN_LAYERS = 4
MAX_HIDDEN_UNITS = 64
MAX_LAYERS = 6
MAX_UNITS = 8
MAX_SEED = 2**31 - 1

MAX_SHAPES = 500  # characters of a shapes declaration ("X: n×d, w: d, y: n")

Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
Shapes = Annotated[
    str | None,
    Field(
        max_length=MAX_SHAPES,
        description='Vector/matrix shapes as the CLI\'s --shapes: "X: n×d, w: d, y: n" (also '
        "n x d, (n, d)); with it, or a matrix operator in the text, the matrix engine answers",
    ),
]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
Names = Annotated[list[Name], Field(min_length=1, max_length=MAX_VARIABLES)]
Point = Annotated[str, Field(min_length=1, max_length=200)]
Coordinates = Annotated[list[float], Field(min_length=1, max_length=MAX_VARIABLES)]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]
Difficulty = Annotated[int, Field(ge=1, le=3)]
Side = Literal["both", "left", "right"]
Activation = Literal["tanh", "sigmoid", "relu", "softplus"]


class Request(BaseModel):
    """Base of every request: fields are checked, unknown ones refused, the model is frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    verb: ClassVar[str] = ""


class Response(BaseModel):
    """Base of every response: the result's `.to_dict()`, main fields typed, others kept."""

    model_config = ConfigDict(extra="allow")
    _raw: str = PrivateAttr(default="")

    @classmethod
    def from_json(cls, text: str) -> Response:
        """The response of the engine's JSON text (kept, so `to_json` gives it back as is)."""
        response = cls.model_validate_json(text)
        response._raw = text
        return response

    def to_json(self) -> str:
        """The JSON text: the same keys, in the same order, and values as the CLI's `--json`."""
        return self._raw or dumps(self.payload())

    def payload(self) -> dict[str, Any]:
        """The response as the plain dict the engine produced (fields it did not set left out)."""
        return self.model_dump(mode="json", exclude_unset=True)


def dumps(payload: Any) -> str:
    """Canonical JSON text of a payload (what the service caches and compares)."""
    return json.dumps(payload, ensure_ascii=False, default=str)


class ExprOut(BaseModel):
    """An expression in JSON: calcml's input syntax, LaTeX and one-line text (and its shape)."""

    model_config = ConfigDict(extra="allow")
    expr: str
    latex: str
    text: str


# ---------------------------------------------------------------- expressions and derivatives


class ParseRequest(Request):
    """Read an expression and show it back: canonical text, LaTeX, variables."""

    verb: ClassVar[str] = "parse"
    expr: Text
    shapes: Shapes = None


class ParseResponse(Response):
    expr: str
    text: str
    latex: str
    variables: list[str]
    shapes: dict[str, list[str | int]] | None = None  # a matrix expression: each name's shape


class DeriveRequest(Request):
    """d/d(wrt) of one expression, step by step (wrt may be omitted for one variable)."""

    verb: ClassVar[str] = "derive"
    expr: Text
    wrt: Annotated[list[Name], Field(max_length=1)] | None = None
    shapes: Shapes = None


class DerivationResponse(Response):
    question: str
    result: ExprOut
    steps: list[dict[str, Any]]
    wrt: list[str] | str  # one name (a str) for a vector/matrix derivative
    verified: str | None = None


class GradientRequest(Request):
    """∇f: one partial derivative per variable (default: all variables, sorted by name)."""

    verb: ClassVar[str] = "gradient"
    expr: Text
    wrt: Names | None = None
    shapes: Shapes = None


class JacobianRequest(Request):
    """J[i, j] = ∂f_i/∂x_j for several outputs."""

    verb: ClassVar[str] = "jacobian"
    exprs: Annotated[list[Text], Field(min_length=1, max_length=MAX_OUTPUTS)]
    wrt: Names | None = None
    shapes: Shapes = None


class HessianRequest(Request):
    """The matrix of second derivatives, mixed partials checked for symmetry."""

    verb: ClassVar[str] = "hessian"
    expr: Text
    wrt: Names | None = None
    shapes: Shapes = None


class DirectionalRequest(Request):
    """D_v f = ∇f · v̂ (v normalised unless unit is false); direction components are math text."""

    verb: ClassVar[str] = "directional"
    expr: Text
    direction: Annotated[list[Point], Field(min_length=1, max_length=MAX_VARIABLES)]
    wrt: Names | None = None
    unit: bool = True


# ---------------------------------------------------------------- limits, continuity, Taylor


class LimitRequest(Request):
    """lim f as var → at (a number, pi, oo or -oo), from both sides unless side says."""

    verb: ClassVar[str] = "limit"
    expr: Text
    var: Name | None = None
    at: Point = "0"
    side: Side = "both"


class LimitResponse(Response):
    question: str
    value: str
    exists: bool | None = None
    steps: list[dict[str, Any]]


class ContinuityRequest(Request):
    """Is f continuous at var = at? The three conditions and the kind of discontinuity."""

    verb: ClassVar[str] = "continuity"
    expr: Text
    var: Name | None = None
    at: Point = "0"


class ContinuityResponse(Response):
    question: str
    continuous: bool | None = None
    kind: str | None = None


class DifferentiableRequest(Request):
    """Is f differentiable at var = at? Continuity, then both one-sided derivatives."""

    verb: ClassVar[str] = "differentiable"
    expr: Text
    var: Name | None = None
    at: Point = "0"


class DifferentiableResponse(Response):
    question: str
    continuous: bool | None = None
    differentiable: bool | None = None


class TaylorRequest(Request):
    """The Taylor polynomial of f at `at` ("0", or "1,2" for two variables) up to `order`."""

    verb: ClassVar[str] = "taylor"
    expr: Text
    var: Names | None = None
    at: Point = "0"
    order: Annotated[int, Field(ge=0, le=MAX_TAYLOR_ORDER)] = 3


class TaylorResponse(DerivationResponse):
    variables: list[str]
    order: int
    polynomial: ExprOut


class CriticalRequest(Request):
    """Critical points ∇f = 0, each classified by the Hessian's eigenvalues."""

    verb: ClassVar[str] = "critical"
    expr: Text
    wrt: Names | None = None


class CriticalResponse(Response):
    question: str
    variables: list[str]
    points: list[dict[str, Any]]
    method: str


# ---------------------------------------------------------------- optimization and ML


class DescendRequest(Request):
    """Gradient descent (momentum, Nesterov, line search) or Adam from `start`."""

    verb: ClassVar[str] = "descend"
    expr: Text
    start: Coordinates
    lr: Annotated[float, Field(gt=0, le=1e3)] = 0.1
    momentum: Annotated[float, Field(ge=0, lt=1)] = 0.0
    nesterov: bool = False
    line_search: bool = False
    adam: bool = False
    steps: Annotated[int, Field(ge=1, le=MAX_DESCENT_STEPS)] = 1000
    tol: Annotated[float, Field(gt=0, le=1)] = 1e-6
    variables: Names | None = None


class RunResponse(Response):
    method: str
    status: str
    steps: int
    x: list[float | None]
    explanation: str
    history: dict[str, Any]


class NewtonRequest(Request):
    """Newton's method x ← x − (H + λI)⁻¹∇f from `start`."""

    verb: ClassVar[str] = "newton"
    expr: Text
    start: Coordinates
    damping: Annotated[float, Field(ge=0, le=1e6)] = 0.0
    steps: Annotated[int, Field(ge=1, le=MAX_NEWTON_STEPS)] = 100
    tol: Annotated[float, Field(gt=0, le=1)] = 1e-8
    variables: Names | None = None


Dataset = Literal["linear", "blobs", "moons", "spiral", "iris"]


class TrainRequest(Request):
    """Fit linear/logistic regression or a small MLP to a bundled dataset and explain it."""

    verb: ClassVar[str] = "train"
    model: Literal["linear", "logistic", "mlp"]
    data: Dataset | None = None
    method: Literal["normal", "gd", "newton", "adam"] | None = None
    lr: Annotated[float, Field(gt=0, le=10)] | None = None
    l2: Annotated[float, Field(ge=0, le=100)] | None = None
    epochs: Annotated[int, Field(ge=1, le=MAX_EPOCHS)] | None = None
    hidden: (
        Annotated[
            list[Annotated[int, Field(ge=1, le=MAX_HIDDEN_UNITS)]],
            Field(min_length=1, max_length=MAX_HIDDEN_LAYERS),
        ]
        | None
    ) = None


class ReportResponse(Response):
    pass


class PCARequest(Request):
    """Principal components of a bundled dataset, by eigen-decomposition or power iteration."""

    verb: ClassVar[str] = "pca"
    data: Dataset = "iris"
    components: Annotated[int, Field(ge=1, le=8)] = 2
    method: Literal["eig", "power"] = "eig"


Matrix = Annotated[
    list[Annotated[list[float], Field(min_length=1, max_length=MAX_UNITS)]],
    Field(min_length=1, max_length=MAX_UNITS),
]


class BackpropRequest(Request):
    """A backprop trace through a small dense network on one example, every step shown.

    `layers` are the sizes from input to output (e.g. [2, 3, 1]); hidden layers use
    `activation` (one name for all, or one per hidden layer); the loss is "mse" (squared
    error against `target`) or "softmax_ce" (softmax + cross-entropy against the class index
    `target`). Inputs, weights and biases are drawn
    from `seed` unless given (`weights[i]` has shape layers[i] × layers[i+1]).
    """

    verb: ClassVar[str] = "backprop"
    layers: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_UNITS)]],
        Field(min_length=2, max_length=MAX_LAYERS),
    ] = Field(default_factory=lambda: [2, 3, 1])
    activation: Activation | Annotated[list[Activation], Field(max_length=MAX_LAYERS - 2)] = "tanh"
    loss: Literal["mse", "softmax_ce"] = "mse"
    x: Annotated[list[float], Field(min_length=1, max_length=MAX_UNITS)] | None = None
    target: Annotated[list[float], Field(min_length=1, max_length=MAX_UNITS)] | int | None = None
    weights: Annotated[list[Matrix], Field(max_length=MAX_LAYERS - 1)] | None = None
    biases: (
        Annotated[
            list[Annotated[list[float], Field(min_length=1, max_length=MAX_UNITS)]],
            Field(max_length=MAX_LAYERS - 1),
        ]
        | None
    ) = None
    seed: Seed = 0
    gradcheck: bool = False  # add central differences of the loss for every parameter


class TraceResponse(Response):
    kind: str
    output: str
    value: float | None
    nodes: list[dict[str, Any]]
    steps: list[dict[str, Any]]


# ---------------------------------------------------------------- the course


class PracticeRequest(Request):
    """A practice problem of a skill; the answer and solution only when `reveal`."""

    verb: ClassVar[str] = "practice"
    skill: Name
    seed: Seed = 0
    difficulty: Difficulty = 1
    reveal: bool = False


class ProblemResponse(Response):
    skill: str
    seed: int
    difficulty: int
    prompt: str
    latex: str
    answer_kind: str
    hints: list[str]


class CheckRequest(Request):
    """Grade an answer to the problem (skill, seed, difficulty)."""

    verb: ClassVar[str] = "check"
    skill: Name
    answer: Annotated[str, Field(max_length=MAX_ANSWER_LENGTH)]
    seed: Seed = 0
    difficulty: Difficulty = 1
    reveal: bool = False


class CheckResponse(Response):
    skill: str
    seed: int
    difficulty: int
    correct: bool
    score: float
    feedback: str
    counted: bool
    problem: dict[str, Any]


class LessonRequest(Request):
    """A lesson by topic (number, id or a word of its title)."""

    verb: ClassVar[str] = "lesson"
    topic: Name


class LessonResponse(Response):
    topic: str
    number: str
    title: str
    markdown: str


MAX_LESSON_FIGURES = 64


class CourseRequest(Request):
    """A piece of the course for the web pages: a lesson's blocks (`part="lesson"`, figures
    left undrawn), one of its figures as PNG (`"figure"`, `topic` and `index`), an interactive
    figure's frames (`"interactive"`, `name`), or the cheat sheet (`"cheatsheet"`)."""

    verb: ClassVar[str] = "course"
    part: Literal["lesson", "figure", "interactive", "cheatsheet"]
    topic: Name | None = None
    index: Annotated[int, Field(ge=0, lt=MAX_LESSON_FIGURES)] = 0
    name: Name | None = None


class CourseResponse(Response):
    part: str


FigureKind = Literal[
    "tangent",
    "secants",
    "with_derivative",
    "limit",
    "taylor",
    "surface",
    "slices",
    "gradient_field",
    "curvature",
    "jacobian_map",
    "activations",
    "matrix_chain",
]
Window = Annotated[list[float], Field(min_length=2, max_length=2)]
Order = Annotated[int, Field(ge=0, le=MAX_TAYLOR_ORDER)]


class FigureRequest(Request):
    """The data of a figure (a spec: series, contours, points; NaN as null) for the web's plots.

    `expr` is the function (`exprs`: the two outputs of a `jacobian_map`); `at` is the point
    ("1" or "1,0.5"); `orders` the Taylor orders drawn; `xlim`/`ylim` the window; `shapes` the
    vector/matrix shapes of a `matrix_chain` (its `var`: the variable differentiated).
    """

    verb: ClassVar[str] = "figure"
    kind: FigureKind
    expr: Text | None = None
    exprs: Annotated[list[Text], Field(min_length=2, max_length=2)] | None = None
    var: Names | None = None
    at: Point = "0"
    side: Side = "both"
    orders: Annotated[list[Order], Field(max_length=6)] = Field(default_factory=lambda: [1, 2, 3])
    xlim: Window | None = None
    ylim: Window | None = None
    shapes: Shapes = None  # a matrix_chain: the vector/matrix shapes of expr's names


class FigureResponse(Response):
    kind: str
    title: str


# ---------------------------------------------------------------- test-only requests


class SpinRequest(Request):
    """Test hook: burn CPU for ever (reachable only with ServiceConfig(test_hooks=True))."""

    verb: ClassVar[str] = "_spin"


class AllocateRequest(Request):
    """Test hook: allocate memory without bound (only with ServiceConfig(test_hooks=True))."""

    verb: ClassVar[str] = "_allocate"
    swallow: bool = False  # catch MemoryError under a broad except, as some engines do


class EchoResponse(Response):
    pass


_PAIRS: list[tuple[type[Request], type[Response]]] = [
    (ParseRequest, ParseResponse),
    (DeriveRequest, DerivationResponse),
    (GradientRequest, DerivationResponse),
    (JacobianRequest, DerivationResponse),
    (HessianRequest, DerivationResponse),
    (DirectionalRequest, DerivationResponse),
    (LimitRequest, LimitResponse),
    (ContinuityRequest, ContinuityResponse),
    (DifferentiableRequest, DifferentiableResponse),
    (TaylorRequest, TaylorResponse),
    (CriticalRequest, CriticalResponse),
    (DescendRequest, RunResponse),
    (NewtonRequest, RunResponse),
    (TrainRequest, ReportResponse),
    (PCARequest, ReportResponse),
    (BackpropRequest, TraceResponse),
    (PracticeRequest, ProblemResponse),
    (CheckRequest, CheckResponse),
    (LessonRequest, LessonResponse),
    (FigureRequest, FigureResponse),
    (CourseRequest, CourseResponse),
]
_TEST_PAIRS: list[tuple[type[Request], type[Response]]] = [
    (SpinRequest, EchoResponse),
    (AllocateRequest, EchoResponse),
]

REQUESTS: dict[str, type[Request]] = {req.verb: req for req, _ in _PAIRS}
RESPONSES: dict[str, type[Response]] = {req.verb: resp for req, resp in _PAIRS}
TEST_REQUESTS: dict[str, type[Request]] = {req.verb: req for req, _ in _TEST_PAIRS}
TEST_RESPONSES: dict[str, type[Response]] = {req.verb: resp for req, resp in _TEST_PAIRS}


def request(verb: str, fields: dict[str, Any]) -> Request:
    """Validate `fields` as the request of `verb` (pydantic.ValidationError names the field)."""
    try:
        model = REQUESTS[verb]
    except KeyError:
        raise KeyError(f"unknown verb {verb!r}; one of {', '.join(REQUESTS)}") from None
    return model.model_validate(fields)
