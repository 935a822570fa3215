"""Two engine nodes, one database (issue 12, item 2): 200 cases, their overdue timers, and a node killed.

Both nodes run their job executors on one PostgreSQL database; a worker process and a web UI speak to each
node; the users (window, department, joint-meeting office) reach the nodes in turn through a balancer, and
every fourth application is filed online by the enterprise through the web UIs in turn. Every case
goes to its preliminary review, whose overdue timer (超期, in working days) is made due now through REST and
left to the job executors of both nodes; the warning (超期预警) and the office's supervision follow, then
the case runs to its end. When a quarter of the timers are due and one is waiting, node-1 is killed with
SIGKILL and started again on its port a few seconds later, as the county's supervisor does (compose:
``restart: unless-stopped``); its worker must wait for it, not exit. Restarting rather than leaving it dead
also proves that a node joins a database in use and takes its share again.

Every case ends once, every timer fires once, every effect is there once.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pycamunda.task
import pytest
from sqlalchemy import func, select

from devstack.waiting import wait_for
from domain.applications.models import Application
from domain.cases import PROCESS_KEY
from domain.documents.models import Document
from domain.engine import EngineAuthError, EngineClient, EngineError, EngineForbidden, EngineUnavailable
from domain.engine.tasks import TaskGateway
from domain.engine.variables import format_date, parse_date
from domain.notices.models import Notice, NoticeDelivery
from domain.timeliness.models import OverdueEscalation
from tests.cluster.conftest import Cluster
from tests.support.case import WINDOW, CaseDriver, complete_task
from tests.support.forms import check_task_fields

pytestmark = [pytest.mark.postgres, pytest.mark.engine]

CASES = 200
REVIEWER, OFFICE, DEPARTMENT = "power-reviewer", "joint-office", "dept-power-supply"
TIMER = "preliminary_review_overdue"
KILLED, SURVIVOR = "node-1", "node-2"
KILL_AFTER = CASES // 4  # timers made due before the kill
ONLINE_EVERY = 4  # every fourth application is filed online, through the web UIs in turn
OUTAGE_SECONDS = 3  # the node is down this long before its supervisor starts it again (not a deadline)
POLL_SECONDS = 0.5  # how often a user looks at the task list (a tenth of a second would load the nodes)
# The case changed under the user's completion (a worker wrote to the task, or finished a step beside it): the
# engine refuses it (optimistic locking, a parent execution gone, or PostgreSQL's deadlock detection, which the
# REST API reports only as "persistence layer") and the user clicks again. The counts are printed.
CONCURRENT_CHANGE = ("ENGINE-03005", "ENGINE-03077", "exception occurred in the persistence layer")
ONCE = ("prepare_acceptance", TIMER, "escalate_overdue", "supervise_overdue", "send_supervision_opinion",
        "issue_recognition_document", "prepare_result_notice", "case_closed")  # fmt: skip
NOTICES = {("超期预警", DEPARTMENT): 1, ("超期预警", "joint-meeting-office"): 1, ("督办意见", DEPARTMENT): 1,
           ("结果反馈", "91350100M000100Y43"): 1}  # fmt: skip  # one case's, by kind and recipient
DOCUMENTS = {"recognition": 1, "result_notice": 1}


@dataclass
class Run:
    """What the driving threads tell the node killer, and what the users had to do again."""

    made_due: int = 0
    over: threading.Event = field(default_factory=threading.Event)
    again: Counter[str] = field(default_factory=Counter)
    waited: list[float] = field(default_factory=list)  # seconds from a timer made due to its supervision task
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, what: str) -> None:
        with self.lock:
            self.again[what] += 1


class ClusterCase(CaseDriver):
    """A case driven through the balancer. A start or a completion whose node died with the request is
    looked up before it is sent again, as a clerk looks in Tasklist before clicking again."""

    def __init__(self, cluster: Cluster, run: Run, turn: int) -> None:
        super().__init__(cluster.admin, cluster.service, cluster.client)
        self.run = run
        self.online = cluster.online if turn % ONLINE_EVERY == 0 else None
        self.turn = turn // ONLINE_EVERY
        self.summary = f"申请高新技术企业认定奖励（{self.typed_key}）"  # finds the case if its start is cut off
        self.timeout = 180.0
        self.due_since = 0.0

    def start(self, policy_code=None, by=WINDOW, process_key=PROCESS_KEY, **variables: Any) -> CaseDriver:
        if self.online is not None:  # the enterprise files it online; the window's checklist follows
            self.key, self.instance_id = self.online.file(policy_code, self.turn)
            return self
        for _attempt in range(3):
            try:
                return super().start(policy_code, by, process_key, applicationSummary=self.summary, **variables)
            except (EngineAuthError, EngineForbidden):
                raise
            except EngineError as exc:  # cut off, or refused as a repeat because the first one got through
                self.run.count(f"start: {type(exc).__name__}")
                started = self.admin.get("/history/process-instance", variables=f"applicationSummary_eq_{self.summary}")
                if started:
                    self.instance_id = started[0]["id"]
                    return self
                if not isinstance(exc, EngineUnavailable):
                    raise
        raise AssertionError(f"the window could not start {self.typed_key}")

    def complete(self, definition_key: str, user: str, **variables: Any) -> None:
        check_task_fields(definition_key, variables)
        task = self.task(definition_key, user)
        for _attempt in range(5):
            try:
                return complete_task(self.as_user(user), task.id_, **variables)
            except (EngineAuthError, EngineForbidden):
                raise
            except EngineError as exc:
                concurrent = next((code for code in CONCURRENT_CHANGE if code in str(exc)), None)
                self.run.count(f"complete {definition_key}: {concurrent or type(exc).__name__}")
                (seen,) = self.admin.get("/history/task", taskId=task.id_)
                if seen["endTime"] is not None:
                    return None
                if not (concurrent or isinstance(exc, EngineUnavailable)):
                    raise
        raise AssertionError(f"{user} could not complete {definition_key} of {self.typed_key}")

    def task(self, definition_key: str, user: str) -> pycamunda.task.Task:
        client = self.as_user(user)
        request = pycamunda.task.GetList(client.url, process_instance_id=self.instance_id,
                                         task_definition_key=definition_key)  # fmt: skip
        found = wait_for(lambda: list(client.call(request)), f"{definition_key} for {user}", self.timeout, POLL_SECONDS)
        return found[0]

    def wait_ended(self) -> CaseDriver:
        def ended() -> bool:
            return self.admin.get(f"/history/process-instance/{self.instance_id}")["state"] == "COMPLETED"

        wait_for(ended, "the case to end", self.timeout, POLL_SECONDS)
        return self

    def make_due(self, activity_id: str) -> None:
        """Move the timer's due date to now (its working days are not waited for); the nodes fire it."""
        (job,) = self.admin.get("/job", processInstanceId=self.instance_id, activityId=activity_id)
        TaskGateway(self.admin).move_timer(job["id"], dt.datetime.now(dt.UTC))
        self.due_since = time.monotonic()
        with self.run.lock:
            self.run.made_due += 1


