"""R6: the expert panel's draw and size, and the summary of the experts' opinions."""

from __future__ import annotations

import random

import pytest

from domain.review.panel import DEFAULT_PANEL_SIZE, ExpertPoolTooSmall, draw_panel, panel_size
from domain.review.summary import ExpertOpinion, summarise

POOL = ["expert-1", "expert-2", "expert-3", "expert-4"]


def test_a_panel_is_drawn_without_repeats_from_the_pool():
    panel = draw_panel(POOL, 3, "experts", random.Random(7))  # noqa: S311 - seeded: a repeatable draw
    assert len(panel) == 3
    assert len(set(panel)) == 3
    assert set(panel) <= set(POOL)
    assert panel == sorted(panel)


def test_every_expert_can_be_drawn():
    drawn = {expert for seed in range(50) for expert in draw_panel(POOL, 2, "experts", random.Random(seed))}  # noqa: S311
    assert drawn == set(POOL)


def test_a_pool_smaller_than_the_panel_is_refused_by_name():
    with pytest.raises(ExpertPoolTooSmall, match=r"专家库（用户组 experts）只有 2 人，不足本政策所需的 3 人"):
        draw_panel(["expert-1", "expert-1", "expert-2"], 3, "experts")


def test_the_panel_size_comes_from_the_published_guide(db_session):
    assert panel_size(db_session, "T-FUND") == 3
    assert panel_size(db_session, "T-BOTH") == 2


def test_a_policy_not_in_the_catalogue_gets_the_default_panel(db_session):
    assert panel_size(db_session, "NO-SUCH-POLICY") == DEFAULT_PANEL_SIZE


def test_the_summary_names_each_expert_and_counts_the_majority():
    summary = summarise(
        [
            ExpertOpinion("expert-2", "not_recommend", 55, "研发投入不足"),
            ExpertOpinion("expert-1", "recommend", 88, "创新性强"),
            ExpertOpinion("expert-3", "recommend", 80, None),
        ]
    )
    assert summary.text.splitlines() == [
        "expert-1：建议通过，88 分。创新性强",
        "expert-2：不建议通过，55 分。研发投入不足",
        "expert-3：建议通过，80 分。",
        "共 3 位专家，2 位建议通过，平均 74.3 分。",
    ]
    assert summary.recommend is True
    assert summary.average_score == 74.3


def test_a_tie_is_not_a_recommendation_and_missing_scores_are_left_out():
    summary = summarise([ExpertOpinion("a", "recommend", None, ""), ExpertOpinion("b", None, None, None)])
    assert summary.recommend is False
    assert summary.average_score is None
    assert "b：未表态，- 分。" in summary.text
    assert summary.text.endswith("共 2 位专家，1 位建议通过，平均 - 分。")
