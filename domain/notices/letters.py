"""A notice as a PDF letter the enterprise can download or receive attached."""

from __future__ import annotations

from domain.notices.models import Notice
from domain.pdf import html_to_pdf
from domain.templating import render


def letter_pdf(notice: Notice) -> bytes:
    """The notice laid out as a letter from the window, as PDF."""
    html = render(
        "notices/letter.html",
        title=notice.subject,
        subject=notice.subject,
        application_number=notice.application_number,
        paragraphs=[line for line in notice.body.splitlines() if line.strip()],
        written_on=notice.created_at.astimezone(_china()).date(),
    )
    return html_to_pdf(html)


def _china():
    from domain.clock import CHINA

    return CHINA
