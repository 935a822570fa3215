"""Public pages (R13, R15): home, catalogue search, 申报指南 with templates, versions, feeds."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


def test_home_page_is_in_chinese_for_phones(browser):
    text = browser.text("/")
    assert "惠企政策兑现“一门式”服务" in text
    assert 'name="viewport"' in text and 'lang="zh-CN"' in text
    assert "/camunda/app/tasklist/" in text


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("keyword=专精特新", "县级专精特新中小企业认定", "高新技术企业认定奖励"),
        ("department=dept-science", "高新技术企业认定奖励", "专精特新"),
        ("kind=funding", "企业吸纳就业社会保险补贴", "县级专精特新中小企业认定"),
        ("level=higher", "省级技术创新示范企业推荐", "高新技术企业认定奖励"),
        ("status=closed", "测试：已截止", "县级专精特新中小企业认定"),
        ("status=open", "县级专精特新中小企业认定", "测试：已截止"),
    ],
)
def test_the_catalogue_filters(browser, query, present, absent):
    text = browser.text(f"/policies?{query}")
    assert present in text
    assert absent not in text


def test_a_guide_shows_conditions_materials_amounts_period_contact_and_payer(browser):
    text = browser.text("/policies/KJ-2026-001")
    for expected in (
        "当年通过国家高新技术企业认定",
        "一次性奖励 20 万元",
        "2026-12-18",
        "县科技局高新股",
        "县财政局会同县科技局拨付专项资金",
        "上年度研发费用专项审计报告",
        "下载模板",
        "在线申报",
    ):
        assert expected in text
    assert "申报中" in text


def test_a_material_template_downloads(client):
    response = client.get("/policies/KJ-2026-001/materials/M01/template")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    assert client.get("/policies/KJ-2026-001/materials/M02/template").status_code == 404


def test_an_earlier_version_of_a_guide_stays_readable(browser):
    text = browser.text("/policies/KJ-2026-001/versions/1")
    assert "第 1 版" in text and "高新技术企业证书" in text
    assert browser.get("/policies/KJ-2026-001/versions/99").status_code == 404


def test_unknown_policy_is_404(client):
    assert client.get("/policies/NO-SUCH").status_code == 404


def test_the_atom_feed_lists_policies_for_display_boards(client):
    response = client.get("/feeds/policies.atom")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert any(t.startswith("高新技术企业认定奖励") for t in titles)
    assert root.find(f"{ATOM}updated").text


def test_the_json_feed_for_the_wechat_account(client):
    response = client.get("/feeds/policies.json")
    feed = json.loads(response.data)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    item = next(i for i in feed["items"] if "高新技术企业认定奖励" in i["title"])
    assert "县科技局" in item["tags"] and "一次性奖励 20 万元" in item["content_text"]


def test_announcements_page_opens(browser):
    assert "公示" in browser.text("/announcements")
