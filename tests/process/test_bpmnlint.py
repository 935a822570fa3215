"""bpmnlint (recommended + camunda-compat 7.24) finds nothing in bpmn/: no errors, no warnings."""

import shutil
import subprocess

from domain.config import PROJECT_ROOT

BPMNLINT = PROJECT_ROOT / "node_modules" / ".bin" / "bpmnlint"


def test_bpmnlint_is_clean():
    assert BPMNLINT.exists(), "run `npm ci` (make test does) to install bpmnlint"
    diagrams = sorted(str(p) for p in (PROJECT_ROOT / "bpmn").glob("*.bpmn"))
    assert diagrams
    result = subprocess.run(
        [shutil.which("node") or "node", str(BPMNLINT), *diagrams],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout
