"""The roadmap: at least 30 skills across every topic, prerequisites known and acyclic."""

from __future__ import annotations

import pytest

from calcml.errors import CalcmlError
from calcml.learn.skills import SKILLS, TOPICS, resolve, skill, skills_of, topic


def test_at_least_thirty_skills_covering_every_topic() -> None:
    assert len(SKILLS) >= 30
    for t in TOPICS:
        assert skills_of(t.id), t.id


def test_ids_unique_and_prerequisites_exist_and_come_first() -> None:
    ids = [s.id for s in SKILLS]
    assert len(ids) == len(set(ids))
    seen: set[str] = set()
    for s in SKILLS:
        assert set(s.requires) <= seen, (s.id, s.requires)  # listed in topological order
        seen.add(s.id)


def test_issue_named_skills_are_present() -> None:
    ids = {s.id for s in SKILLS}
    for wanted in [
        "power-rule",
        "chain-rule",
        "sigmoid-derivative",
        "mse-derivative",
        "partial-derivative",
        "gradient-vector",
        "gd-step",
        "lr-stability",
        "backprop-2layer",
        "jacobian",
        "hessian",
        "classify-critical-point",
        "newton-step",
        "l2-gradient",
        "first-principal-component",
        "limit-lhopital",
        "continuity",
    ]:
        assert wanted in ids


def test_topics_by_id_number_or_word() -> None:
    assert topic("3").id == "partials"
    assert topic("descent").id == "descent"
    assert topic("Jacobian").id == "curvature"
    assert [s.id for s in resolve("chain-rule")] == ["chain-rule"]
    assert len(resolve("2")) >= 5


def test_unknown_names_suggest_close_ones() -> None:
    with pytest.raises(CalcmlError, match="chain-rule"):
        skill("chain-rul")
    with pytest.raises(CalcmlError, match="topics"):
        topic("cooking")


def test_resolve_suggests_skills_and_lists_topics() -> None:
    with pytest.raises(CalcmlError, match="did you mean chain-rule") as caught:
        resolve("chain-rul")
    assert "1=functions" in str(caught.value)
