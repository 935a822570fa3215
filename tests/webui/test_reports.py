"""The monthly reports (R17) and the yearly assessment (R18) in the web UI: managers and the joint-meeting office
list and download them; enterprises, departments and the window do not."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from domain.clock import CHINA, BusinessClock
from domain.engine.figures import FiguresReader
from domain.timeliness.dashboard import DashboardBuilder
from domain.timeliness.monthly_report import ReportFiles, build_and_file
from domain.timeliness.report_table import NO_CASES, cells, headers, table
from tests.webui.conftest import Browser, signed_up
from tests.webui.test_staff import staff
from webui import create_app

pytestmark = [pytest.mark.engine]
MONTH = "2025-03"  # no test starts a case in it: the report says 本月无受理件
BUSINESS_DATE = dt.date(2026, 9, 28)


@contextmanager
def app_on(monkeypatch: pytest.MonkeyPatch, database_url: str, var_dir: Path, engine_url: str) -> Iterator:
    """The web UI on this database, var directory (where the reports' files are) and engine."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("HUIQI_VAR_DIR", str(var_dir))
    monkeypatch.setenv("CAMUNDA_URL", engine_url)
    monkeypatch.setenv("HUIQI_BUSINESS_DATE", BUSINESS_DATE.isoformat())
    app = create_app({"TESTING": True})
    try:
        yield app
    finally:
        app.extensions["huiqi"].close()


def builder(admin, database, now: dt.datetime) -> DashboardBuilder:
    return DashboardBuilder(FiguresReader(admin), database, now)


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory, admin, database) -> Path:
    """A var directory with the month's report filed in it, as the workers file it."""
    var = tmp_path_factory.mktemp("reports-var")
    now = dt.datetime(2025, 4, 1, 8, 30, tzinfo=CHINA)
    build_and_file(database, ReportFiles(var), builder(admin, database, now), MONTH, "webui-test", now)
    return var


@pytest.fixture
def web(monkeypatch, database, var_dir, engine_settings):
    with app_on(monkeypatch, database.url, var_dir, engine_settings.url) as app:
        yield app


def rows_of(response) -> list[list[str]]:
    assert response.data.startswith("\ufeff".encode()), "UTF-8 with BOM, for Excel"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.mark.parametrize("user", ["manager", "joint-office"])
def test_managers_and_the_office_list_read_and_download_the_reports(web, var_dir, user):
    browser = staff(web, user)
    listing = browser.text("/staff/reports")
    assert "2025年3月" in listing and NO_CASES in listing and "逾期未记录决议" in listing  # due 1 April 2025
    assert NO_CASES in browser.text(f"/staff/reports/{MONTH}")
    pdf = browser.get(f"/staff/reports/{MONTH}/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "attachment" in pdf.headers["Content-Disposition"]
    spreadsheet = browser.get(f"/staff/reports/{MONTH}/report.csv")
    assert spreadsheet.status_code == 200 and spreadsheet.mimetype == "text/csv"
    rows = rows_of(spreadsheet)
    assert rows[0] == headers() and rows[-1] == ["说明", NO_CASES]
    assert browser.get("/staff/reports/2025-04").status_code == 404  # no report of that month
    assert browser.get("/staff/reports/not-a-month/report.pdf").status_code == 404
    assert "联席会议月度报告" in browser.text("/staff/dashboard")  # reached from the dashboard


def test_a_file_changed_on_disk_is_not_served(web, var_dir):
    manager = staff(web, "manager")
    (path,) = (var_dir / "reports" / "monthly").glob(f"{MONTH}-*.csv")
    original = path.read_bytes()
    path.write_bytes(original.replace(b"0", b"9"))
    try:
        assert manager.get(f"/staff/reports/{MONTH}/report.csv").status_code == 404
    finally:
        path.write_bytes(original)
    assert manager.get(f"/staff/reports/{MONTH}/report.csv").status_code == 200


PAGES = [
    "/staff/reports",
    f"/staff/reports/{MONTH}",
    f"/staff/reports/{MONTH}/report.pdf",
    f"/staff/reports/{MONTH}/report.csv",
    "/staff/reports/yearly",
    "/staff/reports/yearly/2026.csv",
]


@pytest.mark.parametrize("user", ["science-reviewer", "window-clerk", "finance-clerk"])
def test_departments_and_the_window_are_refused(web, user):
    browser = staff(web, user)
    for url in PAGES:
        assert browser.get(url).status_code == 403, url


def test_enterprises_and_strangers_are_sent_to_the_staff_login(web, database):
    enterprise, _ = signed_up(web, database, "福兴科技有限公司")
    for browser in (enterprise, Browser(web.test_client())):
        for url in PAGES:
            answer = browser.get(url)
            assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"], url


def test_the_yearly_assessment_is_the_dashboards_year_and_downloads_as_csv(web, admin, database):
    manager = staff(web, "manager")
    page = manager.text("/staff/reports/yearly?year=2026")
    assert "2026 年度办理时效考核" in page and "县工信局" in page and "按时率(%)" in page
    exported = manager.get("/staff/reports/yearly/2026.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    rows = rows_of(exported)
    expected = table(builder(admin, database, BusinessClock(BUSINESS_DATE).now()).build_year(2026))
    assert rows[0] == headers()
    assert rows[1 : len(expected) + 1] == [cells(row) for row in expected]
    assert manager.get("/staff/reports/yearly/1999.csv").status_code == 400
    assert "年份不正确" in manager.text("/staff/reports/yearly?year=1999")
