"""The engine's vocabulary, in one place: process keys, message names, the variables code reads or writes (the
monthly report's beside its process), the case reference shared by notices, documents and fulfilment, and a
case's typed facts. Nothing else in the code writes a process key or a message name as a string (a test checks
it); every variable a worker reads or returns is declared in :data:`VARIABLES` (the worker refuses an undeclared
one, so a typo fails loudly instead of reading ``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.timeliness.report_vocabulary import REPORT_VARIABLES

PROCESS_KEY = "policy_fulfilment"  # bpmn/policy_fulfilment.bpmn: one case of one application
EXTENSION_PROCESS_KEY = "deadline_extension"  # bpmn/deadline_extension.bpmn: R11, started in Tasklist
REPORT_PROCESS_KEY = "monthly_report"  # bpmn/monthly_report.bpmn: R17, the joint meeting's month (timer)
PROCESS_KEYS = (PROCESS_KEY, EXTENSION_PROCESS_KEY, REPORT_PROCESS_KEY)


class Message(StrEnum):
    """Messages the process waits for; every one is correlated by ``applicationNumber``."""

    MATERIALS_SUPPLEMENTED = "materials_supplemented"  # the enterprise's supplement (R2, R5), web UI
    OBJECTION_RAISED = "objection_raised"  # an objection during 公示 (R20), web UI
    PAYMENT_CONFIRMED = "payment_confirmed"  # the bank's arrival of funds (R9, R19)
    MUNICIPAL_RESULT_RECEIVED = "municipal_result_received"  # the city's answer (R10)


CORRELATION_KEY = "applicationNumber"

# Every process variable the Python code reads or writes, with what it means. Form fields that only
# the BPMN reads (gateway conditions) need not be here.
VARIABLES: dict[str, str] = {
    # the application (start form, web UI)
    "applicationNumber": "申报编号（业务键）",
    "enterpriseName": "申报企业名称",
    "creditCode": "统一社会信用代码",
    "policyCode": "政策编码",
    "guideVersion": "申报指南版本",
    "contactName": "联系人",
    "contactPhone": "联系电话",
    "contactEmail": "电子邮箱",
    "applicationSummary": "申请事项摘要",
    "payeeBank": "收款开户银行",
    "payeeAccount": "收款账号",
    "submissionChannel": "提交渠道（online/window）",
    "intakeBy": "代办的专窗人员",
    "providedMaterials": "已收到的材料编码（Json）",
    # acceptance (R1, R2)
    "acceptanceDate": "受理日期",
    "acceptanceNote": "受理审查提示",
    "acceptanceProblem": "不予受理的理由",
    "acceptanceDecision": "专窗受理结论（accept/refuse）",
    "acceptanceCheckDue": "受理审查期限",
    "refusalReason": "专窗不予受理的理由",
    "acceptanceRefused": "专窗是否不予受理",
    "requiredMaterials": "申报指南要求的材料（Json）",
    "materialsComplete": "材料是否齐全",
    "missingMaterials": "缺少的材料（Json）",
    "supplementDue": "补正期限",
    "supplementRound": "补正轮次",
    "supplementContactDue": "专窗联系企业的日期（补正期满前）",
    "contactRecord": "专窗联系企业的情况",
    "supplementDecision": "补正期限处理（extend/withdraw）",
    "extraWorkingDays": "延长补正的工作日数",
    "supplementedRound": "企业补正的上传轮次",
    "supplementedMaterials": "企业补正的材料编码（Json）",
    # routing and preliminary review (R3–R5)
    "policyName": "政策名称",
    "policyKind": "政策类型（qualification/funding）",
    "policyLevel": "兑现层级（county/higher）",
    "needsSiteInspection": "是否需要现场核查",
    "needsExpertReview": "是否需要专家评审",
    "departmentGroup": "负责部门（用户组）",
    "departmentName": "负责部门名称",
    "routingDue": "分流期限（R3）",
    "routingChoice": "人工分流结果（route/refuse）",
    "routedPolicyCode": "人工分流确定的政策编码",
    "routingRefusal": "人工分流不予受理的理由",
    "routingNote": "分流说明",
    "preliminaryReviewDue": "初步审查期限（R4）",
    "preliminaryOpinion": "初审意见",
    "correctionGuidance": "补正指导",
    "correctionDue": "补正期限（R5）",
    "correctionRound": "补正轮次（R5）",
    # substantive review and decision (R6, R7)
    "decisionDue": "审查决定期限（R6/R7）",
    "expertPanel": "专家组（Json）",
    "expertSummary": "专家评审汇总",
    "expertsRecommend": "多数专家是否建议通过",
    "expertAverageScore": "专家平均分",
    "decision": "审查结果（approved/rejected）",
    "decisionOpinion": "审查意见",
    "decisionDate": "作出审查结果的日期",
    "approvedAmount": "核定金额（元）",
    # fulfilment (R8–R10, R19, R20)
    "fulfilmentDue": "兑现期限（R8/R9/R10）",
    "recognitionTitle": "认定文件标题",
    "recognitionRemarks": "认定文件附注",
    "recognitionDocument": "认定文件文号",
    "announcementRound": "公示轮次",
    "objectionPeriodEnds": "公示期截止",
    "objectorName": "异议人",
    "objectorContact": "异议人联系方式",
    "objectionText": "异议内容",
    "objectionUpheld": "异议是否成立（upheld/dismissed）",
    "objectionResolution": "异议处理意见",
    "objectionHandlingDue": "异议处理期限",
    "disbursementDue": "财政审核拨付期限",
    "disbursedAmount": "拨付金额（元）",
    "paymentOrderId": "支付指令编号",
    "paymentOrderReference": "拨付通知书文号",
    "bankReference": "银行流水号",
    "paymentConfirmedAt": "到账时间",
    "arrivalDue": "登记资金到账的期限",
    "arrivedOn": "到账日期（银行回单）",
    "arrivalMatches": "到账金额与支付指令是否相符",
    "reconcileDue": "核对到账金额的期限",
    "reconciledAmount": "核实的到账金额（元）",
    "reconciliationNote": "到账金额核对说明",
    "confirmedAmount": "到账金额（元）",
    "confirmationSource": "到账登记来源（tasklist/callback）",
    "municipalDepartment": "市级主管部门",
    "reportSummary": "上报材料摘要",
    "municipalReportStatus": "上报状态",
    "municipalOpinion": "市级审查意见",
    "municipalResult": "市级审查结果（approved/rejected）",
    "municipalDocumentNumber": "市级文件文号",
    "municipalAmount": "市级核定金额（元）",
    "municipalPayer": "资金支付方（county/municipal）",
    "followUpReminders": "已提醒跟踪次数",
    "municipalFollowUpDue": "下次提醒跟踪市级审查的时间",
    "municipalAnswerDue": "市级审查结果的督办期限",
    # unified feedback (R12)
    "outcome": "办理结果代码",
    "outcomeText": "办理结果",
    "resultNotice": "书面结果通知",
    "resultNoticeReference": "书面结果通知文号",
    "feedbackDue": "反馈期限",
    "feedbackId": "反馈记录编号",
    # deadlines (R3–R11): how each deadline variable was counted, for counting again on an official calendar
    "deadlineBasis": "期限计算依据（Json：变量 → 起算日与工作日数）",
    "provisionalDeadlines": "暂按法定节假日计算的期限（以空格分隔的变量名）",
    # supervision (R18)
    "overdueSummary": "超期任务摘要",
    "overdueTask": "超期的任务（环节编码）",
    "supervisionDue": "督办期限",
    "supervisionOpinion": "督办意见",
    # deadline extension (R11)
    "requestedBy": "延期申请人",
    "approvedWorkingDays": "批准延长的工作日",
    "caseInstanceId": "被延期办件的流程实例",
    "currentDeadlines": "当前期限（文字）",
    "deadlinesToExtend": "待延长的期限（Json）",
    "extensionDecisionDue": "延期审批期限",
    "extensionResultDue": "查阅延期结果的期限",
    "extensionResultText": "延期结果说明",
    "meetingResolution": "联席会议纪要或决定文号",
    "meetingDate": "联席会议日期",
} | REPORT_VARIABLES  # the joint meeting's month (R17, bpmn/monthly_report.bpmn): declared beside its process


class UnknownVariable(LookupError):
    """Code asked for a process variable that the vocabulary does not declare (a programming error)."""


def declared(name: str) -> str:
    """Return the name if it is a declared process variable, else raise UnknownVariable."""
    if name not in VARIABLES:
        raise UnknownVariable(f"流程变量 {name} 未在 domain/cases.py 的 VARIABLES 中声明")
    return name


# The steps an enterprise sees on its timeline (activity id → the words it reads).
VISIBLE_STEPS = {
    "application_received": "提交申请",
    "check_completeness": "专窗受理审查",
    "await_supplement": "等待企业补正材料",
    "contact_enterprise": "专窗联系企业确认补正",
    "supplement_received": "企业已补正材料",
    "preliminary_review": "部门初步审查",
    "await_correction": "等待企业补正材料",
    "correction_received": "企业已补正材料",
    "site_inspection": "现场核查",
    "expert_review#multiInstanceBody": "专家评审",
    "decide": "作出审查结果",
    "issue_recognition": "签发认定文件",
    "await_objection": "公示期",
    "approve_disbursement": "财政审核拨付",
    "record_funds_arrival": "县财政局登记资金到账",
    "payment_confirmed": "资金到账",
    "reconcile_arrival": "核对到账金额",
    "report_to_municipal": "上报市级主管部门",
    "track_municipal_review": "市级审查",
    "confirm_feedback": "专窗统一反馈",
    "case_closed": "办结",
}


@dataclass(frozen=True)
class CaseRef:
    """The case a record is about: its process instance and its application number (申报编号)."""

    process_instance_id: str
    application_number: str


@dataclass(frozen=True)
class CaseFacts:
    """What every stage knows of a case, read from its process variables."""

    ref: CaseRef
    enterprise_name: str | None
    credit_code: str | None
    policy_code: str | None
    policy_name: str | None
    department_group: str | None
    department_name: str | None
    contact_email: str | None
    contact_phone: str | None
    values: dict[str, Any]

    @classmethod
    def from_variables(cls, process_instance_id: str, business_key: str | None, values: dict[str, Any]) -> CaseFacts:
        number = values.get("applicationNumber") or business_key or process_instance_id
        return cls(
            ref=CaseRef(process_instance_id, number),
            enterprise_name=values.get("enterpriseName"),
            credit_code=values.get("creditCode"),
            policy_code=values.get("policyCode"),
            policy_name=values.get("policyName") or values.get("policyCode"),
            department_group=values.get("departmentGroup"),
            department_name=values.get("departmentName"),
            contact_email=values.get("contactEmail"),
            contact_phone=values.get("contactPhone"),
            values=values,
        )

    @property
    def application_number(self) -> str:
        return self.ref.application_number

    def get(self, name: str, default: Any = None) -> Any:
        """A declared variable's value, or ``default`` when the case has none."""
        value = self.values.get(declared(name))
        return default if value is None else value

    def require(self, name: str) -> Any:
        """A declared variable's value, or raise MissingFact naming it."""
        value = self.values.get(declared(name))
        if value is None:
            raise MissingFact(f"流程变量 {name} 缺失（申报编号 {self.application_number}）")
        return value


