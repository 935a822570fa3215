"""Demonstration contacts of the demo policies' departments and the finance bureau (development only).

Fictional throughout: 0591 numbers in a made-up range and addresses at example.gov.cn. Departments without
a demo policy stay unrecorded, so the demo also shows what a guide page and a notice say then.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from domain.departments.contacts import ContactDetails, DepartmentContacts

DEMO_CONTACTS: dict[str, ContactDetails] = {
    "dept-science": ContactDetails("高新技术股", "林一帆", "0591-12340101", "gaoxin.kjj@example.gov.cn"),
    "dept-industry": ContactDetails("中小企业股", "陈思远", "0591-12340202", "zxqy.gxj@example.gov.cn"),
    "dept-hrss": ContactDetails("就业促进股", "黄晓玲", "0591-12340303", "jiuye.rsj@example.gov.cn"),
    "dept-commerce": ContactDetails("外贸股", "吴建国", "0591-12340404", "waimao.swj@example.gov.cn"),
    "dept-agriculture": ContactDetails("农村经营管理股", "郑春燕", "0591-12340505", "jingguan.nyj@example.gov.cn"),
    "finance-bureau": ContactDetails("经济建设股", "许文斌", "0591-12340606", "jingjian.czj@example.gov.cn"),
}


def seed_demo_contacts(session: Session) -> list[str]:
    """Record the demo contacts not recorded yet (never over a contact someone edited); return their groups."""
    contacts = DepartmentContacts(session)
    added = []
    for group_id, details in DEMO_CONTACTS.items():
        if contacts.get(group_id) is None:
            contacts.update(group_id, details, "system", actor_kind="system")
            added.append(group_id)
    return added
