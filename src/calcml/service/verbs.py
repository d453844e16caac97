"""What each verb computes: a registry from verb name to a function of its request that returns
the result's JSON-ready dict (the result object's `.to_dict()`, as the CLI's `--json` prints).

These run inside a worker process (or inline); they call the engines with no wall-clock time
limits of their own (`time_limit=None`): the service's hard limit is the safety net, so an
answer never depends on how busy the machine is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from calcml.service import models as m

Runner = Callable[[Any], dict[str, Any]]
VERBS: dict[str, Runner] = {}
TEST_VERBS: dict[str, Runner] = {}


def verb(name: str, registry: dict[str, Runner] = VERBS) -> Callable[[Runner], Runner]:
    """Register the function computing `name`."""

    def add(fn: Runner) -> Runner:
        registry[name] = fn
        return fn

    return add


def _one(names: list[str] | None) -> str | None:
    return names[0] if names else None


@verb("parse")
def _parse(r: m.ParseRequest) -> dict[str, Any]:
    from calcml.expr import expr_dict, parse, sorted_variables
    from calcml.symbolic.matrix.question import is_matrix_question

    if is_matrix_question(r.expr, r.shapes):
        return _parse_matrix(r.expr, r.shapes)
    expr = parse(r.expr)
    return {**expr_dict(expr), "variables": [str(s) for s in sorted_variables(expr.free_symbols)]}


def _parse_matrix(text: str, shapes: str | None) -> dict[str, Any]:
    """A vector/matrix expression read back: its JSON form and the shape of every name."""
    from calcml.symbolic.matrix import parse_matrix, parse_shapes
    from calcml.symbolic.matrix.nodes import Var, walk
    from calcml.symbolic.matrix.render import m_dict

    node, notes = parse_matrix(text, parse_shapes(shapes))
    names = {v.name: list(v.shape) for v in walk(node) if isinstance(v, Var)}
    out = {**m_dict(node), "variables": sorted(names), "shapes": dict(sorted(names.items()))}
    return {**out, "notes": notes} if notes else out


def _matrix(kind: str, expr: str, wrt: list[str] | None, shapes: str | None) -> Any:
    """The matrix engine's answer (as the CLI's --shapes gives it), or None for a scalar one."""
    from calcml.symbolic.matrix.question import matrix_question

    return matrix_question(kind, expr, ",".join(wrt or []), shapes)


def _answer(kind: str, expr: str, wrt: list[str] | None, shapes: str | None, scalar: Any) -> Any:
    matrix = _matrix(kind, expr, wrt, shapes)
    return (matrix if matrix is not None else scalar()).to_dict()


@verb("derive")
def _derive(r: m.DeriveRequest) -> dict[str, Any]:
    from calcml.symbolic import derive

    return _answer("derive", r.expr, r.wrt, r.shapes, lambda: derive(r.expr, _one(r.wrt)))


@verb("gradient")
def _gradient(r: m.GradientRequest) -> dict[str, Any]:
    from calcml.symbolic import gradient

    return _answer("gradient", r.expr, r.wrt, r.shapes, lambda: gradient(r.expr, r.wrt))


@verb("jacobian")
def _jacobian(r: m.JacobianRequest) -> dict[str, Any]:
    from calcml.symbolic import jacobian

    exprs = list(r.exprs)
    if len(exprs) == 1:
        return _answer("jacobian", exprs[0], r.wrt, r.shapes, lambda: jacobian(exprs, r.wrt))
    return jacobian(exprs, r.wrt).to_dict()


@verb("hessian")
def _hessian(r: m.HessianRequest) -> dict[str, Any]:
    from calcml.symbolic import hessian

    return _answer("hessian", r.expr, r.wrt, r.shapes, lambda: hessian(r.expr, r.wrt))


@verb("directional")
def _directional(r: m.DirectionalRequest) -> dict[str, Any]:
    from calcml.symbolic import directional_derivative

    return directional_derivative(r.expr, r.wrt, list(r.direction), unit=r.unit).to_dict()


@verb("limit")
def _limit(r: m.LimitRequest) -> dict[str, Any]:
    from calcml.symbolic.limits import limit

    return limit(r.expr, r.var, r.at, side=r.side, time_limit=None).to_dict()


@verb("continuity")
def _continuity(r: m.ContinuityRequest) -> dict[str, Any]:
    from calcml.symbolic.continuity import continuity

    return continuity(r.expr, r.var, r.at, time_limit=None).to_dict()


@verb("differentiable")
def _differentiable(r: m.DifferentiableRequest) -> dict[str, Any]:
    from calcml.symbolic.continuity import differentiable

    return differentiable(r.expr, r.var, r.at, time_limit=None).to_dict()


@verb("taylor")
def _taylor(r: m.TaylorRequest) -> dict[str, Any]:
    from calcml.symbolic.taylor import taylor

    var: Any = r.var if r.var and len(r.var) > 1 else _one(r.var)
    return taylor(r.expr, var, at=r.at, order=r.order, time_limit=None).to_dict()


@verb("critical")
def _critical(r: m.CriticalRequest) -> dict[str, Any]:
    from calcml.symbolic.critical import critical_points

    return critical_points(r.expr, r.wrt, time_limit=None).to_dict()


@verb("descend")
def _descend(r: m.DescendRequest) -> dict[str, Any]:
    from calcml import optim
    from calcml.errors import CalcmlError

    if r.adam:
        if r.momentum or r.nesterov or r.line_search:
            raise CalcmlError(
                "momentum, nesterov and line_search are for gradient descent; Adam keeps "
                "its own momentum (β₁ = 0.9) and per-coordinate step sizes"
            )
        run = optim.adam(
            r.expr, list(r.start), lr=r.lr, max_steps=r.steps, tol=r.tol, variables=r.variables
        )
    else:
        run = optim.gradient_descent(
            r.expr,
            list(r.start),
            lr=r.lr,
            momentum=r.momentum,
            nesterov=r.nesterov,
            line_search=r.line_search,
            max_steps=r.steps,
            tol=r.tol,
            variables=r.variables,
        )
    return run.to_dict()


@verb("newton")
def _newton(r: m.NewtonRequest) -> dict[str, Any]:
    from calcml import optim

    run = optim.newton(
        r.expr,
        list(r.start),
        damping=r.damping,
        max_steps=r.steps,
        tol=r.tol,
        variables=r.variables,
    )
    return run.to_dict()


@verb("train")
def _train(r: m.TrainRequest) -> dict[str, Any]:
    from calcml.ml.training import train  # the one `calcml train` calls: the same answer

    fitted = train(
        r.model, r.data, method=r.method, lr=r.lr, l2=r.l2, epochs=r.epochs, hidden=r.hidden
    )
    return fitted.report.to_dict()


@verb("pca")
def _pca(r: m.PCARequest) -> dict[str, Any]:
    from calcml.ml import PCA, load

    dataset = load(r.data)
    report = PCA(r.components, method=r.method).fit(dataset.X).report(dataset.feature_names)
    report.facts = {"data": dataset.summary(), **report.facts}
    return report.to_dict()


@verb("backprop")
def _backprop(r: m.BackpropRequest) -> dict[str, Any]:
    from calcml.service.backprop import backprop_answer

    return backprop_answer(r)


@verb("practice")
def _practice(r: m.PracticeRequest) -> dict[str, Any]:
    from calcml.learn.problems import problem
    from calcml.learn.skills import skill

    skill(r.skill)
    return problem(r.skill, r.seed, r.difficulty).to_dict(reveal=r.reveal)


@verb("check")
def _check(r: m.CheckRequest) -> dict[str, Any]:
    from calcml.learn.grader import check
    from calcml.learn.problems import problem
    from calcml.learn.skills import skill

    skill(r.skill)
    p = problem(r.skill, r.seed, r.difficulty)
    verdict = check(p, r.answer)
    data = {"skill": r.skill, "seed": r.seed, "difficulty": r.difficulty, **verdict.to_dict()}
    data["problem"] = p.to_dict(reveal=r.reveal)
    return data


@verb("lesson")
def _lesson(r: m.LessonRequest) -> dict[str, Any]:
    from calcml.learn.lessons import lesson

    return lesson(r.topic).to_dict()


@verb("course")
def _course(r: m.CourseRequest) -> dict[str, Any]:
    from calcml.learn.course import course_part

    return {"part": r.part, **course_part(r.part, r.topic, r.index, r.name)}


@verb("figure")
def _figure(r: m.FigureRequest) -> dict[str, Any]:
    from calcml.service.figures import figure_spec

    return figure_spec(r)


@verb("_spin", TEST_VERBS)
def _spin(r: m.SpinRequest) -> dict[str, Any]:
    n = 0
    while True:  # pure Python: a thread-based stop could catch this, a C loop it could not
        n += 1


@verb("_allocate", TEST_VERBS)
def _allocate(r: m.AllocateRequest) -> dict[str, Any]:
    hoard: list[bytes] = []
    try:
        while True:
            hoard.append(b"\x01" * (16 << 20))
    except Exception:  # MemoryError too, as under the engines' broad excepts
        if not r.swallow:
            raise
    hoard.clear()
    return {"swallowed": True}
