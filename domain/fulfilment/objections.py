"""Objections during 公示 (R20): every objection raised in the period reaches the department.

The first goes to the case as the message it waits for; one raised while the department is handling
another is added to the objection it is handling (the open 处理异议 task shows them all), never refused.
"""

from __future__ import annotations

from domain.db import Database
from domain.engine.cases import CaseGateway, NotWaiting
from domain.engine.tasks import TaskGateway
from domain.fulfilment.announcements import AnnouncementService, RaisedObjection
from domain.fulfilment.models import Announcement

RESOLVE_OBJECTION = "resolve_objection"  # the department's user task in bpmn/policy_fulfilment.bpmn


def raise_objection(
    database: Database, cases: CaseGateway, tasks: TaskGateway, announcement: Announcement, objection: RaisedObjection
) -> None:
    """Bring the objection to the case, then record it; raise NotWaiting when the case takes none now."""
    case_id = announcement.process_instance_id
    if cases.waits_for_objection(case_id):
        cases.raise_objection(announcement.application_number, objection.name, objection.contact, objection.text)
    elif any(t.definition_key == RESOLVE_OBJECTION for t in tasks.open_tasks(case_id)):
        earlier = cases.variable(case_id, "objectionText") or ""
        added = f"另一异议（{objection.name}，{objection.contact}）：{objection.text}"
        cases.set_variable(case_id, "objectionText", f"{earlier}\n\n{added}".strip())
    else:
        raise NotWaiting(f"申报编号 {announcement.application_number} 当前不接收异议。")
    with database.session_scope() as session:
        AnnouncementService(session).record_objection(announcement, objection)
