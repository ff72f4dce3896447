"""Scans read by RapidOCR: straightened first, statement pages found by a skim, within time."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from decimal import Decimal

import numpy as np
import pypdfium2 as pdfium
import pytest

from bench.scans import Damage, render, scanned
from ingest import ocr
from ingest.errors import ExtractionFailed
from ingest.preprocess import skew, straighten
from ingest.statements import extract_pdf
from ingest.statements.layout import lines
from ingest.statements.survey import survey
from ingest.words import Page
from tests.factories import DATA

MOUTAI = DATA / "statements" / "cn_a_moutai_2021_annual.pdf"
BALANCE_SHEET = 50  # its title and first rows: 货币资金 51,810,243,607.11 / 36,091,090,060.90
NOISY = Damage(dpi=200, angle=0.6, blur=0.5, noise=12.0, bilevel=False)


def _scan(numbers: list[int], spoilt: Damage = NOISY) -> bytes:
    """An image-only PDF of Moutai's pages as a scanner would deliver them."""
    pdf = pdfium.PdfDocument(MOUTAI.read_bytes())
    try:
        images = [scanned(render(pdf, n, spoilt.dpi), spoilt, seed=n) for n in numbers]
    finally:
        pdf.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=spoilt.dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def _line(page: Page, label: str) -> list[str]:
    found = [line for line in lines(page) if line.words[0].text == label]
    assert found, f"{label!r} not read"
    return [word.text for word in found[0].words]


def test_rapidocr_reads_a_noisy_chinese_statement_into_label_and_amount_words() -> None:
    page = ocr.ocr_pdf_page(_scan([BALANCE_SHEET]), 1, "rapidocr")

    assert page.source == "ocr"
    assert (page.width, page.height) == pytest.approx((595, 842), abs=2)
    texts = {word.text for word in page.words}
    assert {"合并资产负债表", "流动资产：", "货币资金", "应收账款"} <= texts
    # A label and its two amounts are separate words, the current year's left of the prior's.
    assert _line(page, "货币资金")[-2:] == ["51,810,243,607.11", "36,091,090,060.90"]
    cash = next(w for w in page.words if w.text == "51,810,243,607.11")
    prior = next(w for w in page.words if w.text == "36,091,090,060.90")
    assert cash.x1 < prior.x0
    assert abs(cash.top - prior.top) < 5
    label = next(w for w in page.words if w.text == "货币资金")
    assert label.x1 < cash.x0


def test_a_turned_page_is_straightened() -> None:
    pdf = pdfium.PdfDocument(MOUTAI.read_bytes())
    try:
        upright = render(pdf, BALANCE_SHEET, 150)
    finally:
        pdf.close()
    for angle in (0.8, -0.45):
        turned = np.asarray(scanned(upright, Damage(150, angle, 0.4, 8.0, False), seed=1))
        found = skew(turned)
        assert found == pytest.approx(angle, abs=0.1)
        assert abs(skew(straighten(turned, found))) < 0.1
    assert abs(skew(np.asarray(upright.convert("L")))) < 0.1


def test_a_blank_page_has_no_skew() -> None:
    assert skew(np.full((800, 600), 255, dtype=np.uint8)) == 0.0


def test_the_skim_finds_the_statement_pages_and_only_those_are_read_in_full() -> None:
    # An audit opinion and a page of notes before the balance sheet's two pages.
    data = _scan([48, 70, BALANCE_SHEET, BALANCE_SHEET + 1], Damage(150, 0.4, 0.4, 8.0, False))
    found = survey(data, ocr.skim_page)
    assert found.titled == [3]
    assert found.blank == []

    read: list[int] = []

    def reader(data: bytes, number: int, deadline: float | None = None) -> Page:
        read.append(number)
        return ocr.ocr_page(data, number, deadline)

    statements = extract_pdf(data, ocr=reader, skim=ocr.skim_page)
    assert sorted(read) == [3, 4]
    [balance_sheet] = statements
    cash = balance_sheet.items["cash"]
    assert (cash.current, cash.prior) == (Decimal("51810243607.11"), Decimal("36091090060.90"))


def test_without_any_title_found_every_page_is_read() -> None:
    data = _scan([70, BALANCE_SHEET + 1], Damage(150, 0.0, 0.4, 8.0, False))
    found = survey(data, ocr.skim_page)
    assert (found.titled, found.blank) == ([], [1, 2])


def test_a_page_past_its_time_limit_fails_without_its_text(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _scan([BALANCE_SHEET + 1])
    monkeypatch.setattr(ocr, "PAGE_TIMEOUT", 0.2)
    started = time.monotonic()
    with pytest.raises(ExtractionFailed) as failed:
        ocr.ocr_pdf_page(data, 1, "rapidocr")
    assert failed.value.detail == "OCR of page 1 ran over its time limit"  # and none of its text
    # It stops within a batch of lines, not after the whole page (about a hundred lines).
    assert time.monotonic() - started < 4


def test_worker_children_start_without_opencv_or_onnxruntime() -> None:
    # Every worker child forks from a server that imports ingest.tasks; OpenCV alone would take
    # 370 MB of each renderer's address-space limit.
    heavy = "{'cv2', 'numpy', 'onnxruntime'}"
    code = f"import sys, ingest.tasks; print(sorted({heavy} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, text=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("8,983.377,809.96", "8,983,377,809.96"),  # a comma read as a point on a noisy scan
        ("(6.406,950,581.95)", "(6,406,950,581.95)"),
        ("-1.805.227,155.72", "-1,805,227,155.72"),
        ("1,234", "1,234"),  # no decimals: nothing tells a point from a comma
        ("12.50", "12.50"),
        ("3,6", "3,6"),  # note references stay as printed
    ],
)
def test_thousands_separators_misread_in_an_amount_are_put_right(read: str, meant: str) -> None:
    assert ocr._separated(read) == meant
