"""Applying online (R1, R2): materials checked by content and size, refused with every reason, filed once."""

from __future__ import annotations

import io

import pytest

from tests.webui.conftest import TOKEN

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def apply_form(browser, code: str) -> tuple[str, str]:
    """Open the apply page; (its CSRF token, its one-time form token)."""
    text = browser.text(f"/policies/{code}/apply")
    csrf = TOKEN.search(text).group(1)
    token = text.split('name="token" value="')[1].split('"')[0]
    return csrf, token


def files(codes=("M01", "M02", "M03"), content=PDF) -> dict:
    return {f"material_{code}": (io.BytesIO(content), f"材料{code}.pdf") for code in codes}


def post_application(browser, code: str, materials: dict, token: str | None = None, **fields):
    csrf, fresh = apply_form(browser, code)
    data = {
        "csrf_token": csrf,
        "token": token or fresh,
        "contact_name": "张三",
        "phone": "13800000000",
        "summary": "申请说明",
        **fields,
        **materials,
    }
    return browser.client.post(f"/policies/{code}/apply", data=data, content_type="multipart/form-data")


def test_applying_needs_a_login(client):
    answer = client.get("/policies/T-QUAL/apply")
    assert answer.status_code == 302 and "/account/login" in answer.headers["Location"]


def test_the_apply_page_lists_every_material_of_the_guide(enterprise):
    browser, _ = enterprise
    text = browser.text("/policies/T-QUAL/apply")
    for name in ("惠企政策兑现申请表", "营业执照副本复印件", "近两年财务审计报告"):
        assert name in text
    assert text.count('type="file"') == 3


def test_a_closed_policy_is_refused(enterprise):
    browser, _ = enterprise
    answer = post_application(browser, "T-CLOSED", files())
    assert answer.status_code == 400
    assert "当前不在申报期内" in answer.get_data(as_text=True)


def test_every_missing_material_is_named(enterprise):
    browser, _ = enterprise
    answer = post_application(browser, "T-QUAL", files(codes=("M01",)))
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "缺少材料：营业执照副本复印件" in text and "缺少材料：近两年财务审计报告" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, not a document", "不是 PDF、JPG 或 PNG 文件"),
        (b"", "空文件"),
        (b"MZ\x90\x00" * 8, "不是 PDF"),
    ],
)
def test_a_file_is_judged_by_its_content(enterprise, content, message):
    browser, _ = enterprise
    materials = files()
    materials["material_M02"] = (io.BytesIO(content), "营业执照.pdf")
    answer = post_application(browser, "T-QUAL", materials)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused(enterprise, app):
    browser, _ = enterprise
    app.extensions["huiqi"].uploads.max_bytes = 1024
    materials = files()
    materials["material_M03"] = (io.BytesIO(PDF + b"0" * 2048), "审计报告.pdf")
    answer = post_application(browser, "T-QUAL", materials)
    assert answer.status_code == 400
    assert "超过" in answer.get_data(as_text=True)


def test_a_refused_application_leaves_no_file_behind(enterprise, app, tmp_path):
    browser, _ = enterprise
    post_application(browser, "T-QUAL", files(codes=("M01", "M02")))
    assert not any(p.is_file() for p in (tmp_path / "uploads").rglob("*"))
