"""EngineClient: an authenticated HTTP session on the engine's REST API.

Every call has a timeout; connection failures are retried a bounded number of times with
exponential backoff (urllib3's Retry). pycamunda's request objects run through the same session
(:meth:`EngineClient.call`); what pycamunda lacks (history, multipart deployment) uses
:meth:`EngineClient.request` directly.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar

import pycamunda
import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError
from urllib3.util.retry import Retry

from domain.config import EngineSettings
from domain.engine.errors import (
    EngineAuthError,
    EngineError,
    EngineForbidden,
    EngineNotFound,
    EngineRequestError,
    EngineUnavailable,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


class _TimeoutSession(requests.Session):
    """A session that gives every request a timeout unless the caller chose one."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.default_timeout = timeout

    def request(self, method, url, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, **kwargs)


class EngineClient:
    """REST access to the engine as one user."""

    def __init__(
        self,
        url: str,
        user: str,
        password: str,
        timeout_seconds: float = 10.0,
        retries: int = 3,
    ) -> None:
        self.url = url.rstrip("/")
        self.user = user
        self.session = _TimeoutSession(timeout_seconds)
        self.session.auth = (user, password)
        self.session.headers["Accept"] = "application/json"
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=0.5,
            status_forcelist=(502, 503, 504),
            allowed_methods=frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}),
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    @classmethod
    def as_service(cls, settings: EngineSettings) -> EngineClient:
        """Return a client acting as the application's service account."""
        return cls(settings.url, settings.user, settings.password, settings.timeout_seconds, settings.retries)

    @classmethod
    def as_worker(cls, settings: EngineSettings) -> EngineClient:
        """Return a client acting as the workers' account (an operator command that moves due dates)."""
        return cls(
            settings.url, settings.worker_user, settings.worker_password, settings.timeout_seconds, settings.retries
        )

    @classmethod
    def as_admin(cls, settings: EngineSettings) -> EngineClient:
        """Return a client acting as the engine administrator (deployment, identity bootstrap)."""
        return cls(
            settings.url,
            settings.admin_user,
            settings.admin_password,
            settings.timeout_seconds,
            settings.retries,
        )

    def close(self) -> None:
        self.session.close()

    # -- raw REST ---------------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send a request to ``{url}{path}``; return the response or raise an EngineError."""
        url = f"{self.url}{path}"
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.RequestException as exc:
            raise EngineUnavailable(self._unreachable_message(exc), maybe_sent(exc)) from exc
        if response.status_code >= 400:
            raise self._error_for(response)
        return response

    def get(self, path: str, **params: Any) -> Any:
        """GET a JSON resource."""
        return self.request("GET", path, params=params or None).json()

    def post(self, path: str, body: Any = None) -> Any:
        """POST a JSON body; return the JSON answer, or None when the engine answers 204."""
        response = self.request("POST", path, json=body if body is not None else {})
        return response.json() if response.content else None

    def put(self, path: str, body: Any = None) -> None:
        self.request("PUT", path, json=body if body is not None else {})

    def delete(self, path: str, **params: Any) -> None:
        self.request("DELETE", path, params=params or None)

    # -- pycamunda ----------------------------------------------------------------------------

    def call(self, request: Any) -> Any:
        """Run a pycamunda request through this client's session; translate its errors."""
        request.session = self.session
        try:
            return request()
        except pycamunda.Unauthorized as exc:
            raise EngineAuthError(self._auth_message()) from exc
        except pycamunda.Forbidden as exc:
            raise EngineForbidden(f"用户 {self.user} 无权执行此操作：{exc}") from exc
        except pycamunda.NotFound as exc:
            raise EngineNotFound(str(exc)) from exc
        except (pycamunda.BadRequest, pycamunda.NoSuccess) as exc:
            raise EngineRequestError(str(exc), 400) from exc
        except pycamunda.PyCamundaException as exc:
            cause = exc.args[0] if exc.args else exc
            if isinstance(cause, requests.RequestException):
                raise EngineUnavailable(self._unreachable_message(cause), maybe_sent(cause)) from exc
            raise EngineError(str(exc)) from exc

    # -- checks -------------------------------------------------------------------------------

    def check_login(self) -> None:
        """Verify that the engine answers and accepts this client's credentials, or raise."""
        self.get("/version")

    def _auth_message(self) -> str:
        return (
            f"流程引擎拒绝了用户 {self.user!r} 的登录（HTTP 401）：请检查 CAMUNDA_USER / "
            f"CAMUNDA_PASSWORD（或管理员的 CAMUNDA_ADMIN_USER / CAMUNDA_ADMIN_PASSWORD）。"
        )

    def _unreachable_message(self, exc: Exception) -> str:
        if isinstance(exc, requests.Timeout):
            why = f"{self.session.default_timeout:g} 秒内无应答"
        elif isinstance(exc, requests.ConnectionError):
            why = "连接失败（引擎未启动、地址或端口错误）"
        else:
            why = f"{type(exc).__name__}: {exc}"
        return f"无法连接流程引擎 {self.url}：{why}"

    def _error_for(self, response: requests.Response) -> EngineError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        message = body.get("message") if isinstance(body, dict) else None
        engine_type = body.get("type", "") if isinstance(body, dict) else ""
        text = message or response.text.strip() or response.reason
        status = response.status_code
        if status == 401:
            return EngineAuthError(self._auth_message())
        if status == 403:
            return EngineForbidden(f"用户 {self.user} 无权执行此操作：{text}")
        if status == 404:
            return EngineNotFound(text)
        details = body.get("details") if isinstance(body, dict) else None
        return EngineRequestError(text, status, engine_type, details if isinstance(details, dict) else None)


def maybe_sent(exc: requests.RequestException) -> bool:
    """Whether a failed request may have reached the engine: not when the connection was never made."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    if isinstance(exc, requests.ConnectionError):
        reason = exc.args[0] if exc.args else None
        reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError carries the first cause
        return not isinstance(reason, NewConnectionError)
    return isinstance(exc, requests.Timeout)
