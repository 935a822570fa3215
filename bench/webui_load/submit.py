"""Online application submits as logged-in enterprises, files included: each enterprise opens the apply page (its
CSRF and one-time form tokens) and posts the form with every material as a PDF upload; the post is timed
(store the files, write the application, start the case in the engine, answer with the redirect).

Two shapes of load:

- **arrivals** (the target's figure): submits arrive at random (a Poisson process) at a steady rate, whether or
  not the last one is answered, as a county's enterprises press 提交 independently of each other. Each is timed
  from its arrival, so a server that falls behind is charged for the wait (no coordinated omission).
- **back to back** (the node's limit): a few enterprises each submit again the moment the last answer comes.

Enterprises are created in the database as sign-up creates them (sign-up itself is limited per address); each
logs in through the web UI and comes from its own address (X-Forwarded-For, as nginx sets it), so the limit of
submits per address (webui/limits.py) is that of a real county, not of one benchmark machine.
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests
from sqlalchemy import func, select
from stdnum.cn import uscc

from bench.common.guards import NoFigure
from domain.applications.models import Application
from domain.db import Database
from domain.enterprises.services import EnterpriseService

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="token" value="([0-9a-f]+)"')
MATERIAL = re.compile(r'name="(material_[A-Z0-9]+)"')
PASSWORD = "bench-Pa55word-2026"  # noqa: S105 - the benchmark's throwaway accounts
TIMEOUT = 30.0


def credit_code() -> str:
    """A valid unified social credit code (check digit by python-stdnum), new each time."""
    body = "91350100" + "".join(c for c in uuid.uuid4().hex.upper() if c in "0123456789ABCDEFGHJKLMNPQRTUWXY")[:9]
    return body + uscc.calc_check_digit(body)


def pdf(size: int) -> bytes:
    """A file the upload check takes for a PDF (by its content), ``size`` bytes of incompressible scan-like data."""
    head, tail = b"%PDF-1.4\n", b"\n%%EOF\n"
    return head + os.urandom(max(size - len(head) - len(tail), 0)) + tail


@dataclass
class Enterprise:
    code: str
    address: str
    session: requests.Session
    busy: threading.Lock = field(default_factory=threading.Lock)  # one submit at a time, as one browser tab

    def get(self, base: str, path: str) -> requests.Response:
        return self.session.get(f"{base}{path}", headers={"X-Forwarded-For": self.address}, timeout=TIMEOUT)

    def post(self, base: str, path: str, **kwargs) -> requests.Response:
        return self.session.post(f"{base}{path}", headers={"X-Forwarded-For": self.address}, timeout=TIMEOUT,
                                 allow_redirects=False, **kwargs)  # fmt: skip


def sign_up(database: Database, count: int) -> list[str]:
    codes = [credit_code() for _ in range(count)]
    with database.session_scope() as session:
        service = EnterpriseService(session)
        for n, code in enumerate(codes):
            service.sign_up(code, f"基准测试企业{n:03d}有限公司", "张三", "13800000000", None, PASSWORD)
    return codes


def log_in(base: str, code: str, n: int) -> Enterprise:
    enterprise = Enterprise(code, f"10.20.{n // 250}.{n % 250 + 1}", requests.Session())
    page = enterprise.get(base, "/account/login")
    csrf = TOKEN.search(page.text)
    if page.status_code != 200 or csrf is None:
        raise NoFigure(f"the login page answered {page.status_code} without a form: no figure.")
    answer = enterprise.post(base, "/account/login", data={"csrf_token": csrf.group(1), "credit_code": code,
                                                           "password": PASSWORD})  # fmt: skip
    if answer.status_code != 302:
        raise NoFigure(f"an enterprise could not log in ({answer.status_code}): no figure.")
    return enterprise


@dataclass
class Filled:
    """The apply form as the enterprise filled it in: its fields and its files."""

    fields: dict[str, str]
    files: dict[str, tuple[str, bytes, str]]


def fill_in(base: str, enterprise: Enterprise, policy: str, content: bytes) -> Filled:
    """Open the apply page (its CSRF and one-time form tokens) and fill in the form with every material."""
    page = enterprise.get(base, f"/policies/{policy}/apply")
    csrf, token = TOKEN.search(page.text), FORM_TOKEN.search(page.text)
    if page.status_code != 200 or csrf is None or token is None:
        raise NoFigure(f"the apply page of {policy} answered {page.status_code} without its form: no figure.")
    fields = {"csrf_token": csrf.group(1), "token": token.group(1), "contact_name": "张三", "phone": "13800000000",
              "summary": "基准测试：在线申报"}  # fmt: skip
    return Filled(fields, {name: (f"{name}.pdf", content, "application/pdf") for name in MATERIAL.findall(page.text)})


def post(base: str, enterprise: Enterprise, policy: str, form: Filled) -> None:
    """Post the filled-in form; raise NoFigure unless it was filed (the redirect to the application)."""
    answer = enterprise.post(base, f"/policies/{policy}/apply", data=form.fields, files=form.files)
    if answer.status_code != 302 or "/my/applications/" not in answer.headers.get("Location", ""):
        raise NoFigure(f"a submit was refused ({answer.status_code}): no figure.\n{answer.text[:500]}")


def submit(base: str, enterprise: Enterprise, policy: str, content: bytes) -> float:
    """Open the apply page, post the application with every material; the post's time in ms."""
    form = fill_in(base, enterprise, policy, content)
    sent = time.perf_counter()
    post(base, enterprise, policy, form)
    return (time.perf_counter() - sent) * 1000