def drive(case: ClusterCase) -> str:
    case.accept("T-AUTO")
    case.task("preliminary_review", REVIEWER)
    case.make_due(TIMER)
    case.task("supervise_overdue", OFFICE)  # the timer fired on a node, the warning went out (R18)
    case.run.waited.append(time.monotonic() - case.due_since)
    case.complete("supervise_overdue", OFFICE, supervisionOpinion="请县供电公司两个工作日内办结")
    case.complete("preliminary_review", REVIEWER, preliminaryResult="qualified", preliminaryOpinion="符合")
    case.decide(REVIEWER, "予以认定")
    case.recognise(REVIEWER, "认定通知")
    case.give_feedback()
    return case.variable("outcome")


def kill_and_restart(cluster: Cluster, run: Run) -> dict[str, Any]:
    """SIGKILL node-1 once a quarter of the timers are due and one is waiting to fire; start it again."""
    survivor = cluster.node_admin(SURVIVOR)

    def due_and_waiting() -> list:
        if run.over.is_set():
            raise AssertionError("the run ended before the node was killed")
        if run.made_due < KILL_AFTER:
            return []
        return survivor.get("/job", activityId=TIMER, dueDates=f"lt_{format_date(dt.datetime.now(dt.UTC))}")

    waiting = wait_for(due_and_waiting, "timers due and waiting", timeout=600, interval=0.05)
    node, worker = cluster.nodes[KILLED], cluster.workers[KILLED]
    os.kill(node.process.pid, signal.SIGKILL)
    assert node.process.wait(timeout=10) == -signal.SIGKILL
    killed = {"killed_at": dt.datetime.now(dt.UTC), "timers_waiting": len(waiting), "made_due": run.made_due}
    time.sleep(OUTAGE_SECONDS)
    node.start()
    survivor.close()
    return {**killed, "restarted_at": dt.datetime.now(dt.UTC), "worker_log": len(worker.log()),
            "answered": cluster.balancer.answered[KILLED]}  # fmt: skip


