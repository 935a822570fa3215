"""The window's 受理回执 (R1, R2, R16; issue 11, item 5): what the enterprise takes home from the counter.

It says what was received (application, materials, channel, when, by whom), the time limits that now run
(R3–R12, in working days) and carries a fresh one-time 企业绑定码 with how to bind the account online.

The code is drawn first, the PDF laid out with no transaction open, and only then the code's hash stored
(domain/enterprises/binding.py): a code is kept only once the paper that carries it exists, and the plain
code lives nowhere but in the returned PDF. Each print issues a new code; the previous one expires.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from domain.applications.acceptance import Guide
from domain.applications.models import Application
from domain.applications.submission import ApplicationNotFound, ApplicationService
from domain.calendar import WorkingDayCalendar
from domain.clock import CHINA
from domain.db import Database
from domain.documents.receipt_limits import TimeLimit, time_limits
from domain.enterprises import binding
from domain.enterprises.services import normalise_credit_code
from domain.organisation import WINDOW, unit_for_group
from domain.pdf import html_to_pdf
from domain.policies.services import PolicyService
from domain.templating import render

SERVICE_NAME = "惠企政策兑现“一门式”服务"
TITLE = "受理回执"
CHANNELS = {"window": "专窗代办（窗口收件）", "online": "网上专区（网上申报）"}


@dataclass(frozen=True)
class Clerk:
    """The member of the window's staff who prints the receipt."""

    user_id: str
    name: str


@dataclass(frozen=True)
class ReceivedMaterial:
    name: str
    file_name: str
    round_text: str  # 首次申报 / 第 n 次补正


@dataclass(frozen=True)
class ReceiptFacts:
    """An application as its receipt states it: plain data, read in one short transaction."""

    number: str
    enterprise_name: str
    credit_code: str
    policy_code: str
    policy_name: str
    guide_version: int
    in_catalogue: bool
    department: str | None
    channel: str
    received_at: dt.datetime  # China time
    received_by: str
    materials: list[ReceivedMaterial]
    limits: list[TimeLimit]
    consultation: str


@dataclass(frozen=True)
class Receipt:
    pdf: bytes
    filename: str  # 受理回执-<申报编号>.pdf
    ascii_filename: str  # acceptance-receipt-<number>.pdf, for clients without RFC 5987


def print_receipt(
    database: Database,
    calendar: WorkingDayCalendar,
    number: str,
    clerk: Clerk,
    now: dt.datetime,
    bind_url: str,
    address: str | None = None,
) -> Receipt:
    """Lay out the application's receipt with a new binding code, store the code's hash, return the PDF.

    Raise ApplicationNotFound for an unknown number (nothing issued), InvalidCreditCode when the application's
    credit code cannot be bound (nothing issued). ``now``: real time (a security moment, never the business
    date of training); ``bind_url``: where the enterprise binds its account online.
    """
    with database.session_scope() as session:
        application = ApplicationService(session).by_number(number)
        if application is None:
            raise ApplicationNotFound(number)
        facts = receipt_facts(session, application, calendar, clerk)
    normalise_credit_code(facts.credit_code)  # raises InvalidCreditCode before any code is drawn
    code = binding.new_code()
    pdf = layout(facts, code, now, clerk, bind_url)  # slow: no transaction open
    with database.session_scope() as session:
        binding.issue(
            session, facts.credit_code, clerk.user_id, now, address,
            code=code, document="acceptance_receipt", application_number=facts.number,
        )  # fmt: skip
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", facts.number)
    return Receipt(pdf, f"{TITLE}-{facts.number}.pdf", f"acceptance-receipt-{safe}.pdf")


def receipt_facts(
    session: Session, application: Application, calendar: WorkingDayCalendar, clerk: Clerk
) -> ReceiptFacts:
    """The receipt's facts of this application (an ORM row of the caller's session)."""
    policy = PolicyService(session).find_published(application.policy_code)
    guide = Guide.of(session, policy, application.guide_version) if policy is not None else None
    received_at = application.submitted_at.astimezone(CHINA)
    department = None
    if policy is not None:
        try:
            department = unit_for_group(policy.department_group).name
        except KeyError:
            department = None
    return ReceiptFacts(
        number=application.number,
        enterprise_name=application.enterprise_name,
        credit_code=application.credit_code,
        policy_code=application.policy_code,
        policy_name=guide.name if guide else application.policy_code,
        guide_version=application.guide_version,
        in_catalogue=policy is not None,
        department=department,
        channel=CHANNELS.get(application.channel, application.channel),
        received_at=received_at,
        received_by=_receiver(application.channel, application.submitted_by, clerk),
        materials=[
            ReceivedMaterial(u.material_name, u.original_name, "首次申报" if u.round == 0 else f"第 {u.round} 次补正")
            for u in application.uploads
        ],
        limits=time_limits(calendar, policy, guide, received_at.date()),
        consultation=(policy.contact if policy is not None else "") or WINDOW.name,
    )


def _receiver(channel: str, submitted_by: str, clerk: Clerk) -> str:
    """Who received the application: the window's clerk (by name when it is the one printing), or the web."""
    if channel != "window":
        return "网上专区（系统接收）"
    return clerk.name if submitted_by == clerk.user_id else f"专窗工作人员（工号 {submitted_by}）"


def layout(facts: ReceiptFacts, code: str, now: dt.datetime, clerk: Clerk, bind_url: str) -> bytes:
    """The receipt as a PDF (slow: call it with no transaction open)."""
    printed_at = now.astimezone(CHINA)
    return html_to_pdf(
        render(
            "documents/acceptance_receipt.html",
            title=f"{TITLE} {facts.number}",
            service_name=SERVICE_NAME,
            window_name=WINDOW.name,
            facts=facts,
            code=code,
            valid_until=_moment(printed_at + binding.VALID_FOR),
            received_at=_moment(facts.received_at),
            printed_at=_moment(printed_at),
            clerk=clerk,
            bind_url=bind_url,
        )
    )


def _moment(moment: dt.datetime) -> str:
    """2026年9月28日 09:05, China time."""
    local = moment.astimezone(CHINA)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
