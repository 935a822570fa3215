"""Online application submits as logged-in enterprises, files included: each enterprise opens the apply page (its
CSRF and one-time form tokens) and posts the form with every material as a PDF upload; the post is timed
(store the files, write the application, start the case in the engine, answer with the redirect).

Enterprises are created in the database as sign-up creates them (sign-up itself is limited per address); each
logs in through the web UI and comes from its own address (X-Forwarded-For, as nginx sets it), so the limit of
submits per address (webui/limits.py) is that of a real county, not of one benchmark machine.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

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


def submit(base: str, enterprise: Enterprise, policy: str, content: bytes) -> float:
    """Open the apply page, post the application with every material; the post's time in ms."""
    page = enterprise.get(base, f"/policies/{policy}/apply")
    csrf, token = TOKEN.search(page.text), FORM_TOKEN.search(page.text)
    if page.status_code != 200 or csrf is None or token is None:
        raise NoFigure(f"the apply page of {policy} answered {page.status_code} without its form: no figure.")
    fields = {"csrf_token": csrf.group(1), "token": token.group(1), "contact_name": "张三", "phone": "13800000000",
              "summary": "基准测试：在线申报"}  # fmt: skip
    files = {name: (f"{name}.pdf", content, "application/pdf") for name in MATERIAL.findall(page.text)}
    sent = time.perf_counter()
    answer = enterprise.post(base, f"/policies/{policy}/apply", data=fields, files=files)
    took = (time.perf_counter() - sent) * 1000
    if answer.status_code != 302 or "/my/applications/" not in answer.headers.get("Location", ""):
        raise NoFigure(f"a submit was refused ({answer.status_code}): no figure.\n{answer.text[:500]}")
    return took


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
