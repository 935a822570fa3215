"""Delivery channels of the outbox: e-mail over SMTP (staff groups: staff_email.py), SMS through a gateway."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from typing import Protocol

from domain.config import DeliverySettings, EngineSettings
from domain.notices.letters import letter_pdf
from domain.notices.models import Notice
from domain.privacy import mask_phone

log = logging.getLogger("huiqi.delivery")


class Channel(Protocol):
    name: str

    def send(self, notice: Notice) -> None:
        """Deliver the notice or raise; the dispatcher retries with growing waits."""


class NoAddress(Exception):
    """The notice has no address for this channel: nothing to retry."""


class EmailChannel:
    name = "email"

    def __init__(self, settings: DeliverySettings) -> None:
        self.settings = settings

    def send(self, notice: Notice) -> None:
        if not notice.email:
            raise NoAddress("企业未留电子邮箱")
        message = EmailMessage()
        message["Subject"] = f"【惠企政策兑现】{notice.subject}（{notice.application_number}）"
        message["From"] = self.settings.smtp_from
        message["To"] = notice.email
        message.set_content(notice.body + "\n\n（本邮件由系统发送，正式函件见附件 PDF。）")
        attach_letter(message, notice)
        send_over_smtp(self.settings, message)


def attach_letter(message: EmailMessage, notice: Notice) -> None:
    """Attach the notice laid out as a PDF letter, named after its application number."""
    message.add_attachment(
        letter_pdf(notice), maintype="application", subtype="pdf", filename=f"{notice.application_number}.pdf"
    )


def send_over_smtp(settings: DeliverySettings, message: EmailMessage) -> dict[str, tuple[int, bytes]]:
    """Send one message in one SMTP session (with the configured timeout); return the refused recipients.

    Raise when the server cannot be reached or refuses every recipient: the outbox retries.
    """
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())  # the server's certificate is verified
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        return smtp.send_message(message)


def sms_text(notice: Notice) -> str:
    """The text message of a notice: short, and pointing to the portal for the letter itself."""
    return f"【惠企政策兑现】{notice.subject}：申报编号 {notice.application_number}，详情请登录网上专区查看。"


class LoggingSmsGateway:
    """The development SMS gateway: writes the text message to the log."""

    name = "sms"

    def send(self, notice: Notice) -> None:
        if not notice.phone:
            raise NoAddress("企业未留联系电话")
        log.info("短信 → %s：%s", mask_phone(notice.phone), sms_text(notice))


def configured_channels(settings: DeliverySettings, engine: EngineSettings | None = None) -> dict[str, Channel]:
    """The channels this installation delivers through (beside the portal inbox).

    With an SMTP host, e-mail to enterprises and to the members of staff groups, whose addresses the
    engine (``engine``; by default the service account of the environment's settings) is asked for.
    """
    channels: dict[str, Channel] = {}
    if settings.smtp_host:
        from domain.notices.staff_email import GroupEmailChannel

        channels["email"] = EmailChannel(settings)
        channels[GroupEmailChannel.name] = GroupEmailChannel(settings, engine=engine)
    if settings.sms_gateway == "log":
        channels["sms"] = LoggingSmsGateway()
    elif settings.sms_gateway == "http":
        from domain.notices.sms import HttpSmsGateway

        channels["sms"] = HttpSmsGateway(settings)
    else:
        raise ValueError(f"未知的短信网关 SMS_GATEWAY={settings.sms_gateway!r}（可选：log、http）")
    return channels


def channels_for(available: dict[str, Channel], email: str | None, phone: str | None) -> list[str]:
    """The channels a notice to an enterprise with these addresses goes through."""
    wanted = {"email": email, "sms": phone}
    return [name for name in available if wanted.get(name)]