class MissingFact(LookupError):
    """The case lacks a variable this stage needs (the process did not provide it)."""


@dataclass(frozen=True)
class NewCase:
    """What starting a case needs: the application as filed (online or at the window), as plain data."""

    application_number: str
    enterprise_name: str
    credit_code: str
    policy_code: str
    guide_version: int | None
    contact_name: str
    contact_phone: str
    contact_email: str | None
    summary: str
    payee_bank: str | None
    payee_account: str | None
    channel: str
    material_codes: tuple[str, ...] = ()
    intake_by: str | None = None

    def variables(self) -> dict[str, Any]:
        """The start variables, by their declared names; None values are left out."""
        values = {
            "applicationNumber": self.application_number,
            "enterpriseName": self.enterprise_name,
            "creditCode": self.credit_code,
            "policyCode": self.policy_code,
            "guideVersion": self.guide_version,
            "contactName": self.contact_name,
            "contactPhone": self.contact_phone,
            "contactEmail": self.contact_email,
            "applicationSummary": self.summary,
            "payeeBank": self.payee_bank,
            "payeeAccount": self.payee_account,
            "submissionChannel": self.channel,
            "intakeBy": self.intake_by,
            # The window's checklist opens with what was uploaded ticked; the clerk checks each file.
            "providedMaterials": sorted(self.material_codes),
        }
        return {declared(name): value for name, value in values.items() if value is not None}
