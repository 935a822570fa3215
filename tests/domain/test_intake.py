"""Intake (R1, R2, R5): files in as plain data, the case started with no transaction open, a supplement the
case does not take leaves nothing behind. The engine is a stand-in here; tests/webui run the real one."""

from __future__ import annotations

import io
import uuid

import pytest
from sqlalchemy import select

from domain.applications.intake import Filer, Intake, NoSupplementAsked
from domain.applications.models import Application, Upload
from domain.applications.storage import UploadStore
from domain.applications.submission import ApplicantDetails, ApplicationNotFound, SubmissionRefused
from domain.audit.models import AuditEntry
from domain.cases import NewCase
from domain.clock import BusinessClock
from domain.engine import EngineError
from domain.engine.cases import NotWaiting
from tests.support.policies import BUSINESS_DATE

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
CREDIT_CODE = "91350100M000100Y43"


class StandInCases:
    """Just enough of CaseGateway; it checks that no transaction is open when it is called."""

    def __init__(self, database) -> None:
        self.database = database
        self.started: list[NewCase] = []
        self.supplements: list[tuple[str, int, list[str]]] = []
        self.down = False
        self.waiting = True
        self.refuse_supplement = False

    def _no_transaction_open(self) -> None:
        with self.database.engine.connect() as connection:  # BEGIN IMMEDIATE would wait if one were open
            connection.exec_driver_sql("SELECT 1")

    def start(self, case: NewCase, first: bool = False) -> str:
        self._no_transaction_open()
        if self.down:
            raise EngineError("引擎不可用")
        # Only a case never asked for may skip the engine's look-up for an earlier instance.
        assert not first or case.application_number not in {c.application_number for c in self.started}
        self.started.append(case)
        return f"pi-{case.application_number}"

    def waits_for_supplement(self, process_instance_id: str | None) -> bool:
        return bool(process_instance_id) and self.waiting

    def supplement(self, number: str, round_: int, material_codes: list[str]) -> None:
        self._no_transaction_open()
        if self.refuse_supplement:
            raise NotWaiting(f"申报编号 {number} 当前不接收此项操作")
        self.supplements.append((number, round_, material_codes))


@pytest.fixture
def cases(database) -> StandInCases:
    return StandInCases(database)


@pytest.fixture
def intake(database, tmp_path, cases) -> Intake:
    return Intake(database, UploadStore(tmp_path / "uploads", 1024 * 1024), cases, BusinessClock(BUSINESS_DATE))


def applicant() -> ApplicantDetails:
    return ApplicantDetails(CREDIT_CODE, "福兴科技有限公司", "张三", "13800000000")


def materials(*codes: str, content: bytes = PDF) -> dict:
    return {code: (f"材料{code}.pdf", io.BytesIO(content)) for code in codes}


def kept_files(tmp_path) -> list:
    return [p for p in (tmp_path / "uploads").rglob("*") if p.is_file()]


def online() -> Filer:
    return Filer("online", CREDIT_CODE, "enterprise", "127.0.0.1")


def test_an_application_is_filed_with_its_files_and_its_case_started(intake, cases, database, tmp_path):
    filed = intake.file("T-QUAL", applicant(), uuid.uuid4().hex, materials("M01", "M02", "M03"), online())
    assert filed.created and filed.started and not filed.problem
    assert cases.started[0].application_number == filed.number
    assert cases.started[0].material_codes == ("M01", "M02", "M03")
    assert cases.started[0].intake_by is None
    assert len(kept_files(tmp_path)) == 3
    with database.session_scope() as session:
        application = session.scalar(select(Application).where(Application.number == filed.number))
        assert application.process_instance_id == f"pi-{filed.number}"
        assert [u.original_name for u in application.uploads] == ["材料M01.pdf", "材料M02.pdf", "材料M03.pdf"]
        entry = session.scalar(select(AuditEntry).where(AuditEntry.target == filed.number))
        assert (entry.action, entry.address) == ("application.submitted", "127.0.0.1")
        assert entry.details["channel"] == "online"


