"""Staff messages reach people (R10, R17, R18): overdue warnings and the supervision opinion reach the department."""

from __future__ import annotations

import pytest

from devstack.waiting import wait_for
from domain.engine.tasks import TaskGateway
from domain.notices.kinds import NoticeKind
from domain.notices.services import NoticeService

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def test_the_supervision_opinion_reaches_the_department_in_its_inbox_and_in_tasklist(case, database, service):
    case.accept("T-QUAL")
    review = case.task("preliminary_review", "industry-reviewer")
    case.fire_timer("preliminary_review_overdue")
    case.task("supervise_overdue", "joint-office")

    # The warning is a comment on the overdue task itself, in Tasklist. Read as the service account:
    # the engine answers a task's comments only with READ_HISTORY, which department users lack today.
    department = TaskGateway(service)
    comments = wait_for(lambda: department.comments(review.id_), "the overdue warning on the task")
    assert any("办件超期预警" in c and "初步审查（县工信局）" in c for c in comments)

    case.complete("supervise_overdue", "joint-office", supervisionOpinion="请县工信局两日内办结")
    case.wait_for_activity("overdue_supervised")

    comments = department.comments(review.id_)
    opinions = [c for c in comments if "超期办件督办意见" in c]
    assert len(opinions) == 1 and "请县工信局两日内办结" in opinions[0]
    with database.session_scope() as session:
        inbox = NoticeService(session).staff_inbox(["dept-industry"])
        mine = [(n.kind, n.recipient) for n in inbox if n.application_number == case.key]
        others = [n for n in NoticeService(session).staff_inbox(["dept-science"]) if n.application_number == case.key]
    assert (NoticeKind.SUPERVISION.label, "dept-industry") in mine
    assert (NoticeKind.OVERDUE.label, "dept-industry") in mine
    assert others == []
    # The department still has its task (non-interrupting), now with the opinion on it.
    assert case.task("preliminary_review", "industry-reviewer").id_ == review.id_
