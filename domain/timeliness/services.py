"""OverdueService: record each overdue task once per deadline (R18)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.cases import CaseRef
from domain.db import get_or_create
from domain.timeliness.models import OverdueEscalation


@dataclass(frozen=True)
class OverdueTask:
    task_id: str
    activity_id: str
    task_name: str
    responsible_group: str
    due_at: dt.datetime


class OverdueService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, case: CaseRef, task: OverdueTask) -> tuple[OverdueEscalation, bool]:
        """Store the escalation unless this task was escalated for this deadline; (record, new?)."""
        return get_or_create(
            self.session,
            OverdueEscalation,
            {"task_id": task.task_id, "due_at": task.due_at},
            process_instance_id=case.process_instance_id,
            application_number=case.application_number,
            activity_id=task.activity_id,
            task_name=task.task_name,
            responsible_group=task.responsible_group,
        )

    def responsible_groups(self, process_instance_id: str) -> list[str]:
        """The units recorded as responsible for the case's overdue tasks (who a supervision opinion concerns)."""
        groups = self.session.scalars(
            select(OverdueEscalation.responsible_group)
            .where(OverdueEscalation.process_instance_id == process_instance_id)
            .order_by(OverdueEscalation.id)
        )
        return [g for g in dict.fromkeys(groups) if g]
