"""Staff messages reach people (issue 9): a notice to a unit's group is e-mailed to its members.

The members and their addresses come from the real engine's identity service, read as the service
account; the mail goes through a real SMTP server on loopback.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import pytest

from domain.cases import CaseRef
from domain.config import DeliverySettings
from domain.engine import EngineNotFound
from domain.notices.channels import configured_channels
from domain.notices.kinds import NoticeKind
from domain.notices.outbox import OutboxDispatcher, OutboxPolicy
from domain.notices.services import STAFF_EMAIL, Addressee, NoticeService
from tests.support.smtp import smtp_server

pytestmark = pytest.mark.engine

FOLLOW_UP = {
    "enterprise_name": "福兴科技有限公司",
    "policy_name": "专精特新奖励",
    "municipal_department": "市工信局",
    "count": 1,
}


@pytest.fixture
def probe_users(admin) -> Iterator[dict[str, str]]:
    """Two users with e-mail addresses: one in the industry department's group, one in the science one's."""
    tag = uuid.uuid4().hex[:8]
    users = {"dept-industry": f"probe-industry-{tag}", "dept-science": f"probe-science-{tag}"}
    for group, user in users.items():
        admin.post(
            "/user/create",
            {
                "profile": {"id": user, "firstName": "探针", "lastName": group, "email": f"{user}@county.example"},
                "credentials": {"password": f"probe-{tag}"},
            },
        )
        admin.put(f"/group/{group}/members/{user}")
    yield {group: f"{user}@county.example" for group, user in users.items()}
    for user in users.values():
        with contextlib.suppress(EngineNotFound):
            admin.delete(f"/user/{user}")


def test_a_department_notice_is_emailed_to_the_members_of_its_group(
    engine_settings, database, probe_users, monkeypatch
):
    number = f"HQ-STAFF-{uuid.uuid4().hex[:8]}"
    with smtp_server() as (port, mailbox):
        monkeypatch.setenv("SMTP_HOST", "127.0.0.1")  # what the workers are configured with
        with database.session_scope() as session:
            notice = NoticeService(session).record(
                CaseRef(f"pi-{number}", number), NoticeKind.FOLLOW_UP, Addressee("dept-industry"), FOLLOW_UP
            )
            notice_id = notice.id
            body = notice.body
        settings = DeliverySettings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="huiqi@county.example")
        channel = configured_channels(settings, engine=engine_settings)[STAFF_EMAIL]
        outbox = OutboxDispatcher(database, {STAFF_EMAIL: channel}, "staff-email-test", OutboxPolicy())
        status = "pending"
        for _ in range(10):  # the shared database may hold other due deliveries ahead of ours
            outbox.deliver_due()
            with database.session_scope() as session:
                ours = [d for d in NoticeService(session).deliveries(notice_id) if d.channel == STAFF_EMAIL]
                status, error = ours[0].status, ours[0].last_error
            if status != "pending":
                break
        assert (status, error) == ("sent", None)
        mine = [m for m in mailbox.messages if number in m["Subject"]]

    (message,) = mine
    recipients = [a.strip() for a in message["To"].split(",")]
    assert probe_users["dept-industry"] in recipients  # the demo reviewer left no address: skipped
    assert probe_users["dept-science"] not in recipients  # another unit's member is never told
    assert message["Subject"] == f"【惠企政策兑现】市级审查跟踪提醒（{number}）"
    assert body in message.get_body(("plain",)).get_content()
    assert "已上报市工信局，尚未收到审查结果" in body
