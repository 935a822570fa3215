"""Filing an application from a web form — online by the enterprise, or at the window on its behalf (代办)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import request
from werkzeug.datastructures import FileStorage

from domain.applications.models import Application
from domain.applications.storage import UploadRejected
from domain.applications.submission import (
    ApplicantDetails,
    ApplicationService,
    MaterialFile,
    Submission,
    SubmissionRefused,
)
from domain.audit.services import audit
from domain.engine import EngineError
from domain.policies.models import Policy
from domain.policies.services import PolicyService
from webui.context import client_address, resources

TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Filed:
    number: str
    created: bool
    started: bool
    problem: str = ""


def stored_files(policy: Policy, files: dict[str, FileStorage]) -> tuple[list[MaterialFile], list[str]]:
    """Keep every uploaded material file; (kept files, problems). Nothing is kept when there is a problem."""
    kept, problems = [], []
    for material in policy.materials:
        upload = files.get(f"material_{material.code}")
        if upload is None or not upload.filename:
            continue
        try:
            stored = resources().uploads.save(upload.stream, upload.filename)
        except UploadRejected as exc:
            problems.append(f"{material.name}：{exc}")
        else:
            kept.append(MaterialFile(material.code, upload.filename, stored))
    if problems:
        discard(kept)
        kept = []
    return kept, problems


def discard(files: list[MaterialFile]) -> None:
    for file in files:
        resources().uploads.path(file.stored.stored_name).unlink(missing_ok=True)


def file_application(
    policy_code: str, applicant: ApplicantDetails, token: str, channel: str, submitted_by: str, actor_kind: str
) -> Filed:
    """Store the application and start its case; raise SubmissionRefused naming every problem."""
    if not TOKEN.match(token):
        raise SubmissionRefused("表单已失效，请重新打开申报页面。")
    database = resources().database
    with database.session_scope() as session:
        policy = PolicyService(session).get_published(policy_code)
        files, problems = stored_files(policy, request.files)
        if problems:
            raise SubmissionRefused("\n".join(problems))
        try:
            application, created = ApplicationService(session).submit(
                Submission(policy, applicant, files), token, channel, submitted_by, resources().clock.today()
            )
        except SubmissionRefused:
            discard(files)
            raise
        if created:
            audit(
                session,
                actor_kind,
                submitted_by,
                "application.submitted",
                application.number,
                client_address(),
                policy=policy.code,
                guide_version=policy.version,
                channel=channel,
                files=[f.stored.sha256 for f in files],
            )
        else:
            discard(files)
        number = application.number
    started, problem = start_case(number, submitted_by if actor_kind == "staff" else None)
    return Filed(number, created, started, problem)


def start_case(number: str, intake_by: str | None) -> tuple[bool, str]:
    """Start the application's case if it has none yet; (started, problem in words)."""
    database = resources().database
    with database.session_scope() as session:
        application = session.query(Application).filter_by(number=number).one()
        if application.process_instance_id:
            return True, ""
        codes = sorted({u.material_code for u in application.uploads})
        try:
            application.process_instance_id = resources().cases.start(application, codes, intake_by)
        except EngineError as exc:
            return (
                False,
                f"申请已保存（申报编号 {number}），但暂时无法进入办理流程：{exc}。请稍后在申报详情页重新提交。",
            )
        return True, ""
