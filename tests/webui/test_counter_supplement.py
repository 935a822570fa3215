"""Materials brought to the counter (R2, R5): the window records them on the case page, and the case goes on
exactly as after an online supplement — the same checks on the files, the same round, the same message."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from devstack.waiting import wait_for
from domain.applications.models import Application, Upload
from domain.audit.models import AuditEntry
from tests.webui.conftest import TOKEN, new_credit_code
from tests.webui.test_applications import PDF, files
from tests.webui.test_online_cases import driver_for
from tests.webui.test_staff import staff
from webui.context import resources

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]

FORM = "登记柜台补正材料"


def walk_in(clerk, materials: dict):
    """The window files an application for T-QUAL on a walk-in enterprise's behalf; the answer."""
    page = clerk.text("/staff/intake?policy=T-QUAL")
    data = {
        "csrf_token": TOKEN.search(page).group(1),
        "token": page.split('name="token" value="')[1].split('"')[0],
        "credit_code": new_credit_code(),
        "enterprise_name": "柜台补正有限公司",
        "contact_name": "王五",
        "phone": "13700000000",
        **materials,
    }
    return clerk.client.post("/staff/intake?policy=T-QUAL", data=data, content_type="multipart/form-data")


def bring(clerk, number: str, materials: dict):
    """The clerk uploads on the case page what the enterprise brought to the counter."""
    csrf = TOKEN.search(clerk.text(f"/staff/applications/{number}")).group(1)
    return clerk.client.post(
        f"/staff/applications/{number}/supplement",
        data={"csrf_token": csrf, **materials},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def rounds(database, number: str) -> list[int]:
    with database.session_scope() as session:
        application = session.scalar(select(Application).where(Application.number == number))
        return sorted(u.round for u in session.scalars(select(Upload).where(Upload.application_id == application.id)))


def stored_files(app) -> int:
    with app.app_context():
        root = resources().settings.upload_dir
    return sum(1 for p in root.rglob("*") if p.is_file())


@pytest.fixture
def clerk(app):
    return staff(app, "window-clerk")


@pytest.fixture
def walked_in(clerk, database, admin, service, as_user):
    """A walk-in application at its acceptance check: (number, case driver)."""
    # The window cannot file with a material missing: the acceptance check asks for it afterwards.
    refused = walk_in(clerk, files(codes=("M01", "M02")))
    assert refused.status_code == 400 and "缺少材料：近两年财务审计报告" in refused.get_data(as_text=True)
    answer = walk_in(clerk, files())
    assert answer.status_code == 302, answer.get_data(as_text=True)
    number = answer.headers["Location"].rsplit("/", 1)[1]
    case = driver_for(number, admin, service, as_user, database)
    case.task("check_completeness", "window-clerk")
    return number, case


@pytest.fixture
def waiting(walked_in, clerk):
    """The same case waiting for its supplement: the audit report the enterprise handed in is unreadable."""
    number, case = walked_in
    case.complete("check_completeness", "window-clerk", providedMaterials=["M01", "M02"])
    wait_for(lambda: FORM in clerk.text(f"/staff/applications/{number}"), "the counter's supplement form")
    return number, case


def test_materials_brought_to_the_counter_continue_the_case_as_an_online_supplement(waiting, clerk, database, app):
    number, case = waiting
    page = clerk.text(f"/staff/applications/{number}")
    form = page.split(f"<h2>{FORM}</h2>")[1].split("</form>")[0]
    assert f'action="/staff/applications/{number}/supplement"' in form
    assert re.findall(r'type="file" id="material_(\w+)"', form) == ["M01", "M02", "M03"]  # one per material
    before = stored_files(app)

    answer = bring(clerk, number, {"material_M03": (io.BytesIO(PDF), "审计报告-柜台扫描.pdf")})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "已登记柜台补正材料（第 1 次补正）" in text

    # The acceptance check again, with the same message variables an online supplement sends.
    case.task("check_completeness", "window-clerk")
    assert case.variable("supplementedRound") == 1
    assert case.variable_json("supplementedMaterials") == ["M03"]
    assert rounds(database, number) == [0, 0, 0, 1] and stored_files(app) == before + 1
    with database.session_scope() as session:
        entry = session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "application.supplemented_at_counter", AuditEntry.target == number
            )
        )
        assert (entry.actor_kind, entry.actor, entry.details["round"]) == ("staff", "window-clerk", 1)
    page = clerk.text(f"/staff/applications/{number}")
    assert "审计报告-柜台扫描.pdf" in page and "第 1 次补正" in page
    assert FORM not in page  # no longer waiting


def test_only_the_window_records_a_counter_supplement(app, clerk):
    reviewer = staff(app, "science-reviewer")
    url = "/staff/applications/HQ-20260928-0001/supplement"
    assert reviewer.post(url, {}, page="/staff/policies").status_code == 403
    assert reviewer.get("/staff/applications/HQ-20260928-0001").status_code == 403
    assert (
        clerk.post("/staff/applications/HQ-00000000-0000/supplement", {}, page="/staff/applications").status_code == 404
    )


def test_nothing_is_recorded_when_no_supplement_is_asked(walked_in, clerk, database, app):
    number, case = walked_in
    assert FORM not in clerk.text(f"/staff/applications/{number}")
    before = stored_files(app)
    answer = bring(clerk, number, {"material_M03": (io.BytesIO(PDF), "审计报告.pdf")})
    assert answer.status_code == 200
    assert "补正材料未登记：当前无需补正材料。" in answer.get_data(as_text=True)
    assert rounds(database, number) == [0, 0, 0] and stored_files(app) == before
    case.task("check_completeness", "window-clerk")  # the case did not move


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_recorded(waiting, clerk, database, app):
    number, _case = waiting
    before = stored_files(app)
    answer = bring(clerk, number, {"material_M03": (io.BytesIO(b"just some text, not a document"), "审计报告.pdf")})
    text = answer.get_data(as_text=True)
    assert "补正材料未登记" in text and "近两年财务审计报告" in text and "不是 PDF、JPG 或 PNG 文件" in text
    assert rounds(database, number) == [0, 0, 0] and stored_files(app) == before
    assert FORM in clerk.text(f"/staff/applications/{number}")  # the case still waits for the supplement