def test_two_nodes_share_the_cases_and_timers_and_survive_a_killed_node(cluster: Cluster):
    run = Run()
    cases = [ClusterCase(cluster, run, turn) for turn in range(CASES)]
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as killer, ThreadPoolExecutor(max_workers=12) as users:
        outage = killer.submit(kill_and_restart, cluster, run)
        try:
            outcomes = list(users.map(drive, cases))
        except BaseException:
            users.shutdown(cancel_futures=True)
            raise
        finally:
            run.over.set()
        killed = outage.result()
    waited = sorted(run.waited)
    print(f"\n{CASES} cases in {time.monotonic() - began:.0f} s; from due to supervision: median "
          f"{waited[CASES // 2]:.1f} s, max {waited[-1]:.1f} s; {killed}; again: {dict(run.again)}; "
          f"answers {dict(cluster.balancer.answered)}, refused {dict(cluster.balancer.skipped)}; online: started "
          f"by web UI {dict(cluster.online.started_by)}, 重新提交 pressed {cluster.online.pressed_again}")  # fmt: skip

    assert outcomes == ["approved-recognised"] * CASES
    assert set(cluster.online.started_by) == set(cluster.webuis)  # each web UI started cases on its node
    assert sum(cluster.online.started_by.values()) == CASES // ONLINE_EVERY
    admin = cluster.node_admin(SURVIVOR)
    ids = {case.instance_id for case in cases}
    each_case_ended_and_each_step_ran_once(admin, ids)
    both_nodes_worked(cluster, admin, ids, killed)
    each_effect_once(cluster, admin, cases)
    admin.close()


def each_case_ended_and_each_step_ran_once(admin: EngineClient, ids: set[str]) -> None:
    instances = admin.get("/history/process-instance", processDefinitionKey=PROCESS_KEY, maxResults=10 * CASES)
    assert {i["id"] for i in instances} == ids  # none lost, none started twice
    assert {i["state"] for i in instances} == {"COMPLETED"}
    for activity in ONCE:  # the timer fired once per case; each step after it ran once
        reached = admin.get("/history/activity-instance", activityId=activity, maxResults=10 * CASES)
        assert Counter(a["processInstanceId"] for a in reached) == dict.fromkeys(ids, 1), activity
    assert admin.get("/incident") == []


def both_nodes_worked(cluster: Cluster, admin: EngineClient, ids: set[str], killed: dict[str, Any]) -> None:
    """Both job executors fired timers (node-1 before its death and after its restart), both workers served,
    the killed node's worker waited for it and served it again."""
    fired = admin.get("/history/job-log", activityIdIn=TIMER, successLog="true", maxResults=10 * CASES)
    assert Counter(f["processInstanceId"] for f in fired) == dict.fromkeys(ids, 1)
    restarted = killed["restarted_at"]
    before = Counter(f["hostname"] for f in fired if parse_date(f["timestamp"]) < killed["killed_at"])
    after = Counter(f["hostname"] for f in fired if parse_date(f["timestamp"]) > restarted)
    failed = admin.get("/history/job-log/count", activityIdIn=TIMER, failureLog="true")["count"]
    print(f"timers fired before the kill {dict(before)}, after the restart {dict(after)}; failed tries: {failed}")
    assert before[KILLED] > 0 and after[KILLED] > 0 and before[SURVIVOR] + after[SURVIVOR] > 0

    for name in cluster.nodes:
        served = admin.get("/history/external-task-log/count", workerId=f"w-{name}", successLog="true")
        assert served["count"] > 0, name
    worker = cluster.workers[KILLED]
    assert worker.process.poll() is None  # it never exited
    assert "无法从流程引擎获取任务" in worker.log()  # it backed off while its node was down …
    assert "任务完成" in worker.log()[killed["worker_log"] :]  # … and served it again
    assert cluster.balancer.skipped[KILLED] > 0 and cluster.balancer.answered[KILLED] > killed["answered"]


