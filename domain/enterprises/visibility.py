"""Which applications an enterprise account sees: the one rule, for every read by credit code (issue 11, item 5).

A *bound* account (binding.py) sees every application of its credit code, whoever filed it: online, at the
window (代办) or started in Tasklist. An *unbound* account sees only the applications it filed online itself
(``Application.filed_by_enterprise_id``), and through them their notices, documents, uploads and supplements.

Services take a ``Reader``: a Viewer (the web UI's logged-in account), or a bare credit code — the
credit code's own view as staff, workers and tests use it, the same as a bound account's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, select

from domain.applications.models import Application
from domain.enterprises.models import Enterprise


@dataclass(frozen=True)
class Viewer:
    """An account as it reads: its credit code, its id, and whether it is bound to its enterprise."""

    credit_code: str
    enterprise_id: int | None = None
    bound: bool = True

    @classmethod
    def of(cls, enterprise: Enterprise) -> Viewer:
        return cls(enterprise.credit_code, enterprise.id, enterprise.bound)

    def sees(self, application: Application) -> bool:
        """Whether this account may see (and act on) the application."""
        if application.credit_code != self.credit_code:
            return False
        return self.bound or (
            self.enterprise_id is not None and application.filed_by_enterprise_id == self.enterprise_id
        )


Reader = str | Viewer


def viewer(who: Reader) -> Viewer:
    """The Viewer for this reader; a bare credit code reads as its enterprise's bound view."""
    return who if isinstance(who, Viewer) else Viewer(who)


def visible_applications(who: Reader) -> ColumnElement[bool]:
    """The WHERE clause on Application of what this reader sees."""
    reader = viewer(who)
    same_code = Application.credit_code == reader.credit_code
    if reader.bound:
        return same_code
    if reader.enterprise_id is None:
        return false()
    return and_(same_code, Application.filed_by_enterprise_id == reader.enterprise_id)


def visible_cases(who: Reader):
    """A subquery of the process instance ids of the applications this reader sees (for notices)."""
    return select(Application.process_instance_id).where(
        visible_applications(who), Application.process_instance_id.is_not(None)
    )
