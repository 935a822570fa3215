"""The variables of the joint meeting's month (R17, bpmn/monthly_report.bpmn), part of the engine's vocabulary
(domain/cases.py merges them into VARIABLES; its process key is declared there with the others)."""

REPORT_VARIABLES: dict[str, str] = {
    "reportDay": "是否应生成上月报告（已到本月首个工作日且上月报告尚未生成）",
    "reportMonth": "月度报告的月份（如 2026-11）",
    "reportId": "月度报告记录编号",
    "reportState": "月度报告生成结果（built：本次生成；existing：已由他次生成）",
    "reportOverview": "月度报告摘要",
    "jointMeetingDue": "召开联席会议并记录决议的期限（R17）",
    "meetingAttendees": "联席会议参会单位及人员",
    "meetingDecisions": "联席会议决议",
}