def test_the_window_files_on_an_enterprises_behalf_once_per_form(intake, cases, tmp_path):
    token = uuid.uuid4().hex
    window = Filer("window", "window-clerk", "staff")
    first = intake.file("T-QUAL", applicant(), token, materials("M01", "M02", "M03"), window)
    again = intake.file("T-QUAL", applicant(), token, materials("M01", "M02", "M03"), window)
    assert (again.number, again.created, again.started) == (first.number, False, True)
    assert cases.started[0].intake_by == "window-clerk" and len(cases.started) == 1
    assert len(kept_files(tmp_path)) == 3  # the second submit's files are not kept


def test_a_refused_application_keeps_nothing(intake, cases, tmp_path):
    with pytest.raises(SubmissionRefused, match="缺少材料：近两年财务审计报告"):
        intake.file("T-QUAL", applicant(), uuid.uuid4().hex, materials("M01", "M02"), online())
    bad = {**materials("M01", "M03"), "M02": ("营业执照.pdf", io.BytesIO(b"not a document"))}
    with pytest.raises(SubmissionRefused, match=r"营业执照副本复印件：.*不是 PDF"):
        intake.file("T-QUAL", applicant(), uuid.uuid4().hex, bad, online())
    with pytest.raises(SubmissionRefused, match="表单已失效"):
        intake.file("T-QUAL", applicant(), "not-a-token", materials("M01", "M02", "M03"), online())
    assert not kept_files(tmp_path) and not cases.started


def test_a_case_the_engine_could_not_start_is_started_later(intake, cases):
    cases.down = True
    filed = intake.file("T-QUAL", applicant(), uuid.uuid4().hex, materials("M01", "M02", "M03"), online())
    assert filed.created and not filed.started and "暂时无法进入办理流程" in filed.problem
    cases.down = False
    assert intake.start_case(filed.number, None) == (True, "")
    assert intake.start_case(filed.number, None) == (True, "")  # already running: not started twice
    assert len(cases.started) == 1
    with pytest.raises(ApplicationNotFound):
        intake.start_case("HQ-00000000-0000", None)


def uploads_of(database, number: str) -> list[int]:
    with database.session_scope() as session:
        application = session.scalar(select(Application).where(Application.number == number))
        return [u.round for u in session.scalars(select(Upload).where(Upload.application_id == application.id))]


def test_a_supplement_is_kept_as_the_next_round_and_told_to_the_case(intake, cases, database, tmp_path):
    filed = intake.file("T-QUAL", applicant(), uuid.uuid4().hex, materials("M01", "M02", "M03"), online())
    with pytest.raises(ApplicationNotFound):
        intake.supplement(filed.number, "91350100M000200Y11", materials("M03"))
    cases.waiting = False
    with pytest.raises(NoSupplementAsked, match="当前无需补正材料"):
        intake.supplement(filed.number, CREDIT_CODE, materials("M03"))
    cases.waiting = True
    with pytest.raises(SubmissionRefused, match="请至少上传一份补正材料"):
        intake.supplement(filed.number, CREDIT_CODE, {})

    assert intake.supplement(filed.number, CREDIT_CODE, materials("M03"), "127.0.0.1") == 1
    assert cases.supplements == [(filed.number, 1, ["M03"])]
    assert uploads_of(database, filed.number) == [0, 0, 0, 1]
    assert len(kept_files(tmp_path)) == 4
    with database.session_scope() as session:
        entry = session.scalar(
            select(AuditEntry).where(AuditEntry.action == "application.supplemented", AuditEntry.target == filed.number)
        )
        assert entry.details["round"] == 1 and entry.actor == CREDIT_CODE


def test_a_supplement_the_case_does_not_take_leaves_nothing_behind(intake, cases, database, tmp_path):
    filed = intake.file("T-QUAL", applicant(), uuid.uuid4().hex, materials("M01", "M02", "M03"), online())
    cases.refuse_supplement = True
    with pytest.raises(NotWaiting):
        intake.supplement(filed.number, CREDIT_CODE, materials("M02", "M03"))
    assert uploads_of(database, filed.number) == [0, 0, 0]
    assert len(kept_files(tmp_path)) == 3
    cases.refuse_supplement = False
    assert intake.supplement(filed.number, CREDIT_CODE, materials("M03")) == 1  # the round number is free again


