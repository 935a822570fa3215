"""Topic summarise_expert_reviews: gather each expert's own review into one summary (R6)."""

from __future__ import annotations

from domain.review.summary import FIELDS, ExpertOpinion, summarise
from workers import resources
from workers.task import TaskContext

TOPIC = "summarise_expert_reviews"


def handle(task: TaskContext) -> dict:
    answers = resources.history().expert_answers(task.process_instance_id, FIELDS)
    summary = summarise([ExpertOpinion.from_answers(a) for a in answers])
    return {
        "expertSummary": summary.text,
        "expertsRecommend": summary.recommend,
        "expertAverageScore": summary.average_score,
    }
