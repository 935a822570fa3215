"""Five simultaneous submits of one application start exactly one case (issue 11, item 8)."""

from __future__ import annotations

import io
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from domain.applications.intake import Filer
from domain.applications.submission import ApplicantDetails
from tests.webui.test_applications import PDF

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("workers")]


def materials() -> dict:
    return {code: (f"{code}.pdf", io.BytesIO(PDF)) for code in ("M01", "M02", "M03")}


def test_five_simultaneous_submits_make_one_application_and_one_case(app, admin, engine_settings):
    intake = app.extensions["huiqi"].intake
    token = uuid.uuid4().hex
    applicant = ApplicantDetails("91350100M000100Y43", "并发测试有限公司", "张三", "13800000000")
    filer = Filer("online", "91350100M000100Y43", "enterprise")
    with ThreadPoolExecutor(5) as pool:
        filed = list(pool.map(lambda _: intake.file("T-QUAL", applicant, token, materials(), filer), range(5)))
    numbers = {f.number for f in filed}
    assert len(numbers) == 1
    assert sum(f.created for f in filed) == 1
    assert all(f.started for f in filed)
    assert len(admin.get("/history/process-instance", processInstanceBusinessKey=numbers.pop())) == 1
