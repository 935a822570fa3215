"""Who a case's notices go to: the enterprise (portal, e-mail, SMS) or a unit's group."""

from __future__ import annotations

from domain.cases import CaseFacts
from domain.notices.channels import Channel, channels_for
from domain.notices.services import Addressee


def enterprise_of(case: CaseFacts) -> Addressee:
    """The applying enterprise as the addressee of a notice."""
    return Addressee(case.require("creditCode"), case.contact_email, case.contact_phone)


def enterprise_channels(case: CaseFacts, configured: dict[str, Channel]) -> list[str]:
    """The channels an enterprise notice of this case goes through, beside the portal inbox."""
    return channels_for(configured, case.contact_email, case.contact_phone)
