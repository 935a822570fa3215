"""The summary of the experts' opinions (R6) that the department reads before it decides."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

FIELDS = ("expertRecommendation", "expertScore", "expertComment")  # the expert_review form's answers
RECOMMENDATION = {"recommend": "建议通过", "not_recommend": "不建议通过"}


@dataclass(frozen=True)
class ExpertOpinion:
    reviewer: str | None
    recommendation: str | None
    score: float | None
    comment: str | None

    @classmethod
    def from_answers(cls, answers: dict) -> ExpertOpinion:
        return cls(
            answers.get("reviewer"),
            answers.get("expertRecommendation"),
            answers.get("expertScore"),
            answers.get("expertComment"),
        )


@dataclass(frozen=True)
class PanelSummary:
    text: str
    recommend: bool
    average_score: float | None


def summarise(opinions: list[ExpertOpinion]) -> PanelSummary:
    """One line per expert (by name), then the count: the panel recommends when a majority does."""
    opinions = sorted(opinions, key=lambda o: o.reviewer or "")
    recommending = sum(1 for o in opinions if o.recommendation == "recommend")
    scores = [o.score for o in opinions if o.score is not None]
    average = round(mean(scores), 1) if scores else None
    lines = [
        f"{o.reviewer}：{RECOMMENDATION.get(o.recommendation, '未表态')}，"
        f"{o.score if o.score is not None else '-'} 分。{o.comment or ''}"
        for o in opinions
    ]
    lines.append(
        f"共 {len(opinions)} 位专家，{recommending} 位建议通过，平均 {average if average is not None else '-'} 分。"
    )
    return PanelSummary("\n".join(lines), recommending * 2 > len(opinions), average)
