"""Deployment of bpmn/ and forms/ through REST: one deployment, duplicates filtered, errors named."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from domain.config import PROJECT_ROOT
from domain.engine.deployment import DeploymentInvalid, check_files, collect_files, deploy

BPMN_DIR = PROJECT_ROOT / "bpmn"
FORMS_DIR = PROJECT_ROOT / "forms"


@pytest.fixture
def project_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of bpmn/ and forms/ to break."""
    bpmn, forms = tmp_path / "bpmn", tmp_path / "forms"
    shutil.copytree(BPMN_DIR, bpmn)
    shutil.copytree(FORMS_DIR, forms)
    return bpmn, forms


def test_every_form_ref_resolves_to_a_form_in_the_deployment():
    check_files(collect_files(BPMN_DIR, FORMS_DIR))


def test_malformed_xml_is_named_before_anything_is_sent(project_copy):
    bpmn, forms = project_copy
    (bpmn / "policy_fulfilment.bpmn").write_text("<bpmn:definitions", encoding="utf-8")
    with pytest.raises(DeploymentInvalid, match=r"policy_fulfilment\.bpmn：XML 格式错误"):
        check_files(collect_files(bpmn, forms))


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "不是有效的 JSON 表单"),
        ('{"id": "x"}', "缺少 components"),
        ('{"components": []}', "缺少 id"),
    ],
)
def test_a_broken_form_is_named(project_copy, content, problem):
    bpmn, forms = project_copy
    (forms / "decide.form").write_text(content, encoding="utf-8")
    with pytest.raises(DeploymentInvalid, match=rf"decide\.form：.*{problem}"):
        check_files(collect_files(bpmn, forms))


def test_a_form_ref_without_its_form_is_named(project_copy):
    bpmn, forms = project_copy
    (forms / "manual_routing.form").unlink()
    with pytest.raises(DeploymentInvalid, match=r"formRef “manual_routing” 找不到对应的表单"):
        check_files(collect_files(bpmn, forms))


def test_no_bpmn_at_all_is_refused(tmp_path):
    with pytest.raises(DeploymentInvalid, match=r"没有 \.bpmn 文件"):
        collect_files(tmp_path, tmp_path)


@pytest.mark.engine
def test_deploying_unchanged_files_twice_deploys_nothing_new(admin):
    files = collect_files(BPMN_DIR, FORMS_DIR)
    deploy(admin, files)
    before = admin.get("/deployment/count")["count"]
    again = deploy(admin, files)
    assert not again.created
    assert "没有变化" in again.describe()
    assert admin.get("/deployment/count")["count"] == before


@pytest.mark.engine
def test_all_files_go_in_one_deployment(admin, project_copy):
    bpmn, forms = project_copy
    form = json.loads((forms / "decide.form").read_text(encoding="utf-8"))
    form["components"][0]["text"] += "\n（修订）"
    (forms / "decide.form").write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")

    files = collect_files(bpmn, forms)
    result = deploy(admin, files)

    assert result.created
    names = {r["name"] for r in admin.get(f"/deployment/{result.deployment_id}/resources")}
    assert names == {path.name for path in files}
    assert {"policy_fulfilment.bpmn", "deadline_extension.bpmn", "decide.form"} <= names
    deploy(admin, collect_files(BPMN_DIR, FORMS_DIR))  # the real files are the newest again


@pytest.mark.engine
def test_the_engines_parse_error_names_the_file_and_nothing_is_deployed(admin, project_copy):
    bpmn, forms = project_copy
    diagram = (bpmn / "policy_fulfilment.bpmn").read_text(encoding="utf-8")
    # An external task without a topic is well-formed XML but not an executable process.
    (bpmn / "policy_fulfilment.bpmn").write_text(
        diagram.replace('camunda:topic="route_application"', ""), encoding="utf-8"
    )
    before = admin.get("/deployment/count")["count"]

    with pytest.raises(DeploymentInvalid) as refused:
        deploy(admin, collect_files(bpmn, forms))

    message = str(refused.value)
    assert "policy_fulfilment.bpmn" in message
    assert "route_application" in message
    assert "未部署任何文件" in message
    assert admin.get("/deployment/count")["count"] == before


@pytest.mark.engine
def test_the_deploy_command_exits_non_zero_with_the_message(engine_settings, project_copy):
    bpmn, forms = project_copy
    (bpmn / "policy_fulfilment.bpmn").write_text("<broken", encoding="utf-8")
    env = {**os.environ, "CAMUNDA_URL": engine_settings.url}
    result = subprocess.run(
        [sys.executable, "-m", "domain", "deploy", "--bpmn-dir", str(bpmn), "--forms-dir", str(forms)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "policy_fulfilment.bpmn：XML 格式错误" in result.stderr
    assert "Traceback" not in result.stderr