def each_effect_once(cluster: Cluster, admin: EngineClient, cases: list[ClusterCase]) -> None:
    keys = [case.key for case in cases]
    drawn: dict[str, list[int]] = {}  # application numbers per day (HQ-20261128-0001): no gap, no twin
    for key in keys:
        day, serial = key.rsplit("-", 1)
        drawn.setdefault(day, []).append(int(serial))
    assert all(sorted(drawn_on) == list(range(1, len(drawn_on) + 1)) for drawn_on in drawn.values()), drawn
    with cluster.database.session_scope() as session:
        bound = session.scalars(select(Application.number).where(Application.process_instance_id.isnot(None)))
        assert sorted(bound) == sorted(keys)
        assert session.scalar(select(func.count()).select_from(Application)) == CASES
        notices = Counter(session.execute(select(Notice.application_number, Notice.kind, Notice.recipient)))
        documents = Counter(session.execute(select(Document.application_number, Document.kind)))
        escalations = Counter(session.scalars(select(OverdueEscalation.application_number)))
        serials = sorted(session.scalars(select(Document.number).where(Document.department_group == DEPARTMENT)))
    assert notices == {(key, *what): n for key in keys for what, n in NOTICES.items()}
    assert documents == {(key, kind): n for key in keys for kind, n in DOCUMENTS.items()}
    assert escalations == dict.fromkeys(keys, 1)
    assert serials == list(range(1, 2 * CASES + 1))  # contiguous: no gap, no twin

    def warnings(case: ClusterCase) -> int:  # the warning on the overdue task in Tasklist
        (review,) = admin.get("/history/task", processInstanceId=case.instance_id,
                              taskDefinitionKey="preliminary_review")  # fmt: skip
        return sum(c["message"].startswith("【办件超期预警】") for c in admin.get(f"/task/{review['id']}/comment"))

    with ThreadPoolExecutor(max_workers=4) as readers:
        assert list(readers.map(warnings, cases)) == [1] * CASES

    # Each notice sent once per channel (G3): the two workers' outboxes claim the same deliveries; each one
    # ends sent, and one log line of one worker says so (a second claim of it would send and log it again).
    def delivered() -> list | None:  # the cases' deliveries once none waits any more
        with cluster.database.session_scope() as session:
            rows = session.execute(
                select(NoticeDelivery.id, NoticeDelivery.channel, NoticeDelivery.status)
                .join(Notice, Notice.id == NoticeDelivery.notice_id)
                .where(Notice.application_number.in_(keys))
            ).all()
        return rows if rows and all(row.status in ("sent", "failed") for row in rows) else None

    done = wait_for(delivered, "the outboxes to deliver every notice", timeout=60, interval=1)
    assert {row.status for row in done} == {"sent"}
    assert Counter(row.channel for row in done)["portal"] == sum(notices.values())  # each in the portal inbox
    sent = [row.id for row in done if row.channel != "portal"]
    assert sent  # the enterprises' 结果反馈 go by SMS too: the check is not empty
    logs = "".join(worker.log() for worker in cluster.workers.values())
    logged = Counter(int(found) for found in re.findall(r"通知投递 (\d+)（\w+）：sent", logs))
    assert {delivery: logged[delivery] for delivery in sent} == dict.fromkeys(sent, 1)
