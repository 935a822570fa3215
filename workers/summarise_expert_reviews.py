"""Topic summarise_expert_reviews: gather each expert's own review into one summary (R6).

Each expert's task keeps its answers in local variables of its own activity instance (input
mappings make them local); the engine's history returns them per activity instance, with the
instance's assignee: the expert.
"""

from __future__ import annotations

from statistics import mean

from workers import resources
from workers.task import TaskContext

TOPIC = "summarise_expert_reviews"
FIELDS = ("expertRecommendation", "expertScore", "expertComment")
RECOMMENDATION = {"recommend": "建议通过", "not_recommend": "不建议通过"}


def handle(task: TaskContext) -> dict:
    reviews = latest_round(task.process_instance_id)
    recommending = sum(1 for r in reviews if r.get("expertRecommendation") == "recommend")
    scores = [r["expertScore"] for r in reviews if r.get("expertScore") is not None]
    average = round(mean(scores), 1) if scores else None
    lines = [
        f"{r.get('reviewer')}：{RECOMMENDATION.get(r.get('expertRecommendation'), '未表态')}，"
        f"{r.get('expertScore', '-')} 分。{r.get('expertComment') or ''}"
        for r in reviews
    ]
    lines.append(
        f"共 {len(reviews)} 位专家，{recommending} 位建议通过，平均 {average if average is not None else '-'} 分。"
    )
    return {
        "expertSummary": "\n".join(lines),
        "expertsRecommend": recommending * 2 > len(reviews),
        "expertAverageScore": average,
    }


def latest_round(process_instance_id: str) -> list[dict]:
    """The answers of the experts of the most recent expert review, one dict per expert."""
    engine = resources.engine()
    bodies = engine.get(
        "/history/activity-instance",
        processInstanceId=process_instance_id,
        activityId="expert_review#multiInstanceBody",
        sortBy="startTime",
        sortOrder="desc",
    )
    if not bodies:
        return []
    rounds = engine.get("/history/activity-instance", processInstanceId=process_instance_id, activityId="expert_review")
    instances = {a["id"] for a in rounds if a["parentActivityInstanceId"] == bodies[0]["id"]}
    answers: dict[str, dict] = {instance: {} for instance in instances}
    for variable in engine.get(
        "/history/variable-instance",
        processInstanceId=process_instance_id,
        variableNameIn=",".join(FIELDS),
        deserializeValues="false",
    ):
        if variable["activityInstanceId"] in answers:
            answers[variable["activityInstanceId"]][variable["name"]] = variable["value"]
    return sorted(answers.values(), key=lambda r: r.get("reviewer") or "")
