"""HTML → PDF with WeasyPrint, Chinese set in Noto CJK (Debian: fonts-noto-cjk).

One process lays out its PDFs one at a time, in one thread of its own, with one font configuration.
Left to itself WeasyPrint builds a FontConfiguration per document: each maps the Noto CJK collections
(20–27 MB a file) afresh, reads them whole, and stays mapped until the cyclic garbage collector happens to
free it; and the whole-font copies made in each handler thread stay in that thread's malloc arena. A worker
with 8 handler slots grew to 1–2 GB resident that way; laid out here, it stays near 0.2 GB
(docs/operations.md, "Worker memory"). The bytes are the same; a document waits for the one before it
(a few tenths of a second each).
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

_layout = ThreadPoolExecutor(1, thread_name_prefix="pdf-layout")  # its thread starts with the first PDF
_fonts: Any = None  # weasyprint's FontConfiguration: made and used in that thread only


def html_to_pdf(html: str) -> bytes:
    """A PDF of the HTML page (templates set the CJK fonts in their CSS)."""
    return _layout.submit(_write_pdf, html).result()


def _write_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: loading pango takes a moment

    return HTML(string=html).write_pdf(font_config=_font_configuration())


def _font_configuration() -> Any:
    """The process's one FontConfiguration (the system's fonts: our templates have no @font-face)."""
    global _fonts
    if _fonts is None:
        from weasyprint.text.fonts import FontConfiguration

        _fonts = FontConfiguration()
    return _fonts


def _after_fork_in_child() -> None:
    """A forked child has no layout thread (and no use for its parent's fonts): it starts its own."""
    global _layout, _fonts
    _layout, _fonts = ThreadPoolExecutor(1, thread_name_prefix="pdf-layout"), None


@atexit.register
def _release_fonts() -> None:
    """Free the fonts while pango is loaded (atexit runs after the layout thread ended): freed later, in the
    interpreter's own clean-up, the font map may be released after the libraries it calls (a segfault at exit)."""
    global _fonts
    _fonts = None
    gc.collect()


os.register_at_fork(after_in_child=_after_fork_in_child)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
