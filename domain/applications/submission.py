"""ApplicationService: file an application with its materials (R1, R2), once per form, and find it again.

An application is refused, with every reason named, when the policy is not open or a required
material is missing. The form's one-time token makes a second submit return the first application.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from domain.applications.models import Application, Upload
from domain.applications.numbering import next_application_number
from domain.applications.storage import StoredFile
from domain.contact import normalise_mobile
from domain.enterprises.visibility import Reader, visible_applications
from domain.policies.models import Policy

STARTING = "starting:"  # process_instance_id while the case is being started (see claim_start)


class SubmissionRefused(Exception):
    """The application cannot be filed; the message lists every problem."""


class ApplicationNotFound(Exception):
    """No such application for this enterprise (never says whether it exists for another)."""


@dataclass(frozen=True)
class ApplicantDetails:
    credit_code: str
    enterprise_name: str
    contact_name: str
    phone: str
    email: str | None = None
    summary: str = ""
    payee_bank: str | None = None
    payee_account: str | None = None


@dataclass(frozen=True)
class MaterialFile:
    material_code: str
    original_name: str
    stored: StoredFile


@dataclass
class Submission:
    policy: Policy
    applicant: ApplicantDetails
    files: list[MaterialFile] = field(default_factory=list)


class ApplicationService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def submit(
        self,
        submission: Submission,
        token: str,
        channel: str,
        submitted_by: str,
        today: dt.date,
        filed_by_enterprise_id: int | None = None,
        claim_start: bool = False,
    ) -> tuple[Application, bool]:
        """File the application; (it, True), or (the one filed with this token before, False).

        ``filed_by_enterprise_id``: the account that files online (what an unbound account may see).
        ``claim_start``: file it with the start of its case claimed for the caller (see :meth:`claim_start`;
        the claim is its ``process_instance_id``): nobody else starts a case filed this way, and no start of it
        was ever asked of the engine before.
        """
        earlier = self.session.scalar(select(Application).where(Application.submit_token == token))
        if earlier is not None:
            return earlier, False
        policy = submission.policy
        problems = []
        if not policy.is_open_on(today):
            problems.append(f"“{policy.name}”当前不在申报期内（{period_text(policy)}）。")
        given = {f.material_code for f in submission.files}
        problems += [f"缺少材料：{m.name}。" for m in policy.materials if m.code not in given]
        details = submission.applicant
        try:
            phone = normalise_mobile(details.phone)  # the case's notices go to this number by SMS (R12)
        except ValueError as exc:
            problems.append(str(exc))
        if problems:
            raise SubmissionRefused("\n".join(problems))
        names = {m.code: m.name for m in policy.materials}
        application = Application(
            number=next_application_number(self.session, today),
            submit_token=token,
            credit_code=details.credit_code,
            enterprise_name=details.enterprise_name,
            contact_name=details.contact_name,
            phone=phone,
            email=details.email,
            policy_code=policy.code,
            guide_version=policy.version,
            summary=details.summary,
            payee_bank=details.payee_bank,
            payee_account=details.payee_account,
            channel=channel,
            submitted_by=submitted_by,
            filed_by_enterprise_id=filed_by_enterprise_id,
            process_instance_id=new_claim() if claim_start else None,
        )
        application.uploads = [upload(f, names.get(f.material_code, f.material_code), 0) for f in submission.files]
        self.session.add(application)
        self.session.flush()
        return application, True

    def add_supplement(self, application: Application, files: list[MaterialFile], names: dict[str, str]) -> int:
        """Keep the supplemented files as the next round; return the round number, or raise SubmissionRefused."""
        if not files:
            raise SubmissionRefused("请至少上传一份补正材料。")
        round_ = (
            self.session.scalar(select(func.max(Upload.round)).where(Upload.application_id == application.id)) or 0
        ) + 1
        for file in files:
            self.session.add(
                upload(file, names.get(file.material_code, file.material_code), round_, application_id=application.id)
            )
        self.session.flush()
        return round_

    def of_enterprise(self, who: Reader) -> list[Application]:
        """Return the applications this account (or credit code) sees, newest first (visibility.py)."""
        return list(
            self.session.scalars(select(Application).where(visible_applications(who)).order_by(Application.id.desc()))
        )

    def get_for(self, number: str, who: Reader) -> Application:
        """The application with this number if this account (or credit code) sees it, or ApplicationNotFound."""
        application = self.session.scalar(
            select(Application)
            .where(Application.number == number, visible_applications(who))
            .options(selectinload(Application.uploads))
        )
        if application is None:
            raise ApplicationNotFound(number)
        return application

    def by_number(self, number: str) -> Application | None:
        """Return the application with this number (its uploads loaded), or None."""
        return self.session.scalar(
            select(Application).where(Application.number == number).options(selectinload(Application.uploads))
        )

    def uploaded_bytes_since(self, credit_code: str, since: dt.datetime) -> int:
        """How much the enterprise has uploaded since that moment, over all its applications."""
        total = self.session.scalar(
            select(func.sum(Upload.size))
            .join(Application, Upload.application_id == Application.id)
            .where(Application.credit_code == credit_code, Upload.uploaded_at >= since)
        )
        return int(total or 0)

    def by_token(self, token: str) -> Application:
        """The application filed with this one-time form token (it must exist)."""
        return self.session.scalars(select(Application).where(Application.submit_token == token)).one()

    def claim_start(self, number: str, take_over: bool = False) -> str | None:
        """Mark the application's case as being started, if nobody has; return the claim, or None.

        A compare-and-set in the database (not check-then-act): of simultaneous submits exactly one
        starts the case. ``take_over``: an explicit retry may take a claim left by a crash (the start
        itself looks the case up by its number first, so a case is still started once).
        """
        claim = new_claim()
        free = Application.process_instance_id.is_(None)
        if take_over:
            free = free | Application.process_instance_id.startswith(STARTING)
        taken = self.session.execute(
            update(Application).where(Application.number == number, free).values(process_instance_id=claim)
        ).rowcount
        return claim if taken else None

    def release_start(self, number: str, claim: str) -> None:
        """Give up a claim whose start failed, so that a later retry can start the case."""
        self.session.execute(
            update(Application)
            .where(Application.number == number, Application.process_instance_id == claim)
            .values(process_instance_id=None)
        )

    def record_case(self, number: str, process_instance_id: str) -> None:
        """Note the case started for the application with this number, or raise ApplicationNotFound."""
        recorded = self.session.execute(
            update(Application).where(Application.number == number).values(process_instance_id=process_instance_id)
        ).rowcount
        if not recorded:
            raise ApplicationNotFound(number)

    def remove_round(self, application_id: int, round_: int) -> list[str]:
        """Delete the upload rows of this supplement round (the case did not take it); return their stored names."""
        uploads = list(
            self.session.scalars(select(Upload).where(Upload.application_id == application_id, Upload.round == round_))
        )
        for row in uploads:
            self.session.delete(row)
        self.session.flush()
        return [row.stored_name for row in uploads]

    def search(self, text: str, limit: int = 100) -> list[Application]:
        """Staff search over every application: number, enterprise name or credit code, policy code."""
        pattern = f"%{text.strip()}%"
        query = select(Application).order_by(Application.id.desc()).limit(limit)
        if text.strip():
            query = query.where(
                or_(
                    Application.number.ilike(pattern),
                    Application.enterprise_name.ilike(pattern),
                    Application.credit_code.ilike(pattern),
                    Application.policy_code.ilike(pattern),
                )
            )
        return list(self.session.scalars(query))


def new_claim() -> str:
    """A claim on the start of an application's case: its ``process_instance_id`` until the case is started."""
    return f"{STARTING}{uuid.uuid4().hex}"


def upload(file: MaterialFile, material_name: str, round_: int, **extra) -> Upload:
    return Upload(
        material_code=file.material_code,
        material_name=material_name,
        original_name=file.original_name[:255],
        stored_name=file.stored.stored_name,
        content_type=file.stored.content_type,
        size=file.stored.size,
        sha256=file.stored.sha256,
        round=round_,
        **extra,
    )


def period_text(policy: Policy) -> str:
    start = f"{policy.application_start:%Y年%m月%d日}" if policy.application_start else "即日"
    end = f"{policy.application_deadline:%Y年%m月%d日}" if policy.application_deadline else "常年受理"
    return f"{start}起至{end}" if policy.application_deadline else f"{start}起，常年受理"
