"""Telling the enterprise and the window that a case's deadlines were extended (R11, R12)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from domain.cases import CaseFacts
from domain.engine.cases import CaseGateway
from domain.notices.addressing import enterprise_channels, enterprise_of
from domain.notices.channels import Channel
from domain.notices.kinds import NoticeKind
from domain.notices.services import Addressee, NoticeService
from domain.organisation import WINDOW


def tell_extension(
    session: Session,
    cases: CaseGateway,
    channels: dict[str, Channel],
    case_id: str,
    request_id: str,
    context: dict[str, Any],
) -> None:
    """One notice to the enterprise (portal, and its e-mail or SMS) and one to the window, per request."""
    variables = cases.variables(case_id)
    case = CaseFacts.from_variables(case_id, variables.get("applicationNumber"), variables)
    full = {**context, "enterprise_name": case.require("enterpriseName")}
    notices = NoticeService(session)
    notices.record(
        case.ref, NoticeKind.DEADLINE_EXTENDED, enterprise_of(case), full,
        channels=enterprise_channels(case, channels), round_=request_id,
    )  # fmt: skip
    window = Addressee(WINDOW.group_id)
    notices.record(case.ref, NoticeKind.DEADLINE_EXTENDED, window, full, round_=f"{request_id}:window")
