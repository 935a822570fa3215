"""Issue 11, item 9: the e-mail channel verifies the SMTP server's certificate under STARTTLS.

A real SMTP server on loopback (aiosmtpd) offers STARTTLS with a self-signed certificate made for the test
(openssl): the channel refuses it before any credential or message is sent. Trusting that certificate (what
an operator does by installing the county's CA) makes the same server acceptable: the refusal is the check.
"""

from __future__ import annotations

import shutil
import smtplib
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from devstack.engine import free_port
from domain.config import DeliverySettings
from domain.notices import channels
from domain.notices.channels import send_over_smtp
from tests.support.smtp import Mailbox

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1 that no authority signed, with its key."""
    folder = tmp_path_factory.mktemp("smtp-tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@contextmanager
def starttls_server(cert: Path, key: Path) -> Iterator[tuple[int, Mailbox, list]]:
    """An SMTP server that requires STARTTLS, with the given certificate; yields (port, mailbox, logins)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)  # the server asks no client certificate
    context.load_cert_chain(cert, key)
    mailbox, logins = Mailbox(), []

    def authenticate(server, session, envelope, mechanism, auth_data):
        logins.append(auth_data)
        return AuthResult(success=True)

    port = free_port()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
        authenticator=authenticate, auth_require_tls=True,
    )  # fmt: skip
    controller.start()
    try:
        yield port, mailbox, logins
    finally:
        controller.stop()


def settings(port: int) -> DeliverySettings:
    return DeliverySettings(
        smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=True, smtp_user="huiqi-mail",
        smtp_password="mail-password-never-sent", smtp_timeout_seconds=5,
    )  # fmt: skip


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = "受理通知", "huiqi-noreply@localhost", "qiye@example.com"
    mail.set_content("您的申报已受理。")
    return mail


def test_a_server_whose_certificate_does_not_verify_is_refused_before_login(self_signed):
    refused = pytest.raises(ssl.SSLCertVerificationError, match="self-signed certificate")
    with starttls_server(*self_signed) as (port, mailbox, logins), refused:
        send_over_smtp(settings(port), message())
    assert mailbox.messages == [] and logins == []  # neither the password nor the notice left


def test_the_same_server_is_accepted_once_its_certificate_is_trusted(self_signed, monkeypatch):
    cert, _ = self_signed
    default = ssl.create_default_context
    monkeypatch.setattr(channels.ssl, "create_default_context", lambda: default(cafile=str(cert)))
    with starttls_server(*self_signed) as (port, mailbox, logins):
        assert send_over_smtp(settings(port), message()) == {}
    assert [m["Subject"] for m in mailbox.messages] == ["受理通知"] and len(logins) == 1


def test_the_context_checks_certificate_and_host_name(monkeypatch):
    """Whatever the server: the context given to STARTTLS requires a verified certificate for the host name."""
    used: list[ssl.SSLContext] = []

    class Recording(smtplib.SMTP):
        def __init__(self, *args, **kwargs) -> None:  # no network: only the TLS set-up is looked at
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            pass

        def starttls(self, *args, context=None, **kwargs):
            used.append(context)
            raise smtplib.SMTPNotSupportedError("stop here")

    monkeypatch.setattr(channels.smtplib, "SMTP", Recording)
    with pytest.raises(smtplib.SMTPNotSupportedError):
        send_over_smtp(settings(25), message())
    (context,) = used
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname is True
