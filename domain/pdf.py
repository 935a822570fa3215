"""HTML → PDF with WeasyPrint, Chinese set in Noto CJK (Debian: fonts-noto-cjk)."""

from __future__ import annotations

import hashlib


def html_to_pdf(html: str) -> bytes:
    """A PDF of the HTML page (templates set the CJK fonts in their CSS)."""
    from weasyprint import HTML  # imported late: loading pango takes a moment

    return HTML(string=html).write_pdf()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
