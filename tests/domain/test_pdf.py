"""PDF layout (domain/pdf.py): WeasyPrint's own bytes, laid out one at a time in one thread with one font
configuration, whichever thread asks (a worker's handler slots): what keeps a worker process small."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from weasyprint import HTML

from domain import pdf
from domain.pdf import html_to_pdf

PAGE = """<html lang="zh-CN"><body style='font-family: "Noto Serif CJK SC", serif'>
<h1 style="font-weight: bold">认定通知</h1><p>经审查，贵单位符合政策条件，予以认定。</p></body></html>"""


def test_the_pdf_is_the_one_weasyprint_lays_out_with_a_font_configuration_of_its_own():
    assert html_to_pdf(PAGE) == HTML(string=PAGE).write_pdf()


def test_pdfs_asked_from_many_threads_are_laid_out_in_one_thread_with_one_font_configuration(
    monkeypatch: pytest.MonkeyPatch,
):
    laid_out: list[tuple[int, int]] = []
    write_pdf = pdf._write_pdf

    def recorded(html: str) -> bytes:
        laid_out.append((threading.get_ident(), id(pdf._font_configuration())))
        return write_pdf(html)

    monkeypatch.setattr(pdf, "_write_pdf", recorded)
    callers: set[int] = set()

    def ask(_n: int) -> bytes:
        callers.add(threading.get_ident())
        return html_to_pdf(PAGE)

    with ThreadPoolExecutor(4) as pool:
        pdfs = list(pool.map(ask, range(8)))

    assert len(set(pdfs)) == 1 and pdfs[0].startswith(b"%PDF-")
    assert len(laid_out) == 8 and len(set(laid_out)) == 1  # one thread, one FontConfiguration
    (layout_thread, _fonts), *_ = laid_out
    assert layout_thread not in callers and layout_thread != threading.get_ident()
