"""The county's units that work in the process, each an engine group (the plan's 二、实施范围).

Group ids are stable English identifiers used in BPMN (candidate groups) and authorizations;
names are what staff read in Tasklist and Admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    """What a group does in the process."""

    WINDOW = "window"  # R1, R16: the only place that accepts applications
    DEPARTMENT = "department"  # R4–R10, R20: reviews and delivers its own policies
    FINANCE = "finance"  # R9, R19: pays county funds
    JOINT_MEETING = "joint_meeting"  # R11, R17: extensions, escalations, monthly meeting
    MANAGER = "manager"  # watches timeliness (R18)
    DESIGNER = "designer"  # changes the BPMN and forms
    EXPERT = "expert"  # the county's expert pool (专家库) for expert review (R6)
    SERVICE = "service"  # the web UI's and workers' technical account


# The roles of people (Tasklist, the staff pages); service accounts and administrators are not staff.
STAFF_ROLES = frozenset(
    {Role.WINDOW, Role.DEPARTMENT, Role.FINANCE, Role.JOINT_MEETING, Role.MANAGER, Role.DESIGNER, Role.EXPERT}
)


@dataclass(frozen=True)
class Unit:
    """A group of staff in the engine."""

    group_id: str
    name: str
    role: Role
    demo_user: str
    more_demo_users: tuple[str, ...] = ()

    @property
    def demo_users(self) -> tuple[str, ...]:
        return (self.demo_user, *self.more_demo_users)

    @property
    def short_name(self) -> str:
        """The name without its explanation in brackets, as on a document number."""
        return self.name.split("（")[0]

    @property
    def demo_name(self) -> tuple[str, str]:
        """First and last name of the demo user, as Tasklist shows them."""
        return (self.name, "演示用户")


def _department(group_id: str, name: str, demo_user: str) -> Unit:
    return Unit(group_id, name, Role.DEPARTMENT, demo_user)


WINDOW = Unit("window", "县行政服务中心惠企政策兑现专窗", Role.WINDOW, "window-clerk")
FINANCE_BUREAU = Unit("finance-bureau", "县财政局", Role.FINANCE, "finance-clerk")
JOINT_MEETING_OFFICE = Unit(
    "joint-meeting-office",
    "惠企政策联席会议办公室（县行政服务中心业务股）",
    Role.JOINT_MEETING,
    "joint-office",
)
MANAGERS = Unit("managers", "县政务服务管理人员", Role.MANAGER, "manager")
PROCESS_DESIGNERS = Unit("process-designers", "流程设计人员", Role.DESIGNER, "designer")
EXPERTS = Unit("experts", "县惠企政策评审专家库", Role.EXPERT, "expert-1", ("expert-2", "expert-3", "expert-4"))
SERVICES = Unit("huiqi-services", "惠企系统服务账号（网上专区与员工页面）", Role.SERVICE, "huiqi-service")
WORKERS = Unit("huiqi-workers", "惠企系统工作进程账号", Role.SERVICE, "huiqi-worker")

# The departments that review and deliver policies (R14: each names a lead section and liaison).
DEPARTMENTS: tuple[Unit, ...] = (
    _department("dept-hrss", "县人社局（含就业局、社保局）", "hrss-reviewer"),
    _department("dept-tax", "县税务局", "tax-reviewer"),
    _department("dept-industry", "县工信局", "industry-reviewer"),
    _department("dept-science", "县科技局", "science-reviewer"),
    _department("dept-commerce", "县商务局", "commerce-reviewer"),
    _department("dept-urban", "县城管局", "urban-reviewer"),
    _department("dept-housing", "县住建局", "housing-reviewer"),
    _department("dept-veterans", "县退役军人事务局", "veterans-reviewer"),
    _department("dept-medical-insurance", "县医保局", "medins-reviewer"),
    _department("dept-natural-resources", "县自然资源局", "natres-reviewer"),
    _department("dept-agriculture", "县农业农村局", "agri-reviewer"),
    _department("dept-forestry", "县林业局", "forestry-reviewer"),
    _department("dept-financial-office", "县金融办", "finoffice-reviewer"),
    _department("dept-power-supply", "县供电公司", "power-reviewer"),
    _department("dept-water-supply", "县供水公司", "water-reviewer"),
    _department("dept-banks", "县各类银行", "bank-reviewer"),
    _department("dept-gov-service", "县政务服务办", "govservice-reviewer"),
)

ALL_UNITS: tuple[Unit, ...] = (
    WINDOW,
    *DEPARTMENTS,
    FINANCE_BUREAU,
    JOINT_MEETING_OFFICE,
    MANAGERS,
    PROCESS_DESIGNERS,
    EXPERTS,
    SERVICES,
    WORKERS,
)

_BY_GROUP = {unit.group_id: unit for unit in ALL_UNITS}


def unit_for_group(group_id: str) -> Unit:
    """Return the unit with this group id, or raise KeyError."""
    return _BY_GROUP[group_id]


def reviewing_groups() -> frozenset[str]:
    """Return the group ids that may own a policy and review its cases.

    The finance bureau pays (R19) and also answers for the policies it issues itself.
    """
    return frozenset(unit.group_id for unit in (*DEPARTMENTS, FINANCE_BUREAU))
