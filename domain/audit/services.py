"""Write an audit entry in the caller's transaction: no change without its record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.audit.models import AuditEntry


def audit(
    session: Session, actor_kind: str, actor: str, action: str, target: str, address: str | None = None, **details
) -> AuditEntry:
    entry = AuditEntry(
        actor_kind=actor_kind, actor=actor, action=action, target=target, details=details, address=address
    )
    session.add(entry)
    session.flush()
    return entry


def trail(session: Session, target: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.target == target).order_by(AuditEntry.id)))
