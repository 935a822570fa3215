"""Two engine nodes on one PostgreSQL database, a worker process and a web UI (gunicorn) per node, and a
balancer in front.

The county runs two engine nodes (docker/compose.yaml); here both are jars on this machine, each with
its job executor on and its own name in the engine's history (ACT_HI_JOB_LOG.HOSTNAME_), since on one
machine they would share its address. The balancer stands for the county's reverse proxy: the users'
calls go to the nodes in turn; an enterprise filing online reaches either web UI, each of which starts
its cases on its own node.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import requests.adapters
from sqlalchemy import select
from urllib3.exceptions import MaxRetryError, NewConnectionError

from devstack.engine import EngineProcess, build_engine, free_port
from devstack.stack import DEMO_PASSWORD, prepare_database, prepare_engine
from devstack.stack import worker_env as stack_worker_env
from devstack.waiting import wait_for
from devstack.workers_process import WorkersProcess
from domain.applications.models import Application
from domain.applications.submission import STARTING
from domain.config import PROJECT_ROOT, EngineSettings
from domain.db import Database
from domain.engine import EngineClient
from domain.enterprises.services import EnterpriseService
from tests.support.case import APPLICATION
from tests.support.policies import add_test_policies

NODES = ("node-1", "node-2")
LOCK_MS = "5000"  # a dead node's claims (jobs, external tasks) lapse after 5 s instead of 5 min
CLUSTER_URL = "http://cluster.invalid/engine-rest"  # what the clients address; the balancer picks a node
ONLINE_CREDIT_CODE = APPLICATION["creditCode"]  # the test application's enterprise
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class Balancer:
    """The reverse proxy: each request to the next node in turn. A node that refuses the connection is
    skipped (nginx's ``proxy_next_upstream error``); an idempotent request cut off by a dying node goes to
    the other; a start or a completion cut off is the caller's to look up before trying again."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.urls = urls
        self._turn = itertools.count()
        self._lock = threading.Lock()
        self.answered: Counter[str] = Counter()  # answers per node
        self.skipped: Counter[str] = Counter()  # requests that found a node down

    def send(self, session: requests.Session, method: str, url: str, **kwargs) -> requests.Response:
        names = list(self.urls)
        first = next(self._turn) % len(names)
        failure: requests.RequestException | None = None
        for name in names[first:] + names[:first]:
            try:
                response = requests.Session.request(
                    session, method, self.urls[name] + url.removeprefix(CLUSTER_URL), **kwargs
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                if not (never_sent(exc) or method.upper() in IDEMPOTENT):
                    raise
                with self._lock:
                    self.skipped[name] += 1
                failure = exc
                continue
            with self._lock:
                self.answered[name] += 1
            return response
        assert failure is not None
        raise failure


def never_sent(exc: requests.RequestException) -> bool:
    """Whether the request never reached a node (the connection was refused)."""
    reason = exc.args[0] if exc.args else None
    return isinstance(exc, requests.ConnectTimeout) or (
        isinstance(reason, MaxRetryError) and isinstance(reason.reason, NewConnectionError)
    )


class _BalancedSession(requests.Session):
    def __init__(self, balancer: Balancer, timeout: float) -> None:
        super().__init__()
        self.balancer = balancer
        self.default_timeout = timeout
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=32)  # the driving threads share the client
        self.mount("http://", adapter)

    def request(self, method, url, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self.default_timeout)
        return self.balancer.send(self, method, url, **kwargs)


class ClusterClient(EngineClient):
    """An EngineClient whose requests go through the balancer (no retries of its own: the balancer's)."""

    def __init__(self, balancer: Balancer, user: str, password: str, timeout_seconds: float = 30.0) -> None:
        super().__init__(CLUSTER_URL, user, password, timeout_seconds)
        self.session.close()
        self.session = _BalancedSession(balancer, timeout_seconds)
        self.session.auth = (user, password)
        self.session.headers["Accept"] = "application/json"


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="token" value="([0-9a-f]+)"')
MATERIAL = re.compile(r'name="(material_[A-Z0-9]+)"')
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ENTERPRISE_PASSWORD = "Cluster-Pa55word-2026"


@dataclass
class WebUI:
    """The web UI under gunicorn, as production runs it, speaking to one engine node."""

    node: str
    base: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_webui(name: str, node: EngineProcess, settings: EngineSettings, database_url: str, workdir: Path) -> WebUI:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CAMUNDA_URL": node.rest_url,
        "CAMUNDA_USER": settings.user,
        "CAMUNDA_PASSWORD": settings.password,
        "HUIQI_VAR_DIR": str(workdir / "var"),  # the workers' too: the uploads, the signing key
        "WEBUI_BIND": f"127.0.0.1:{port}",
        "WEBUI_WORKERS": "2",
        "WEBUI_THREADS": "4",
        "WEBUI_SECURE_COOKIES": "false",  # plain http on loopback
        "WEBUI_TRUSTED_PROXIES": "1",  # as behind nginx: X-Forwarded-For is the enterprise's address
        "WEBUI_FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    log_path = workdir / f"webui-{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:webui.gunicorn_conf", "webui.wsgi:app"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    webui = WebUI(name, f"http://127.0.0.1:{port}", process, log_path)

    def up() -> bool:
        try:
            return requests.get(f"{webui.base}/policies", timeout=2).status_code == 200
        except requests.RequestException:
            assert process.poll() is None, webui.log()[-3000:]
            return False

    wait_for(up, f"the web UI of {name}", timeout=90)
    return webui


class OnlineEnterprise:
    """The enterprise of the test application, filing online. The county's proxy sends each of its requests
    to either web UI; a web UI whose node is down keeps the application and says so, and the enterprise
    presses 重新提交 on its application's page, which the proxy may send to the other."""

    def __init__(self, webuis: dict[str, WebUI], database: Database, credit_code: str) -> None:
        self.webuis, self.database, self.credit_code = webuis, database, credit_code
        with database.session_scope() as session:
            EnterpriseService(session).sign_up(credit_code, APPLICATION["enterpriseName"], "张三", "13800000000", None,
                                               ENTERPRISE_PASSWORD)  # fmt: skip
        self.sessions: dict[str, requests.Session] = {}
        self.lock = threading.Lock()
        self.started_by: Counter[str] = Counter()  # cases started, per web UI (its node)
        self.pressed_again = 0

    def _session(self, name: str) -> requests.Session:
        with self.lock:
            if name not in self.sessions:
                session = requests.Session()
                base = self.webuis[name].base
                csrf = CSRF.search(session.get(f"{base}/account/login", timeout=30).text).group(1)
                answer = session.post(f"{base}/account/login", timeout=30, allow_redirects=False, data={
                    "csrf_token": csrf, "credit_code": self.credit_code, "password": ENTERPRISE_PASSWORD})  # fmt: skip
                assert answer.status_code == 302, answer.text[:500]
                self.sessions[name] = session
            return self.sessions[name]

    def file(self, policy: str, turn: int) -> tuple[str, str]:
        """File an application with every material, through web UI ``turn``; (its number, its case)."""
        names = list(self.webuis)
        name = names[turn % len(names)]
        headers = {"X-Forwarded-For": f"10.30.{turn // 250}.{turn % 250 + 1}"}
        session, base = self._session(name), self.webuis[name].base
        page = session.get(f"{base}/policies/{policy}/apply", headers=headers, timeout=30).text
        data = {"csrf_token": CSRF.search(page).group(1), "token": FORM_TOKEN.search(page).group(1),
                "contact_name": "张三", "phone": "13800000000", "summary": "集群测试：在线申报"}  # fmt: skip
        files = {material: (f"{material}.pdf", PDF, "application/pdf") for material in MATERIAL.findall(page)}
        answer = session.post(f"{base}/policies/{policy}/apply", headers=headers, data=data, files=files,
                              timeout=60, allow_redirects=False)  # fmt: skip
        assert answer.status_code == 302 and "/my/applications/" in answer.headers["Location"], answer.text[:500]
        number = answer.headers["Location"].rsplit("/", 1)[1]
        for again in range(1, 30):
            instance = self._case(number)
            if instance:
                with self.lock:
                    self.started_by[name] += 1
                return number, instance
            name = names[(turn + again) % len(names)]  # the engine could not take it: 重新提交, anywhere
            session, base = self._session(name), self.webuis[name].base
            page = session.get(f"{base}/my/applications/{number}", headers=headers, timeout=30).text
            assert "重新提交" in page, page[:1000]
            with self.lock:
                self.pressed_again += 1
            session.post(f"{base}/my/applications/{number}/start", headers=headers, timeout=60,
                         data={"csrf_token": CSRF.search(page).group(1)}, allow_redirects=False)  # fmt: skip
        raise AssertionError(f"{number} never got its case")

    def _case(self, number: str) -> str | None:
        with self.database.session_scope() as session:
            instance = session.scalar(select(Application.process_instance_id).where(Application.number == number))
        return instance if instance and not instance.startswith(STARTING) else None


@dataclass
class Cluster:
    nodes: dict[str, EngineProcess]
    workers: dict[str, WorkersProcess]
    webuis: dict[str, WebUI]
    online: OnlineEnterprise
    settings: EngineSettings  # node-1's address; the accounts of every node
    database: Database
    balancer: Balancer
    workdir: Path
    _clients: dict[str, ClusterClient] = dataclasses.field(default_factory=dict)
    _lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def client(self, user: str, password: str = DEMO_PASSWORD) -> ClusterClient:
        """The user's client through the balancer (one per user, shared by the threads)."""
        with self._lock:
            if user not in self._clients:
                self._clients[user] = ClusterClient(self.balancer, user, password)
            return self._clients[user]

    @property
    def admin(self) -> ClusterClient:
        return self.client(self.settings.admin_user, self.settings.admin_password)

    @property
    def service(self) -> ClusterClient:
        return self.client(self.settings.user, self.settings.password)

    def node_admin(self, name: str) -> EngineClient:
        """The administrator on one node only."""
        settings = self.settings
        return EngineClient(self.nodes[name].rest_url, settings.admin_user, settings.admin_password, 30.0)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()


def node_env(name: str, database_env: dict[str, str]) -> dict[str, str]:
    return {
        **database_env,
        "ENGINE_JOB_EXECUTION": "true",
        "ENGINE_JOB_LOCK_TIME_MS": LOCK_MS,
        # Both job executors look for due jobs at least every second. With Camunda's default backoff (up to a
        # minute after a look that found nothing) the node that finds jobs first keeps finding them and the
        # other idles: the timers would hardly be contended for.
        "ENGINE_JOB_WAIT_MS": "500",
        "ENGINE_JOB_MAX_WAIT_MS": "1000",
        # The node's name in the history of its jobs (the engine's default is this machine's address), set the
        # way docs/operations.md tells operators to.
        "CAMUNDA_BPM_GENERICPROPERTIES_PROPERTIES_HOSTNAME": name,
    }


def worker_env(settings: EngineSettings, node: EngineProcess, name: str, database_url: str, workdir: Path) -> dict:
    """A worker process that speaks to one node only, with the real clock (the job executors use it)."""
    return {
        **stack_worker_env(dataclasses.replace(settings, url=node.rest_url), database_url, workdir),
        "WORKER_ID": f"w-{name}",
        "WORKER_LOCK_MS": LOCK_MS,  # tasks fetched through a node that dies come back after 5 s
        "WORKER_LONG_POLL_MS": "2000",
        "WORKER_RECONNECT_MIN_SECONDS": "0.5",
        "WORKER_RECONNECT_MAX_SECONDS": "4",
    }


@pytest.fixture(scope="module")
def cluster(postgres, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two started nodes on one new database, deployed and bootstrapped through node-1; a worker per node."""
    workdir = tmp_path_factory.mktemp("cluster")
    postgres.create_database("cluster_camunda")
    database_env = postgres.engine_env("cluster_camunda")
    build_engine()
    nodes = {
        name: EngineProcess(free_port(), workdir / name, workdir / f"{name}.log", node_env(name, database_env))
        for name in NODES
    }
    workers: dict[str, WorkersProcess] = {}
    webuis: dict[str, WebUI] = {}
    database = None
    try:
        nodes["node-1"].start()  # creates the schema; node-2 joins the database it finds
        with ThreadPoolExecutor(1) as background:
            second = background.submit(nodes["node-2"].start)
            settings = prepare_engine(nodes["node-1"].rest_url)
            database = Database(prepare_database(workdir, postgres.create_database("cluster_app")))
            with database.session_scope() as session:
                add_test_policies(session)
            second.result()
        for name, node in nodes.items():
            env = worker_env(settings, node, name, database.url, workdir)
            workers[name] = WorkersProcess(env, workdir / f"workers-{name}.log").start()
        for process in workers.values():
            wait_for(lambda p=process: "开始服务主题" in p.log(), "the workers to serve", timeout=60)
        for name, node in nodes.items():
            webuis[name] = start_webui(name, node, settings, database.url, workdir)
        online = OnlineEnterprise(webuis, database, ONLINE_CREDIT_CODE)
        balancer = Balancer({name: node.rest_url for name, node in nodes.items()})
        cluster = Cluster(nodes, workers, webuis, online, settings, database, balancer, workdir)
        yield cluster
        cluster.close()
        for process in workers.values():
            assert process.stop() == 0, process.log()[-3000:]
    finally:
        for webui in webuis.values():
            webui.stop()
        for process in workers.values():
            if process.process is not None and process.process.poll() is None:
                process.kill()
        for node in nodes.values():
            node.stop()
        if database is not None:
            database.dispose()
