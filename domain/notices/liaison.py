"""A notice to a department is addressed to its liaison (R14): named in the text, its e-mail the first recipient.

When the notice is written, the department's recorded contact (domain/departments/) is looked up:

- recorded: the text opens with the department, its lead section and its liaison, and the liaison's e-mail is
  kept on the notice (``Notice.email``: the address as written), so the ``staff_email`` delivery writes to the
  liaison first and to the group's members beside (staff_email.py);
- not recorded: the text ends saying so and who records it, a warning is logged, and the e-mail goes to the
  group's members only, as before.

The finance bureau counts as a department here. Other staff groups (the window, the joint-meeting office, the
managers) and enterprises are addressed as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from domain.departments.contacts import DepartmentContacts, contact_unit, is_contact_unit


@dataclass(frozen=True)
class Addressed:
    """The notice's text as addressed, and the liaison's e-mail (None: not a department, or none recorded)."""

    body: str
    email: str | None = None
    unrecorded: bool = False  # a department whose lead section and liaison are not recorded yet


def unrecorded_note(unit_name: str) -> str:
    return (
        f"（{unit_name}尚未登记牵头科室和联络员，本通知发给该部门的全体成员；"
        "请联席会议办公室在“部门牵头科室与联络员”页登记。）"
    )


def to_department(session: Session, group_id: str, body: str) -> Addressed:
    """The text of a notice to this group as the department's liaison receives it; others' text unchanged."""
    if not is_contact_unit(group_id):
        return Addressed(body)
    unit = contact_unit(group_id)
    contact = DepartmentContacts(session).recorded(group_id)
    if contact is None:
        return Addressed(f"{body}\n{unrecorded_note(unit.name)}", unrecorded=True)
    salutation = (
        f"{unit.name}（牵头科室：{contact.lead_section}；联络员：{contact.liaison_name}，"
        f"电话 {contact.liaison_phone}）："
    )
    return Addressed(f"{salutation}\n{body}", contact.liaison_email)
