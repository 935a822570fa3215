"""Overdue escalation (R18), deadline extension (R11), and a year the calendar does not know."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.notices.models import Notice
from domain.timeliness.models import OverdueEscalation
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]

SCHEDULE_2098 = """
year = 2098
source = "测试数据（非官方）"

[[holidays]]
name = "劳动节"
start = 2098-05-01
end = 2098-05-05

[[workdays]]
name = "劳动节调休上班"
date = 2098-06-07
"""


def test_an_overdue_task_is_escalated_and_stays_with_the_department(case, database):
    case.accept("T-QUAL")
    review = case.task("preliminary_review", "industry-reviewer")

    case.fire_timer("preliminary_review_overdue")

    supervise = case.task("supervise_overdue", "joint-office")
    assert case.candidate_groups(supervise.id_) == {"joint-meeting-office"}
    assert "初步审查（县工信局）：期限 2026年10月10日 23:59，已超期" in case.variable("overdueSummary")
    # Non-interrupting: the department still has its task, due as before.
    assert case.task("preliminary_review", "industry-reviewer").id_ == review.id_
    with database.session_scope() as session:
        (escalation,) = session.scalars(
            select(OverdueEscalation).where(OverdueEscalation.application_number == case.key)
        )
        assert (escalation.task_id, escalation.responsible_group) == (review.id_, "dept-industry")
        warned = session.scalars(
            select(Notice.recipient).where(Notice.application_number == case.key, Notice.kind == "超期预警")
        )
        assert set(warned) == {"dept-industry", "joint-meeting-office"}
    case.complete("supervise_overdue", "joint-office", supervisionOpinion="请县工信局两日内办结")
    assert "overdue_supervised" in case.path()


def test_an_approved_extension_moves_the_due_date_and_the_timer(case, as_user, admin):
    case.accept("T-QUAL")
    review = case.task("preliminary_review", "industry-reviewer")
    assert review.due.isoformat() == "2026-10-10T23:59:59+08:00"

    # R11: the department asks for 3 more working days; the joint-meeting office approves.
    request = start_extension(as_user("industry-reviewer"), case.key, 3, "涉及多部门会商")
    approval = task_of(as_user("joint-office"), request, "approve_extension")
    assert approval.due.isoformat() == "2026-09-29T23:59:59+08:00"
    assert variable(admin, request, "currentDeadlines") == "preliminaryReviewDue：2026年10月10日"
    complete(
        as_user("joint-office"),
        approval,
        extensionDecision="approve",
        approvedWorkingDays=3,
        extensionOpinion="同意延长 3 个工作日",
    )

    result = task_of(as_user("industry-reviewer"), request, "read_extension_result")
    assert result.assignee == "industry-reviewer"
    moved = case.task("preliminary_review", "industry-reviewer")
    assert moved.due.isoformat() == "2026-10-14T23:59:59+08:00"  # 12, 13, 14 Oct
    (timer,) = admin.get("/job", processInstanceId=case.instance_id, activityId="preliminary_review_overdue")
    assert timer["dueDate"] == "2026-10-14T23:59:59.000+0800"
    assert case.variable("preliminaryReviewDue") == "2026-10-14T23:59:59.000+0800"
    assert variable(admin, request, "extensionOutcome") == "approved"


def test_another_departments_extension_request_is_refused_with_the_reason(case, as_user, admin):
    case.accept("T-QUAL")
    case.task("preliminary_review", "industry-reviewer")
    request = start_extension(as_user("tax-reviewer"), case.key, 5, "想多要几天")
    result = task_of(as_user("tax-reviewer"), request, "read_extension_result")
    assert "不属于负责该办件的部门" in variable(admin, request, "extensionResultText")
    assert variable(admin, request, "extensionOutcome") == "invalid"
    assert result.assignee == "tax-reviewer"
    assert case.task("preliminary_review", "industry-reviewer").due.isoformat() == "2026-10-10T23:59:59+08:00"


def test_the_window_cannot_ask_for_an_extension(as_user, case):
    from domain.engine import EngineForbidden

    with pytest.raises(EngineForbidden):
        start_extension(as_user("window-clerk"), case.key, 1, "专窗不应发起")


def test_an_unknown_year_stops_with_an_incident_until_the_operator_loads_it(case, admin, test_dir):
    case.accept("T-FAR")  # the application deadline is in 2098, which no calendar knows

    incident = wait_for(case.incidents, "an incident on routing", timeout=30)[0]
    assert incident["activityId"] == "route_application"
    assert "2098 年的法定节假日安排尚未载入" in incident["incidentMessage"]
    assert "preliminary_review" not in case.path()  # no guessed deadline, no task

    (test_dir / "calendar" / "2098.toml").write_text(SCHEDULE_2098, encoding="utf-8")
    admin.put(f"/external-task/{incident['configuration']}/retries", {"retries": 1})

    review = case.task("preliminary_review", "tax-reviewer")
    # Deadline Sun 1 Jun 2098… +3 working days: 2, 3, 4 Jun (an ordinary week in the file's year).
    assert review.due.isoformat() == "2098-06-04T23:59:59+08:00"


# -- the deadline_extension process, driven through REST ----------------------------------------


def start_extension(client, application_number: str, days: int, reason: str) -> str:
    import pycamunda.processdef

    request = pycamunda.processdef.StartInstance(client.url, key="deadline_extension")
    request.add_variable("applicationNumber", application_number)
    request.add_variable("requestedWorkingDays", days)
    request.add_variable("extensionReason", reason)
    return client.call(request).id_


def task_of(client, instance_id: str, definition_key: str):
    import pycamunda.task

    def visible():
        request = pycamunda.task.GetList(
            client.url, process_instance_id=instance_id, task_definition_key=definition_key
        )
        return list(client.call(request))

    return wait_for(visible, definition_key)[0]


def complete(client, task, **variables) -> None:
    from tests.support.case import complete_task

    complete_task(client, task.id_, **variables)


def variable(admin, instance_id: str, name: str):
    found = admin.get("/history/variable-instance", processInstanceId=instance_id, variableName=name)
    return found[-1]["value"] if found else None
