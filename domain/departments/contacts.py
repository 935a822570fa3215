"""DepartmentContacts: read and change each department's lead section and liaison (R14), every change audited.

Whatever reaches ``update`` came from a form, so everything is checked here: each field trimmed, bounded
and free of line breaks and invisible characters; the phone a landline with its area code (0591-12345678,
an extension allowed) or an 11-digit mobile; the e-mail a plain ASCII address. Every problem is named at
once (ContactInvalid) and nothing is written unless all four fields are good. The finance bureau keeps a
contact too: it pays (R19) and receives notices like a department.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from domain.audit.services import audit
from domain.contact import normalise_mobile
from domain.departments.models import (
    EMAIL_MAX,
    LEAD_SECTION_MAX,
    LIAISON_NAME_MAX,
    DepartmentContact,
)
from domain.organisation import DEPARTMENTS, FINANCE_BUREAU, Unit

# The units whose people the county keeps: every department and the finance bureau, in the plan's order.
CONTACT_UNITS: tuple[Unit, ...] = (*DEPARTMENTS, FINANCE_BUREAU)
_BY_GROUP = {unit.group_id: unit for unit in CONTACT_UNITS}
_RAW_PHONE_MAX = 40  # what is typed, separators included; longer is refused before any parsing
# Area code (010, 02x or a four-digit 0xxx), a local number of 7 or 8 digits, an optional extension.
_LANDLINE = re.compile(r"(010|02\d|0[3-9]\d{2})-?([1-9]\d{6,7})(?:(?:-|转)(\d{1,6}))?", re.ASCII)
_BRACKETED_AREA = re.compile(r"^\((0\d{2,3})\)-?")
_LOCAL_PART = re.compile(r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*", re.ASCII)
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?", re.ASCII)


class UnknownDepartment(LookupError):
    """No department (nor the finance bureau) has this group id."""


class ContactInvalid(ValueError):
    """The details are refused; ``problems`` names each one, in the form's order."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


class ContactChanged(Exception):
    """Someone else changed this contact since the page was opened: nothing was written."""


@dataclass(frozen=True)
class ContactDetails:
    """A department's people as typed: the lead section, the liaison's name, phone and e-mail."""

    lead_section: str
    liaison_name: str
    liaison_phone: str
    liaison_email: str


def contact_unit(group_id: str) -> Unit:
    """The department (or the finance bureau) with this group id, or UnknownDepartment."""
    unit = _BY_GROUP.get(group_id) if isinstance(group_id, str) else None
    if unit is None:
        raise UnknownDepartment(f"没有用户组为 “{str(group_id)[:64]}” 的部门。")
    return unit


def is_contact_unit(group_id: str | None) -> bool:
    return group_id in _BY_GROUP


def normalise_phone(value: str | None) -> str:
    """A landline as 0591-12345678 (extension: -801), or a mobile as 11 digits; else ValueError naming it."""
    raw = unicodedata.normalize("NFKC", value or "").strip()  # full-width digits, brackets and hyphens
    if not raw:
        raise ValueError("请填写联络员电话。")
    if len(raw) > _RAW_PHONE_MAX:
        raise ValueError(f"联络员电话太长（{len(raw)} 个字符）：请填写一个号码。")
    compact = _BRACKETED_AREA.sub(r"\1-", re.sub(r"\s", "", raw))  # (0591) 12345678
    landline = _LANDLINE.fullmatch(compact)
    if landline:
        area, number, extension = landline.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    try:
        return normalise_mobile(compact)
    except ValueError:
        raise ValueError(
            f"联络员电话 “{raw}” 无效：请填写带区号的固定电话（如 0591-12345678）或 11 位手机号。"
        ) from None


