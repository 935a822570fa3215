"""Delivery channels of the outbox: e-mail over SMTP, SMS through a gateway (default: the log)."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from typing import Protocol

from domain.config import DeliverySettings
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
        message.add_attachment(
            letter_pdf(notice), maintype="application", subtype="pdf", filename=f"{notice.application_number}.pdf"
        )
        with smtplib.SMTP(
            self.settings.smtp_host, self.settings.smtp_port, timeout=self.settings.smtp_timeout_seconds
        ) as smtp:
            if self.settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())  # the server's certificate is verified
            if self.settings.smtp_user:
                smtp.login(self.settings.smtp_user, self.settings.smtp_password)
            smtp.send_message(message)


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


def configured_channels(settings: DeliverySettings) -> dict[str, Channel]:
    """The channels this installation delivers through (beside the portal inbox)."""
    channels: dict[str, Channel] = {}
    if settings.smtp_host:
        channels["email"] = EmailChannel(settings)
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
