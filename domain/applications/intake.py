"""Intake: file an application with its materials and start its case (R1), take a supplement online or at the
window's counter (R2, R5).

Files come in as plain data — material code → (the name the user gave, a binary stream) — never as a
web framework's request. No engine call is made while a database transaction is open: read and close,
store the files and ask the engine, then write in a new transaction (SQLite's BEGIN IMMEDIATE holds the
write lock for as long as a transaction is open).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.exc import IntegrityError

from domain.applications.models import Application
from domain.applications.storage import UploadRejected, UploadStore
from domain.applications.submission import (
    ApplicantDetails,
    ApplicationNotFound,
    ApplicationService,
    MaterialFile,
    Submission,
    SubmissionRefused,
)
from domain.audit.services import audit
from domain.cases import NewCase
from domain.clock import CHINA, BusinessClock
from domain.db import Database
from domain.engine import EngineError
from domain.engine.cases import CaseGateway, NotWaiting
from domain.enterprises.visibility import Reader, viewer
from domain.policies.models import Policy
from domain.policies.services import PolicyService

log = logging.getLogger("huiqi.intake")
TOKEN = re.compile(r"^[0-9a-f]{32}$")

MaterialUploads = Mapping[str, tuple[str, BinaryIO]]
"""The files given with a form: material code → (the file's name as the user gave it, its content)."""


class NoSupplementAsked(Exception):
    """The case does not wait for a supplement now (or its policy is no longer published)."""


@dataclass(frozen=True)
class Filer:
    """Who files an application or a supplement, and from where: the enterprise online, or the window for it."""

    channel: str  # online / window
    submitted_by: str  # the enterprise's credit code, or the clerk's user id
    actor_kind: str  # enterprise / staff
    address: str | None = None
    enterprise_id: int | None = None  # the account filing online (an unbound account sees only these)

    @property
    def intake_by(self) -> str | None:
        """The clerk who took the application in at the window, if one did."""
        return self.submitted_by if self.actor_kind == "staff" else None


@dataclass(frozen=True)
class Filed:
    """An application as filed: its number, whether this submit made it, whether its case runs, and why not."""

    number: str
    created: bool
    started: bool
    problem: str = ""


class Intake:
    def __init__(
        self,
        database: Database,
        uploads: UploadStore,
        cases: CaseGateway,
        clock: BusinessClock,
        daily_quota_bytes: int = 200 * 1024 * 1024,
    ) -> None:
        self.database = database
        self.uploads = uploads
        self.cases = cases
        self.clock = clock
        self.daily_quota_bytes = daily_quota_bytes

    def file(
        self, policy_code: str, applicant: ApplicantDetails, token: str, files: MaterialUploads, filer: Filer,
        published: Policy | None = None,
    ) -> Filed:  # fmt: skip
        """Store the application with its files, then start its case; return what was filed.

        Raise SubmissionRefused naming every problem (nothing is kept then), or PolicyNotFound when the
        policy is not published. A second submit with the same form token returns the first application.
        A case the engine could not start is no refusal: Filed.problem says so, in words.
        ``published``: the policy as the caller has just read it (materials loaded), not to be read again.
        """
        if not TOKEN.match(token):
            raise SubmissionRefused("表单已失效，请重新打开申报页面。")
        policy = published
        if policy is None:
            with self.database.session_scope() as session:
                policy = PolicyService(session).get_published(policy_code)
        kept = self.store(policy, files)
        try:
            number, made = self._record(policy, applicant, token, kept, filer)
        except BaseException:
            self.discard(kept)
            raise
        if made is None:
            self.discard(kept)
            started, problem = self.start_case(number, filer.intake_by)
        else:  # filed with the start of its case claimed: never asked of the engine before
            started, problem = self._start(number, *made, first=True)
        return Filed(number, made is not None, started, problem)

    def _record(
        self, policy: Policy, applicant: ApplicantDetails, token: str, kept: list[MaterialFile], filer: Filer
    ) -> tuple[str, tuple[NewCase, str] | None]:
        """Within the enterprise's daily upload quota, write the application (and its audit entry) once per form
        token, with the start of its case claimed; (its number, and if this made it: its case and the claim)."""
        try:
            with self.database.session_scope() as session:
                applications = ApplicationService(session)
                self._within_quota(applications, applicant.credit_code, kept)
                application, created = applications.submit(
                    Submission(policy, applicant, kept),
                    token,
                    filer.channel,
                    filer.submitted_by,
                    self.clock.today(),
                    filer.enterprise_id if filer.actor_kind == "enterprise" else None,
                    claim_start=True,
                )
                if not created:
                    return application.number, None
                audit(
                    session,
                    filer.actor_kind,
                    filer.submitted_by,
                    "application.submitted",
                    application.number,
                    filer.address,
                    policy=policy.code,
                    guide_version=policy.version,
                    channel=filer.channel,
                    files=[f.stored.sha256 for f in kept],
                )
                return application.number, (application.new_case(filer.intake_by), application.process_instance_id)
        except IntegrityError:  # the same form submitted at the same moment elsewhere: the unique token decided
            with self.database.session_scope() as session:
                return ApplicationService(session).by_token(token).number, None

    def start_case(self, number: str, intake_by: str | None, take_over: bool = False) -> tuple[bool, str]:
        """Start the application's case if it has none yet; return (started, the problem in words).

        Raise ApplicationNotFound when there is no application with this number.
        """
        with self.database.session_scope() as session:
            applications = ApplicationService(session)
            application = applications.by_number(number)
            if application is None:
                raise ApplicationNotFound(number)
            new_case = application.new_case(intake_by)
            claim = applications.claim_start(number, take_over)  # compare-and-set: one start, whoever asks
        if claim is None:
            return True, ""  # started, or being started by a simultaneous submit
        return self._start(number, new_case, claim)

    def _start(self, number: str, new_case: NewCase, claim: str, first: bool = False) -> tuple[bool, str]:
        """Start the case under this claim, no transaction open; give the claim back if the engine fails.
        ``first``: never asked of the engine before (filed with the claim): no earlier case to look for."""
        try:
            instance_id = self.cases.start(new_case, first=first)
        except EngineError as exc:
            # The engine's address and accounts go to the log, never to the enterprise (issue 11).
            log.error("申报 %s 未能进入办理流程：%s", number, exc)
            with self.database.session_scope() as session:
                ApplicationService(session).release_start(number, claim)
            return (
                False,
                f"申请已保存（申报编号 {number}），但暂时无法进入办理流程：系统暂时无法办理，"
                "请稍后在申报详情页重新提交。",
            )
        with self.database.session_scope() as session:
            ApplicationService(session).record_case(number, instance_id)
        return True, ""

    def supplement(self, number: str, who: Reader, files: MaterialUploads, address: str | None = None) -> int:
        """Keep the enterprise's supplemented files as the next round and tell its case; return the round.

        ``who``: the account (or credit code) supplementing; an account supplements only what it sees.
        Raise ApplicationNotFound (not an application this account sees), NoSupplementAsked, SubmissionRefused
        (every problem with the files, or past the enterprise's daily upload quota), or NotWaiting / EngineError
        when the case did not take the supplement. Whenever it raises, no file and no upload row of this
        supplement is kept.
        """
        with self.database.session_scope() as session:
            application = ApplicationService(session).get_for(number, who)
        credit_code = viewer(who).credit_code
        return self._supplement(application, files, Filer("online", credit_code, "enterprise", address))

    def supplement_at_counter(
        self, number: str, clerk_user_id: str, files: MaterialUploads, address: str | None = None
    ) -> int:
        """Keep the materials an enterprise brought to the window as the next round and tell its case, exactly
        as an online supplement does (R2, R5); return the round.

        The window acts for any enterprise. The file checks apply; the enterprise's daily upload quota does
        not: it limits what an account uploads by itself, and here a clerk scans papers handed over in person.
        Raise ApplicationNotFound (no application with this number), and otherwise as ``supplement`` does.
        """
        with self.database.session_scope() as session:
            application = ApplicationService(session).by_number(number)
        if application is None:
            raise ApplicationNotFound(number)
        return self._supplement(application, files, Filer("window", clerk_user_id, "staff", address))

    def _supplement(self, application: Application, files: MaterialUploads, actor: Filer) -> int:
        """Store the files as the application's next round, correlate the supplement, audit it; see ``supplement``.

        The enterprise's own uploads count against its daily quota; the window's (actor_kind staff) do not.
        """
        number, by_enterprise = application.number, actor.actor_kind == "enterprise"
        with self.database.session_scope() as session:
            policy = PolicyService(session).find_published(application.policy_code)
        if policy is None or not self.cases.waits_for_supplement(application.process_instance_id):
            raise NoSupplementAsked("当前无需补正材料。")
        kept = self.store(policy, files)
        if by_enterprise:
            with self.database.session_scope() as session:
                self._within_quota(ApplicationService(session), actor.submitted_by, kept)
        try:
            with self.database.session_scope() as session:
                round_ = ApplicationService(session).add_supplement(
                    application, kept, {m.code: m.name for m in policy.materials}
                )
        except BaseException:
            self.discard(kept)
            raise
        try:
            self.cases.supplement(number, round_, [f.material_code for f in kept])
        except (NotWaiting, EngineError):
            with self.database.session_scope() as session:
                ApplicationService(session).remove_round(application.id, round_)
            self.discard(kept)
            raise
        with self.database.session_scope() as session:
            audit(
                session,
                actor.actor_kind,
                actor.submitted_by,
                "application.supplemented" if by_enterprise else "application.supplemented_at_counter",
                number,
                actor.address,
                round=round_,
                files=[f.stored.sha256 for f in kept],
            )
        return round_

    def _within_quota(self, applications: ApplicationService, credit_code: str, kept: list[MaterialFile]) -> None:
        """Refuse (and discard the files) past the enterprise's upload quota of the day (abuse limit)."""
        since = dt.datetime.combine(self.clock.today(), dt.time(), tzinfo=CHINA)
        used = applications.uploaded_bytes_since(credit_code, since)
        if used + sum(f.stored.size for f in kept) > self.daily_quota_bytes:
            self.discard(kept)
            quota = self.daily_quota_bytes // (1024 * 1024)
            raise SubmissionRefused(f"今日上传的材料已超过每家企业每天 {quota} MB 的上限，请明天再提交，或到专窗办理。")

    def store(self, policy: Policy, files: MaterialUploads) -> list[MaterialFile]:
        """Keep every given file of the policy's materials and return them.

        Raise SubmissionRefused naming every rejected file; then none of the files is kept.
        """
        kept, problems = [], []
        for material in policy.materials:
            original_name, stream = files.get(material.code, ("", None))
            if not original_name or stream is None:
                continue
            try:
                stored = self.uploads.save(stream, original_name)
            except UploadRejected as exc:
                problems.append(f"{material.name}：{exc}")
            else:
                kept.append(MaterialFile(material.code, original_name, stored))
        if problems:
            self.discard(kept)
            raise SubmissionRefused("\n".join(problems))
        return kept

    def discard(self, files: list[MaterialFile]) -> None:
        """Delete these stored files (they were kept for a submit that did not happen)."""
        for file in files:
            self.uploads.path(file.stored.stored_name).unlink(missing_ok=True)