def test_an_enterprise_past_its_daily_upload_quota_is_refused_and_nothing_is_kept(database, tmp_path, cases):
    quota = len(PDF) * 4  # room for one application of three files, not two
    store = UploadStore(tmp_path / "uploads", 1024 * 1024)
    intake = Intake(database, store, cases, BusinessClock(BUSINESS_DATE), quota)
    code = "91350100MA0000QT1X"
    person = ApplicantDetails(code, "配额测试有限公司", "张三", "13800000000")
    filer = Filer("online", code, "enterprise")
    intake.file("T-QUAL", person, uuid.uuid4().hex, materials("M01", "M02", "M03"), filer)
    with pytest.raises(SubmissionRefused, match="今日上传的材料已超过每家企业每天"):
        intake.file("T-QUAL", person, uuid.uuid4().hex, materials("M01", "M02", "M03"), filer)
    assert len(kept_files(tmp_path)) == 3  # only the first application's files


def test_the_window_records_a_supplement_brought_to_the_counter_as_the_next_round(database, tmp_path, cases):
    quota = len(PDF) * 3  # the enterprise's quota of the day is used up by its application
    store = UploadStore(tmp_path / "uploads", 1024 * 1024)
    intake = Intake(database, store, cases, BusinessClock(BUSINESS_DATE), quota)
    code = "91350100MA0000CT2X"
    person = ApplicantDetails(code, "柜台补正有限公司", "张三", "13800000000")
    filed = intake.file(
        "T-QUAL", person, uuid.uuid4().hex, materials("M01", "M02", "M03"), Filer("online", code, "enterprise")
    )
    with pytest.raises(SubmissionRefused, match="今日上传的材料已超过"):
        intake.supplement(filed.number, code, materials("M03"))
    with pytest.raises(ApplicationNotFound):
        intake.supplement_at_counter("HQ-00000000-0000", "window-clerk", materials("M03"))

    # The quota is the enterprise's own abuse limit; it does not apply to what the clerk scans at the counter.
    assert intake.supplement_at_counter(filed.number, "window-clerk", materials("M03"), "10.0.0.8") == 1
    assert cases.supplements == [(filed.number, 1, ["M03"])]  # the same message as an online supplement
    assert uploads_of(database, filed.number) == [0, 0, 0, 1]
    with database.session_scope() as session:
        entry = session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "application.supplemented_at_counter", AuditEntry.target == filed.number
            )
        )
        assert (entry.actor_kind, entry.actor, entry.address) == ("staff", "window-clerk", "10.0.0.8")
        assert entry.details["round"] == 1


def test_a_counter_supplement_is_checked_like_an_online_one_and_keeps_nothing_when_refused(
    intake, cases, database, tmp_path
):
    filed = intake.file("T-QUAL", applicant(), uuid.uuid4().hex, materials("M01", "M02", "M03"), online())
    cases.waiting = False
    with pytest.raises(NoSupplementAsked, match="当前无需补正材料"):
        intake.supplement_at_counter(filed.number, "window-clerk", materials("M03"))
    cases.waiting = True
    with pytest.raises(SubmissionRefused, match=r"近两年财务审计报告：.*不是 PDF"):
        intake.supplement_at_counter(filed.number, "window-clerk", materials("M03", content=b"not a document"))
    with pytest.raises(SubmissionRefused, match="请至少上传一份补正材料"):
        intake.supplement_at_counter(filed.number, "window-clerk", {})
    cases.refuse_supplement = True
    with pytest.raises(NotWaiting):
        intake.supplement_at_counter(filed.number, "window-clerk", materials("M03"))
    assert uploads_of(database, filed.number) == [0, 0, 0]
    assert len(kept_files(tmp_path)) == 3 and not cases.supplements
    with database.session_scope() as session:
        assert not session.scalar(
            select(AuditEntry).where(AuditEntry.target == filed.number, AuditEntry.actor_kind == "staff")
        )