def normalise_email(value: str | None) -> str:
    """The address with its domain in lower case, or ValueError naming it."""
    raw = (value or "").strip()
    if not raw:
        raise ValueError("请填写联络员电子邮箱。")
    if len(raw) > EMAIL_MAX:
        raise ValueError(f"联络员电子邮箱太长（{len(raw)} 个字符，最多 {EMAIL_MAX} 个）。")
    local, at, domain = raw.rpartition("@")
    labels = domain.split(".")
    if (
        not at
        or len(local) > 64
        or not _LOCAL_PART.fullmatch(local)
        or len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not (labels[-1].isascii() and labels[-1].isalpha() and len(labels[-1]) >= 2)
    ):
        raise ValueError(f"联络员电子邮箱 “{raw[:80]}” 格式不正确（应如 liaison@example.gov.cn）。")
    return f"{local}@{domain.lower()}"


def _text(value: str | None, label: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValueError(f"请填写{label}。")
    if len(text) > limit:
        raise ValueError(f"{label}最多 {limit} 个字（现为 {len(text)} 个）。")
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise ValueError(f"{label}含有换行或不可见的字符。")
    return text


def checked(details: ContactDetails) -> ContactDetails:
    """The details trimmed and normalised, or ContactInvalid naming every problem."""
    fields = (
        ("lead_section", lambda v: _text(v, "牵头科室", LEAD_SECTION_MAX)),
        ("liaison_name", lambda v: _text(v, "联络员姓名", LIAISON_NAME_MAX)),
        ("liaison_phone", normalise_phone),
        ("liaison_email", normalise_email),
    )
    clean, problems = {}, []
    for name, check in fields:
        value = getattr(details, name)
        try:
            clean[name] = check(value if isinstance(value, str) else None)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ContactInvalid(problems)
    return ContactDetails(**clean)


def _details(contact: DepartmentContact) -> dict[str, str]:
    return {field.name: getattr(contact, field.name) for field in dataclasses.fields(ContactDetails)}


class DepartmentContacts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, group_id: str) -> DepartmentContact | None:
        """The department's recorded contact, None when none is recorded; UnknownDepartment for another group."""
        contact_unit(group_id)
        return self.session.get(DepartmentContact, group_id)

    def recorded(self, group_id: str | None) -> DepartmentContact | None:
        """The contact of this group if it is a department that recorded one, else None (never raises)."""
        return self.session.get(DepartmentContact, group_id) if is_contact_unit(group_id) else None

    def listing(self) -> list[tuple[Unit, DepartmentContact | None]]:
        """Every department with its contact (None: not recorded yet), in the plan's order."""
        return [(unit, self.session.get(DepartmentContact, unit.group_id)) for unit in CONTACT_UNITS]

    def update(
        self,
        group_id: str,
        details: ContactDetails,
        actor: str,
        seen_version: int | None = None,
        address: str | None = None,
        actor_kind: str = "staff",
    ) -> tuple[DepartmentContact, bool]:
        """Record the department's contact; return it and whether anything changed (audited when it did).

        ``seen_version``: the version the editor's page showed (0: none recorded); another one means someone
        changed it meanwhile, and ContactChanged is raised with nothing written. The caller rolls back on
        ContactChanged (the session's flush failed when two wrote at the same moment).
        """
        contact_unit(group_id)
        clean = dataclasses.asdict(checked(details))
        contact = self.session.get(DepartmentContact, group_id)
        if seen_version is not None and seen_version != (contact.version if contact else 0):
            raise ContactChanged("此部门的联系方式刚被他人修改，请查看最新内容后再提交。")
        before = _details(contact) if contact else None
        if before == clean:
            return contact, False
        now = dt.datetime.now(dt.UTC)
        if contact is None:
            contact = DepartmentContact(group_id=group_id, **clean, updated_at=now, updated_by=actor)
            self.session.add(contact)
        else:
            for name, value in clean.items():
                setattr(contact, name, value)
            contact.updated_at, contact.updated_by = now, actor
        try:
            self.session.flush()
        except (IntegrityError, StaleDataError) as exc:  # written by someone else at the same moment
            raise ContactChanged("此部门的联系方式刚被他人修改，请查看最新内容后再提交。") from exc
        audit(
            self.session, actor_kind, actor, "department.contact_updated", group_id, address, before=before, after=clean
        )
        return contact, True