def arrival_times(rate: float, count: int, seed: int = 2026) -> list[float]:
    """``count`` arrival times (s from the first) of a Poisson process of ``rate`` a second; the same each run."""
    draw, at, times = random.Random(seed), 0.0, []  # noqa: S311 - arrival times, not a secret
    for _ in range(count):
        times.append(at)
        at += draw.expovariate(rate)
    return times


FILL_IN_AHEAD = 1.0  # s: the apply page is opened this long before the submit's arrival (not timed)


def run_arrivals(base: str, enterprises: list[Enterprise], policy: str, content: bytes, rate: float, count: int,
                 progress=None) -> list[float]:  # fmt: skip
    """``count`` submits arriving at random at ``rate`` a second, each by the next enterprise in turn, whatever
    the earlier ones are doing; each one's time in ms from its arrival to the redirect. An enterprise fills in its
    form just before its arrival; if that is late (a server far behind), the wait counts in its time."""
    origin = time.perf_counter() + FILL_IN_AHEAD + 0.5

    def one(n: int, arrival: float) -> float:
        enterprise = enterprises[n % len(enterprises)]
        with enterprise.busy:
            form = fill_in(base, enterprise, policy, content)
            due = origin + arrival
            time.sleep(max(0.0, due - time.perf_counter()))
            post(base, enterprise, policy, form)
            took = (time.perf_counter() - due) * 1000
        if progress is not None:
            progress()
        return took

    with ThreadPoolExecutor(max(8, 2 * len(enterprises))) as pool:
        pending = []
        for n, arrival in enumerate(arrival_times(rate, count)):
            time.sleep(max(0.0, origin + arrival - FILL_IN_AHEAD - time.perf_counter()))
            pending.append(pool.submit(one, n, arrival))
        return [future.result() for future in pending]


def run_submits(base: str, enterprises: list[Enterprise], policy: str, per_enterprise: int, content: bytes,
                parallel: int, progress=None) -> list[float]:  # fmt: skip
    """Each enterprise submits ``per_enterprise`` applications in turn, ``parallel`` enterprises at once."""

    def one_enterprise(enterprise: Enterprise) -> list[float]:
        times = []
        for _ in range(per_enterprise):
            times.append(submit(base, enterprise, policy, content))
            if progress is not None:
                progress()
        return times

    with ThreadPoolExecutor(parallel) as pool:
        return [t for times in pool.map(one_enterprise, enterprises) for t in times]


def cases_started(database: Database, codes: list[str]) -> tuple[int, int]:
    """(applications filed by these enterprises, those whose case the engine started)."""
    with database.session_scope() as session:
        mine = select(func.count()).select_from(Application).where(Application.credit_code.in_(codes))
        filed = session.scalar(mine) or 0
        started = session.scalar(mine.where(Application.process_instance_id.is_not(None))) or 0
    return filed, started
