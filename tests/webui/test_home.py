"""The home page."""


def test_home_page_is_in_chinese_and_links_to_tasklist(client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "惠企政策兑现“一门式”服务" in text
    assert "/camunda/app/tasklist/" in text
    assert 'name="viewport"' in text


def test_the_secret_key_is_random_and_kept(app, tmp_path):
    key = (tmp_path / "webui-secret-key").read_text()
    assert len(key) == 64
    assert app.secret_key == key
