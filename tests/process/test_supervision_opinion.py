"""Staff messages reach people (R10, R17, R18): overdue warnings and the supervision opinion reach the department."""

from __future__ import annotations

import pytest

from devstack.waiting import wait_for
from domain.engine.tasks import TaskGateway
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def test_the_supervision_opinion_reaches_the_department_in_its_inbox_and_in_tasklist(case, database, service, as_user):
    case.accept("T-QUAL")
    review = case.task("preliminary_review", "industry-reviewer")
    case.fire_timer("preliminary_review_overdue")
    case.task("supervise_overdue", "joint-office")

    # The warning is on the overdue task itself, in Tasklist: a comment (the office reads comments), and the
    # task's description, which the department reads with no more than its own READ on the task.
    department = as_user("industry-reviewer")
    comments = wait_for(lambda: TaskGateway(service).comments(review.id_), "the overdue warning on the task")
    assert any("办件超期预警" in c and "初步审查（县工信局）" in c for c in comments)
    seen = wait_for(lambda: department.get(f"/task/{review.id_}").get("description"), "the warning in Tasklist")
    assert "办件超期预警" in seen and "初步审查（县工信局）" in seen
    assert department.get(f"/task/{review.id_}")["due"].startswith(review.due.strftime("%Y-%m-%dT%H:%M"))

    case.complete("supervise_overdue", "joint-office", supervisionOpinion="请县工信局两日内办结")
    case.wait_for_activity("overdue_supervised")

    comments = TaskGateway(service).comments(review.id_)
    opinions = [c for c in comments if "超期办件督办意见" in c]
    assert len(opinions) == 1 and "请县工信局两日内办结" in opinions[0]
    described = department.get(f"/task/{review.id_}")["description"]
    assert described.index("超期办件督办意见") < described.index("办件超期预警")  # newest first
    with database.session_scope() as session:
        inbox = NoticeService(session).staff_inbox(["dept-industry"])
        mine = [(n.kind, n.recipient) for n in inbox if n.application_number == case.key]
        others = [n for n in NoticeService(session).staff_inbox(["dept-science"]) if n.application_number == case.key]
    assert (NoticeKind.SUPERVISION.label, "dept-industry") in mine
    assert (NoticeKind.OVERDUE.label, "dept-industry") in mine
    assert others == []
    # The department still has its task (non-interrupting), now with the opinion on it.
    assert case.task("preliminary_review", "industry-reviewer").id_ == review.id_
